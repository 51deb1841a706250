"""'Tell us in your words': read a seller's text against a flow's options — rank, explain, abstain.

Two signals, kept apart on purpose:

- **Stated answers** come only from an option's keyword phrase found whole, in order, in one
  clause of the text, not negated ("gak", "bukan", "belum", "not" just before it) and not in a
  condition ("kalau …", "if …"). Only these are pre-ticked, each with the seller's own words.
- **Ranking** scores every option with BM25 over its keywords, its label and its question's
  text and help. BM25 because the fields are short and uneven: its IDF makes a word that
  many options share ("pesanan", "kurir", "tidak") count for little and a rare one
  ("ginee", "saldo") for a lot, its saturation stops a repeated word from running away,
  and its length normalisation keeps a long label from winning by size — plain keyword
  counting had none of the three, and a vector model needs data we do not have.

Text on both sides goes through the same steps: chat spellings expanded, Indonesian words
stemmed by Sastrawi and the rest by the English Snowball stemmer, and a word the flow does
not know corrected to a close one it knows (rapidfuzz). Negation and contrast are read per
clause: a phrase right after a negator counts against its option, the clause after "tapi"
or "but" weighs more than the one before it, and a clause after "padahal" or "kalau"
ranks but never states.

The first question's answer is ranked from the option's own score plus the best score of
the options only it leads to, so "ginee" (an error on the way to "can't ship") ranks "can't
ship" first — but that answer is implied, not stated, so it is asked, not ticked. Below the
confidence threshold the reading abstains: a short list and nothing pre-selected.

The index of a flow is built once per parsed flow (versions are immutable) and kept on it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import snowballstemmer
from rapidfuzz import fuzz, process
from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

from .document import Flow, Question, Text
from .graph import reachable

# Chat spellings sellers type, each mapped to the word(s) the keywords use. Keywords go
# through the same table, so an author may write either form.
ABBREVIATIONS = {
    "gak": "tidak",
    "ga": "tidak",
    "gk": "tidak",
    "g": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "nggk": "tidak",
    "enggak": "tidak",
    "engga": "tidak",
    "ndak": "tidak",
    "tdk": "tidak",
    "tak": "tidak",
    "gada": "tidak ada",
    "gaada": "tidak ada",
    "bs": "bisa",
    "blm": "belum",
    "blum": "belum",
    "lom": "belum",
    "udh": "sudah",
    "udah": "sudah",
    "sdh": "sudah",
    "dah": "sudah",
    "yg": "yang",
    "dgn": "dengan",
    "krn": "karena",
    "karna": "karena",
    "org": "orang",
    "utk": "untuk",
    "jg": "juga",
    "msh": "masih",
    "td": "tadi",
    "skrg": "sekarang",
    "skr": "sekarang",
    "lg": "lagi",
    "tp": "tapi",
    "tpi": "tapi",
    "gmn": "bagaimana",
    "gimana": "bagaimana",
    "knp": "kenapa",
    "pesenan": "pesanan",
    "orderan": "pesanan",
    "order": "pesanan",
    "apk": "aplikasi",
    "app": "aplikasi",
    "pickup": "pick up",
    "pikap": "pick up",
    "dateng": "datang",
    "kmrn": "kemarin",
    "kemaren": "kemarin",
    "dr": "dari",
    "sy": "saya",
    "aja": "saja",
    "ngirim": "kirim",
    "kirimin": "kirim",
    "jemputin": "jemput",
    "kalo": "kalau",
    "klo": "kalau",
    "kl": "kalau",
    "cancel": "batal",
    "dicancel": "batal",
    "cancelled": "batal",
    "canceled": "batal",
    "resi": "resi",
    "trs": "terus",
    "trus": "terus",
    "bgt": "banget",
    "sm": "sama",
    "cannot": "can not",
    "mnta": "minta",
}
# Words that turn the phrase after them around. "belum" ("not yet") is one, and keywords
# that carry a negator match any of them, so "belum dijemput" and "gak dijemput" meet.
NEGATORS = frozenset(
    {"tidak", "belum", "bukan", "not", "no", "never", "nothing", "tanpa", "without", "jangan"}
)
DENIALS = frozenset({"bukan", "tanpa", "without", "jangan", "nothing"})
SAME_NEGATION = frozenset({"tidak", "belum", "not", "no", "never"})
# Contrast: the clause after these is the point; the one before still holds but weighs less.
CONTRAST = frozenset({"tapi", "tetapi", "namun", "but", "however", "cuma", "sedangkan"})
# Asides and conditions: what follows ranks a little but never states an answer.
ASIDE = frozenset({"padahal", "kalau", "jika", "if", "misal", "seandainya", "whereas", "although"})
# Words after which a phrase is wished, feared or nearly so: it ranks, but states nothing.
HEDGES = frozenset(
    {"minta", "mau", "ingin", "pengen", "suruh", "takut", "khawatir", "hampir", "want", "wants"}
    | {"almost", "nearly", "should", "afraid", "worried", "maybe", "mungkin", "request"}
    | {"requested", "ngajuin", "mengajukan", "ajukan"}
)
# A clause that opens with these asks; it states nothing ("apa gara2 ini …?", "is it …?").
QUESTION_START = frozenset({"apakah", "apa", "is", "are", "does", "do", "did", "will"})
ZERO = frozenset({"0", "nol", "zero", "none"})  # right after a phrase: there is none of it
# "Tadi pagi masih di Perlu Dikirim, sekarang hilang": a time gone by, then "still", then
# a later "now" tells a former state; that clause ranks like an aside but states nothing.
PAST = frozenset({"tadi", "kemarin", "sebelumnya", "tadinya", "yesterday", "earlier"})
STILL = frozenset({"masih", "still"})
NOW = frozenset({"sekarang", "kini", "now"})
# "Gak tau kenapa orderan dibatalkan": what follows "why" is taken as so; a negator
# before it denies the knowing, not the thing.
WHY = frozenset({"kenapa", "mengapa", "why"})
REACH = 4  # words a negator or a hedge reaches
CLAUSE_BREAK = re.compile(r"[.,;!?\n()\[\]/|]|—|\s-\s")
WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)?")

# Clause weights for ranking.
WEIGHT = {"plain": 1.0, "after_contrast": 1.0, "before_contrast": 0.7, "aside": 0.4}

# BM25 parameters: the usual k1, and b for short documents.
K1 = 1.2
B = 0.75
FIELD_WEIGHT = {"keywords": 1.0, "label": 0.6, "context": 0.25}
PHRASE = 2.5  # a whole keyword phrase found adds this much to its option
NEGATED = 2.0  # a keyword phrase found negated takes this much away
DEEP = 0.8  # a first answer gets this share of the best score among the options it leads to
BAG_DEEP = 0.5  # ... of which the bag of words counts this much (a phrase counts whole)
DECAY = 1.0  # distance alone says little: a flow may ask a date or a service between
# A first answer is confident at this score and this far ahead of the next one.
CONFIDENT = 2.0
AHEAD = 1.5
STATES = 0.95  # a phrase with one extra word inside still states its answer
GAP = 2  # words allowed inside a keyword phrase ("gak bisa [saya] atur pengiriman")
SHORT_LIST = 3
ANSWERABLE = ("choice", "yesno")


@dataclass(frozen=True)
class Evidence:
    """An answer the words point at, and the seller's own words that made us think so."""

    question: str
    value: str
    label: Text
    words: str


@dataclass(frozen=True)
class Candidate:
    """An option of the asked question, how strongly the words point at it, and why."""

    question: str
    value: str
    label: Text
    score: float
    because: Evidence | None = None


@dataclass(frozen=True)
class Reading:
    """What the words say: answers they state, and a ranked short list for one question."""

    question: str | None
    candidates: tuple[Candidate, ...]
    confident: bool
    stated: tuple[Evidence, ...]

    @property
    def answers(self) -> dict[str, str]:
        """The stated answers by question (what a confirmation form sends)."""
        return {evidence.question: evidence.value for evidence in self.stated}

    @property
    def shortlist(self) -> tuple[Candidate, ...]:
        """The few candidates worth showing."""
        return self.candidates[:SHORT_LIST]


@dataclass(frozen=True)
class _Token:
    word: str
    stem: str
    start: int
    end: int
    clause: int
    role: str
    negated: bool  # a negator stands just before it in its clause
    denied: bool  # ... and it is "bukan" or "without": the words say what it is not
    hedged: bool  # a wish, a fear or a near miss stands just before it ("minta", "hampir")


@dataclass(frozen=True)
class _Phrase:
    stems: tuple[str, ...]
    words: tuple[str, ...]
    negative: bool  # the keyword carries a negator itself
    across: bool  # the keyword spans a contrast ("stok kosong tapi ada orderan")
    distinctive: bool  # more than one word, or a word no other option's keywords use


@dataclass
class _Index:
    postings: dict[str, list[tuple[tuple[str, str], float]]]  # stem -> options, BM25 weight
    phrases: dict[tuple[str, str], tuple[_Phrase, ...]]
    surface: dict[str, str]  # every word the flow uses -> its stem, for typo correction
    below: dict[tuple[str, str], dict[tuple[str, str], int]]  # options after one, how far
    follows: dict[str, set[str]]  # questions that can follow a question, through any option
    # Options whose label says something fails ("Tidak bisa kirim"): "gak bisa <keyword>"
    # is that failure, not its denial.
    failures: frozenset[tuple[str, str]]


def read_words(flow: Flow, words: str, *, at: str | None = None) -> Reading:
    """Read the seller's words against the options from question `at` (the flow's start by
    default): the answers they state, and the ranked options of `at`, abstaining when
    the words do not tell them apart."""
    key = at if at is not None else flow.start
    question = flow.questions.get(key)
    if question is None:
        return Reading(None, (), False, ())
    index = _index(flow)
    tokens = _tokens(words, index.surface)
    ahead = {key} | reachable(flow, key)
    scores: dict[tuple[str, str], float] = {}
    deep_scores: dict[tuple[str, str], float] = {}
    evidence: dict[tuple[str, str], tuple[float, Evidence]] = {}
    stated: dict[tuple[str, str], _Stated] = {}
    negated: set[tuple[str, str]] = set()
    present = {token.stem for token in tokens}
    bags = _bm25(index, tokens)
    for pair in index.phrases:
        if pair[0] not in ahead:
            continue
        bag = bags.get(pair, 0.0)
        score = bag
        for phrase in index.phrases[pair]:
            if phrase.stems[0] not in present and phrase.stems[0] not in SAME_NEGATION:
                continue
            found = _find(phrase, tokens)
            if found is None:
                continue
            first, last, quality, negator_inside, hedge_inside = found
            start = tokens[first]
            zero = last + 1 < len(tokens) and tokens[last + 1].word in ZERO  # "poin 0"
            before = start.negated and not phrase.negative and pair not in index.failures
            if start.denied or zero or before or (negator_inside and not phrase.negative):
                negated.add(pair)
                score -= NEGATED
                continue
            gain = PHRASE * quality * WEIGHT[start.role]
            score += gain
            seen = Evidence(*pair, _label(flow, pair), words[start.start : tokens[last].end])
            if pair not in evidence or gain > evidence[pair][0]:
                evidence[pair] = (gain, seen)
            hedged = start.hedged or hedge_inside or not phrase.distinctive
            # Two words state only side by side: "gagal [atur] kirim" is not "gagal kirim".
            tight = quality == 1.0 or (len(phrase.stems) > 2 and quality >= STATES)
            if start.role != "aside" and not hedged and tight:
                known = stated.get(pair)
                if known is None or last - first > known.last - known.first:
                    stated[pair] = _Stated(seen, first, last)
        scores[pair] = score
        deep_scores[pair] = score - bag * (1 - BAG_DEEP)
    for pair in negated:
        stated.pop(pair, None)
    if question.kind not in ANSWERABLE:
        # A number or a date cannot be read from words; answers after it still can.
        kept, _ = _consistent(flow, key, index, stated, None, scores)
        return Reading(None, (), False, kept)
    ranked = _rank(question, index, scores, deep_scores, evidence, ahead)
    kept, split = _consistent(flow, key, index, stated, ranked[0] if ranked else None, scores)
    if any(evidence.question == key for evidence in kept):
        value = next(evidence.value for evidence in kept if evidence.question == key)
        ranked = sorted(ranked, key=lambda candidate: candidate.value != value)
        return Reading(key, tuple(ranked), True, kept)
    second = ranked[1].score if len(ranked) > 1 else 0.0
    confident = (
        bool(ranked)
        and not split
        and ranked[0].score >= CONFIDENT
        and ranked[0].score >= AHEAD * second
    )
    return Reading(key, tuple(ranked), confident, kept)


@dataclass(frozen=True)
class _Stated:
    evidence: Evidence
    first: int
    last: int

    def inside(self, other: _Stated) -> bool:
        """Whether these words are (part of) the other's."""
        return other.first <= self.first and self.last <= other.last


def mask(text: str) -> str:
    """The text with phone numbers, e-mail addresses and order or tracking numbers hidden."""
    text = EMAIL.sub("[email]", text)
    text = PHONE.sub("[phone]", text)
    return LONG_NUMBER.sub("[number]", text)


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Indonesian mobiles: 08…, +62 8…, 62 8…, with spaces or dashes between groups.
PHONE = re.compile(r"(?<![\w+])(?:\+?62[\s-]?|0)8\d(?:[\s-]?\d){6,11}(?!\w)")
# Order ids are 15-19 digits, tracking numbers mix letters and digits; any run of 6 or more
# digits (with letters around it) is hidden: no answer the matcher reads needs one.
LONG_NUMBER = re.compile(r"\b[A-Za-z]{0,6}\d[\dA-Za-z-]{5,}\d\b")


def normalise(text: str) -> str:
    """The text as the matcher reads it: stems of its words, chat spellings expanded."""
    return " ".join(token.stem for token in _tokens(text, {}))


def _rank(
    question: Question,
    index: _Index,
    scores: dict[tuple[str, str], float],
    deep_scores: dict[tuple[str, str], float],
    evidence: dict[tuple[str, str], tuple[float, Evidence]],
    ahead: set[str],
) -> list[Candidate]:
    """The question's options by their own score plus a share of the best option they
    lead to: the fewer other options lead there, the larger the share. A catch-all
    ("something else / not sure") is never offered: "none of these" is that choice."""
    options = [option for option in question.options if not option.catch_all]
    reach: Counter[tuple[str, str]] = Counter()
    for option in options:
        reach.update(index.below.get((question.key, option.value), {}).keys())
    ranked: list[Candidate] = []
    for option in options:
        pair = (question.key, option.value)
        own = scores.get(pair, 0.0)
        best_deep, because = 0.0, evidence.get(pair, (0.0, None))
        for deep, distance in index.below.get(pair, {}).items():
            if deep[0] not in ahead or deep_scores.get(deep, 0.0) <= 0:
                continue
            share = deep_scores[deep] * DEEP * DECAY ** (distance - 1) / math.sqrt(reach[deep])
            if share > best_deep:
                best_deep = share
                if deep in evidence and (because[1] is None or own < scores[deep]):
                    because = evidence[deep]
        score = own + best_deep
        if score > 0:
            ranked.append(Candidate(pair[0], pair[1], option.label, round(score, 3), because[1]))
    return sorted(ranked, key=lambda candidate: -candidate.score)


def _consistent(
    flow: Flow,
    key: str,
    index: _Index,
    stated: dict[tuple[str, str], _Stated],
    top: Candidate | None,
    scores: dict[tuple[str, str], float],
) -> tuple[tuple[Evidence, ...], bool]:
    """The stated answers that fit on one path, and whether some pointed another way.

    Two options of one question cancel each other; words inside a longer stated phrase
    state nothing of their own unless the two lie on one path ("kurir belum jemput" is
    both the courier and the pickup that did not happen); and every answer must be on
    the way of the first one (stated, or else the best ranked)."""
    # Longer phrases first; of two with the same words, the one the rest of the text
    # fits better.
    pairs = sorted(
        stated, key=lambda pair: (-(stated[pair].last - stated[pair].first), -scores.get(pair, 0))
    )
    per_question = Counter(pair[0] for pair in pairs)
    chosen: list[tuple[str, str]] = []
    for pair in pairs:
        if per_question[pair[0]] > 1:
            continue
        if any(
            stated[pair].inside(stated[other]) and not _one_below(index, other, pair)
            for other in chosen
        ):
            continue  # the same words state one answer, or two on one line
        chosen.append(pair)
    first = next((pair for pair in chosen if pair[0] == key), None)
    implied = first is None
    if first is None and top is not None:
        first = (key, top.value)
    if first is None:
        # Nothing to rank (a number or date question is asked first): keep the stated
        # answers only when they all fit on one path.
        together = all(_on_one_path(index, one, other) for one in chosen for other in chosen)
        return (_in_order(flow, stated, chosen) if together else ()), not together
    below = index.below.get(first, {})
    kept = [pair for pair in chosen if pair == first or pair in below]
    split = len(kept) < len(chosen)
    if split and implied:
        return (), True  # the words point two ways and none of them names the first answer
    # Two answers that cannot both be given: the one nearer the first question stays.
    accepted: list[tuple[str, str]] = []
    for pair in sorted(kept, key=lambda pair: 0 if pair == first else below.get(pair, 99)):
        if all(_on_one_path(index, other, pair) for other in accepted):
            accepted.append(pair)
    kept = accepted
    return _in_order(flow, stated, kept), split


def _in_order(
    flow: Flow, stated: dict[tuple[str, str], _Stated], pairs: list[tuple[str, str]]
) -> tuple[Evidence, ...]:
    order = {question: number for number, question in enumerate(flow.questions)}
    ordered = sorted(pairs, key=lambda pair: order.get(pair[0], 0))
    return tuple(stated[pair].evidence for pair in ordered)


def _one_below(index: _Index, one: tuple[str, str], other: tuple[str, str]) -> bool:
    """Whether one answer is asked after the other is given."""
    return other in index.below.get(one, {}) or one in index.below.get(other, {})


def _on_one_path(index: _Index, one: tuple[str, str], other: tuple[str, str]) -> bool:
    """Whether a seller could give both answers on one walk (or they never meet)."""
    if one[0] == other[0]:
        return one == other
    if other in index.below.get(one, {}) or one in index.below.get(other, {}):
        return True
    # They conflict only when one's question follows the other's through another option.
    follows = index.follows.get(one[0], set())
    precedes = index.follows.get(other[0], set())
    return other[0] not in follows and one[0] not in precedes


def _label(flow: Flow, pair: tuple[str, str]) -> Text:
    option = flow.questions[pair[0]].option(pair[1])
    return option.label if option is not None else Text(pair[1], pair[1])


def _bm25(index: _Index, tokens: list[_Token]) -> dict[tuple[str, str], float]:
    """Every option's BM25 score for the words, from the flow's precomputed postings."""
    query: dict[str, float] = {}
    for token in tokens:
        if token.denied or token.stem in NEGATORS:
            continue  # "bukan X" says what the problem is not; "gak bisa X" is the problem
        query[token.stem] = max(query.get(token.stem, 0.0), WEIGHT[token.role])
    scores: dict[tuple[str, str], float] = {}
    for stem, weight in query.items():
        for pair, term in index.postings.get(stem, ()):
            scores[pair] = scores.get(pair, 0.0) + weight * term
    return scores


def _postings(
    options: dict[tuple[str, str], dict[str, Counter[str]]],
    lengths: dict[str, float],
    idf: dict[str, float],
) -> dict[str, list[tuple[tuple[str, str], float]]]:
    """For each word, the options that use it and its BM25 weight in each (all fields)."""
    postings: dict[str, list[tuple[tuple[str, str], float]]] = {}
    for pair, fields in options.items():
        weights: dict[str, float] = {}
        for field, counts in fields.items():
            size = sum(counts.values()) / max(lengths[field], 1.0)
            for stem, count in counts.items():
                saturated = count * (K1 + 1) / (count + K1 * (1 - B + B * size))
                weights[stem] = weights.get(stem, 0.0) + FIELD_WEIGHT[field] * idf[stem] * saturated
        for stem, weight in weights.items():
            postings.setdefault(stem, []).append((pair, weight))
    return postings


def _find(phrase: _Phrase, tokens: list[_Token]) -> tuple[int, int, float, bool, bool] | None:
    """Where the phrase's words stand in order in one clause (a few words between allowed):
    first and last token, how tight, and whether a negator or a hedge stands between."""
    wanted = phrase.stems
    best: tuple[int, int, float, bool, bool] | None = None
    for start, token in enumerate(tokens):
        if not _same(wanted[0], token.stem):
            continue
        position, last, gaps = start, start, 0
        for word in wanted[1:]:
            position = last + 1
            while position < len(tokens) and (
                phrase.across or tokens[position].clause == token.clause
            ):
                if _same(word, tokens[position].stem):
                    break
                position += 1
            else:
                break
            gaps += position - last - 1
            last = position
        else:
            if gaps <= GAP:
                quality = 1.0 if gaps == 0 else 1.0 - 0.05 * gaps
                if best is None or quality > best[2]:
                    between = {tokens[number].word for number in range(start, last + 1)}
                    between -= set(phrase.words)
                    best = (
                        start,
                        last,
                        quality,
                        bool(between & NEGATORS),
                        bool(between & HEDGES),
                    )
    return best


def _same(wanted: str, given: str) -> bool:
    if wanted == given:
        return True
    return wanted in SAME_NEGATION and given in SAME_NEGATION


def _tokens(text: str, surface: dict[str, str]) -> list[_Token]:
    """The text's words as stems, each with its place in the text and its clause's role."""
    tokens: list[_Token] = []
    clause, role, end, fresh = 0, "plain", 0, True
    negation, denial, hedge = 0, False, 0  # words left in each one's reach

    def open_clause(new_role: str) -> None:
        nonlocal clause, role, negation, denial, hedge, fresh
        clause, role, negation, denial, hedge, fresh = clause + 1, new_role, 0, False, 0, True

    for found in WORD.finditer(text):
        between = text[end : found.start()]
        end = found.end()
        if CLAUSE_BREAK.search(between):
            open_clause(_after_break(role))
        for word in _words(found.group()):
            if word in CONTRAST:
                for number, earlier in enumerate(tokens):
                    if earlier.clause == clause and earlier.role == "plain":
                        tokens[number] = dataclasses.replace(earlier, role="before_contrast")
                open_clause("after_contrast")
                continue
            if word in ASIDE or (fresh and word in QUESTION_START):
                open_clause("aside")
                fresh = False
                continue
            fresh = False
            stem = _correct(word, surface)
            tokens.append(
                _Token(
                    word,
                    stem,
                    found.start(),
                    found.end(),
                    clause,
                    role,
                    negation > 0,
                    denial,
                    hedge > 0,
                )
            )
            if word in NEGATORS:
                negation, denial = REACH, word in DENIALS
            elif word in WHY:
                negation, denial = 0, False
            else:
                negation = max(negation - 1, 0)
                denial = denial and negation > 0
            hedge = REACH if word in HEDGES else max(hedge - 1, 0)
    former = {
        token.clause
        for number, token in enumerate(tokens)
        if token.word in STILL
        and any(t.clause == token.clause and t.word in PAST for t in tokens[:number])
        and any(t.clause > token.clause and t.word in NOW for t in tokens[number:])
    }
    return [
        dataclasses.replace(token, role="aside") if token.clause in former else token
        for token in tokens
    ]


def _after_break(role: str) -> str:
    # A comma ends an aside ("kalau di app ada, tapi …"); after a contrast the point goes on.
    return "after_contrast" if role == "after_contrast" else "plain"


def _words(raw: str) -> Iterable[str]:
    """One word of the text as the plain, expanded words it stands for."""
    decomposed = unicodedata.normalize("NFKD", raw.lower().replace("\u2019", "'"))
    word = "".join(char for char in decomposed if not unicodedata.combining(char))
    if word.endswith("n't"):
        base = {"can": "can", "won": "will", "ca": "can"}.get(word[:-3], word[:-3])
        yield from (base, "not")
        return
    word = word.replace("'", "")
    # Chat writes a repeated word with a 2: "muter2" is "muter-muter".
    if len(word) > 2 and word.endswith("2") and word[-2].isalpha():
        word = word[:-1]
    yield from ABBREVIATIONS.get(word, word).split()


def _correct(word: str, surface: dict[str, str]) -> str:
    """The word's stem; a word the flow does not know becomes the close one it does."""
    if not surface or word in surface or not word.isalpha() or len(word) < 5:
        return surface.get(word) or _stem(word)
    stem = _stem(word)
    if stem in surface.values():
        return stem
    cutoff = 80 if len(word) < 7 else 85
    found = process.extractOne(word, surface.keys(), scorer=fuzz.ratio, score_cutoff=cutoff)
    return surface[found[0]] if found is not None else stem


@functools.lru_cache(maxsize=20_000)
def _stem(word: str) -> str:
    # Sastrawi knows Indonesian affixes and root words; a word it leaves alone is tried in
    # English. Short words ("ada", "cod") stay as they are.
    if len(word) <= 3 or not word.isalpha() or word in KEEP:
        return word
    stem: str = _INDONESIAN.stem(word)
    if stem == word and word.isascii():
        stem = _ENGLISH.stemWord(word)
    return stem or word


# Words whose stem would meet another word's: "pesanan" (an order) is not "pesan" (a
# message), "penarikan" (a withdrawal) is not "tari" (a dance, Sastrawi's stem).
KEEP = frozenset({"pesanan", "penarikan", "tarik"})
_INDONESIAN = StemmerFactory().create_stemmer()
_ENGLISH = snowballstemmer.stemmer("english")


def _index(flow: Flow) -> _Index:
    """The flow's words, counted once: a parsed flow never changes, so it is kept on it."""
    known: _Index | None = flow.__dict__.get("_match_index")
    if known is None:
        known = _build(flow)
        flow.__dict__["_match_index"] = known
    return known


def behind_catch_alls(flow: Flow) -> set[str]:
    """Questions a seller reaches only by answering "something else / not sure".

    The words box never offers a catch-all, so it can never lead there: such a question
    (the symptom list after "not sure where it fits") stays out of the index, where its
    labels would only shift every other option's word weights.
    """
    catch_alls = {
        (question.key, option.value)
        for question in flow.questions.values()
        for option in question.options
        if option.catch_all
    }
    ways_in: dict[str, list[bool]] = {}
    for question in flow.questions.values():
        for route in question.routes:
            if route.go is None or route.go not in flow.questions:
                continue
            clauses = route.condition.clauses if route.condition is not None else ()
            ways_in.setdefault(route.go, []).append(
                any(clause.picks in catch_alls for clause in clauses)
            )
    return {key for key, through in ways_in.items() if all(through)}


def _build(flow: Flow) -> _Index:
    options: dict[tuple[str, str], dict[str, Counter[str]]] = {}
    phrases: dict[tuple[str, str], tuple[_Phrase, ...]] = {}
    surface: dict[str, str] = {}
    hidden = behind_catch_alls(flow)
    for question in flow.questions.values():
        if question.kind not in ANSWERABLE or question.key in hidden:
            continue
        context_text = " ".join(
            [question.text.id, question.text.en]
            + ([question.help.id, question.help.en] if question.help else [])
        )
        context = _plain_stems(context_text, surface)
        for option in question.options:
            pair = (question.key, option.value)
            label = _plain_stems(f"{option.label.id} {option.label.en}", surface)
            found = []
            keywords: list[str] = []
            for keyword in option.keywords:
                words = _tokens(keyword, {})
                stems = tuple(token.stem for token in words)
                _plain_stems(keyword, surface)
                if stems:
                    found.append(
                        _Phrase(
                            stems,
                            tuple(token.word for token in words),
                            any(word.word in NEGATORS for word in words),
                            any(word in CONTRAST for word in _all_words(keyword)),
                            distinctive=True,
                        )
                    )
                    keywords.extend(stems)
            phrases[pair] = tuple(found)
            options[pair] = {
                "keywords": Counter(k for k in keywords if k not in NEGATORS),
                "label": Counter(k for k in label if k not in NEGATORS),
                "context": Counter(k for k in context if k not in NEGATORS),
            }
    lengths = {
        field: sum(sum(fields[field].values()) for fields in options.values())
        / max(len(options), 1)
        for field in FIELD_WEIGHT
    }
    documents = Counter(
        stem for fields in options.values() for stem in set().union(*map(set, fields.values()))
    )
    count = len(options)
    idf = {
        stem: math.log(1 + (count - seen + 0.5) / (seen + 0.5)) for stem, seen in documents.items()
    }
    # A one-word keyword states its answer only when no other option's longer keyword
    # holds it: "cod" alone is not "cod ditolak".
    inside: dict[str, set[tuple[str, str]]] = {}
    for pair, listed in phrases.items():
        for phrase in listed:
            if len(phrase.stems) > 1:
                for stem in phrase.stems:
                    inside.setdefault(stem, set()).add(pair)
    phrases = {
        pair: tuple(
            dataclasses.replace(
                phrase,
                distinctive=len(phrase.stems) > 1
                or not inside.get(phrase.stems[0], set()) - {pair},
            )
            for phrase in listed
        )
        for pair, listed in phrases.items()
    }
    below = _below(flow, options.keys())
    follows: dict[str, set[str]] = {}
    for (asked, _), after in below.items():
        follows.setdefault(asked, set()).update(deep[0] for deep in after)
    failures = frozenset(
        (question.key, option.value)
        for question in flow.questions.values()
        if question.kind in ANSWERABLE
        for option in question.options
        if NEGATORS & set(_all_words(f"{option.label.id} {option.label.en}"))
    )
    postings = _postings(options, lengths, idf)
    return _Index(postings, phrases, surface, below, follows, failures)


def _all_words(text: str) -> list[str]:
    return [word for found in WORD.finditer(text) for word in _words(found.group())]


def _plain_stems(text: str, surface: dict[str, str]) -> list[str]:
    stems = []
    for found in WORD.finditer(text):
        for word in _words(found.group()):
            if word in CONTRAST or word in ASIDE:
                continue
            stem = _stem(word)
            if word.isalpha() and len(word) >= 5:
                surface.setdefault(word, stem)
            stems.append(stem)
    return stems


def _below(
    flow: Flow, pairs: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], dict[tuple[str, str], int]]:
    """For each option, the options of the questions that can follow once it is chosen,
    with how many answerable questions away each is (routes that read it are followed)."""
    by_question: dict[str, list[tuple[str, str]]] = {}
    for pair in pairs:
        by_question.setdefault(pair[0], []).append(pair)
    facts = {key: fact.value for key, fact in flow.facts.items()}
    now = dt.datetime.now(dt.UTC)  # only `.hours_ago` reads it, and no answer here is a date
    below: dict[tuple[str, str], dict[tuple[str, str], int]] = {}
    for key, options in by_question.items():
        for pair in options:
            chosen = {key: pair[1]}
            depth: dict[str, int] = {}
            queue = [(target, 1) for target in _ways(flow.questions[key], chosen, facts, now)]
            while queue:
                step, distance = queue.pop(0)
                if step in depth or step == key or step not in flow.questions:
                    continue
                depth[step] = distance
                question = flow.questions[step]
                further = distance + (1 if question.kind in ANSWERABLE else 0)
                queue.extend((target, further) for target in _ways(question, chosen, facts, now))
            below[pair] = {
                deep: distance
                for step, distance in depth.items()
                for deep in by_question.get(step, [])
            }
    return below


def _ways(
    question: Question, chosen: dict[str, str], facts: Mapping[str, object], now: dt.datetime
) -> list[str]:
    """Where a question's routes may lead, given the one answer chosen."""
    targets: list[str] = []
    for route in question.routes:
        if route.go is None:
            continue
        if route.condition is None:
            targets.append(route.go)
            break
        if route.condition.keys <= chosen.keys():
            if route.condition.holds(chosen, facts, now):
                targets.append(route.go)
                break
            continue
        targets.append(route.go)  # it reads an answer not chosen: either way
    return targets
