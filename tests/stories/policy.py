"""An answering policy: a seller who answers each question from the story's facts alone.

It reads what a seller reads (the question's text and help, the options' labels and help,
in the story's language) and never the flow's keys or the matcher's keywords. Texts and
facts become *concepts* (vocabulary.toml): lower case, no accents, chat spellings and set
phrases read as one word, English and Indonesian affixes stripped (PySastrawi), the words
of the domain mapped across the two languages ("dikirim" and "shipped" are one concept),
each marked negated when a "no"/"tidak"/"off"/"gagal" governs it.

A choice goes to the option whose concepts one fact states best (weighted by how rare each
concept is among the options; an option's "A / B or C" parts may each hold alone); a
"Yes, ... / No, ..." pair is answered like the yes/no question it restates. Dates, times,
numbers and versions are parsed from the fact that shares most with a typed question.
When the facts do not say (or the story lists the point as unknown), the seller takes the
way out of a choice; a yes/no question the facts don't touch is answered "no" and a
checklist item "done" (the story would say if something were wrong there), unless the
story lists it as unknown.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

WIB = dt.timezone(dt.timedelta(hours=7))
# The stories' clock: Monday 2026-12-07, late morning in Jakarta, unless a fact says when
# the seller is asking.
CLOCK = dt.datetime(2026, 12, 7, 11, 0, tzinfo=WIB)

# The project's Indonesian stemmer (the matcher uses it too).
SASTRAWI = StemmerFactory().create_stemmer()

VOCABULARY = tomllib.loads(Path(__file__).with_name("vocabulary.toml").read_text("utf-8"))
CHAT: dict[str, str] = VOCABULARY["chat"]
# Concepts of the domain, each with the words sellers and the Seller Center use for it
# in both languages (catalogue §4). A word may stand for more than one concept.
CONCEPTS: dict[str, list[str]] = VOCABULARY["concepts"]
# Words that turn what follows (up to the clause's end) into its opposite...
NEG_BEFORE = frozenset(VOCABULARY["words"]["negate_after"])
# ... and words that turn the few words before them into their opposite.
NEG_AFTER = frozenset(VOCABULARY["words"]["negate_before"])
NEG_AFTER_REACH = 3
# "0" before words ("0 violation points") denies the few words after it.
ZERO_REACH = 2
# "whether it is late": what follows is asked about, not said (see `alternatives`).
WHETHER = re.compile(r"\b(?:whether|apakah)\b([^,;:()/]+)", re.IGNORECASE)
DECIMAL = re.compile(r"\b\d+[.,]\d+\b")
NO_X_OR_Y = re.compile(r"\b(no|without|tanpa)\s+(\w+)\s+(or|atau)\s+")
# Words that say something failed: they negate what failed, before or after them.
FAILING = frozenset(VOCABULARY["words"]["failing"])
CLAUSE = re.compile(r"[;:!?()/\n]|[.,](?=\s|$)| - | but | and | or | tapi | dan | atau | padahal ")
PHRASE_WORDS: dict[str, str] = VOCABULARY["phrases"]
PHRASES = re.compile(
    r"\b(" + "|".join(re.escape(p) for p in sorted(PHRASE_WORDS, key=len, reverse=True)) + r")\b"
)
STOP = frozenset(VOCABULARY["words"]["stop"])
CATCH_ALL = tuple(VOCABULARY["words"]["catch_all"])
NUMBER_WORDS: dict[str, int] = VOCABULARY["numbers"]
WEEKDAYS: dict[str, int] = VOCABULARY["weekdays"]
MONTHS: dict[str, int] = VOCABULARY["months"]
DAYPARTS: dict[str, int] = VOCABULARY["dayparts"]


@dataclass(frozen=True)
class Story:
    """One seller's case as the bank states it: their words, facts and what they don't know."""

    id: str
    language: str
    words: str
    facts: tuple[str, ...]
    unknown: tuple[str, ...]
    cause: str

    @classmethod
    def read(cls, entry: Mapping[str, Any]) -> Story:
        """A story from its TOML table."""
        return cls(
            id=entry["id"],
            language=entry["language"],
            words=entry["words"],
            facts=tuple(entry["facts"]),
            unknown=tuple(entry.get("unknown", ())),
            cause=entry["cause"],
        )


# --- Text to concepts ---------------------------------------------------------------


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _stem_en(word: str) -> str:
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            stem = word[: -len(suffix)] + keep
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
                stem = stem[:-1]  # "shipped" -> "shipp" -> "ship"
            return stem
    return word


def _english_forms(word: str) -> tuple[str, ...]:
    """The stems an English word may have: "arranged" may be "arrange" or "arrang"."""
    forms = [_stem_en(word)]
    for suffix in ("d", "s", "ing", "es"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[: -len(suffix)])
            forms.append(word[: -len(suffix)] + "e")
    return tuple(forms)


@cache
def _stem_id(word: str) -> str:
    return str(SASTRAWI.stem(word))


def _lookup() -> dict[str, tuple[str, ...]]:
    # Tuples in a fixed order, never sets: the answers must not depend on hash order.
    table: dict[str, dict[str, None]] = {}
    for concept, words in CONCEPTS.items():
        for word in words:
            for form in (word, _stem_id(word)):
                table.setdefault(form, {})[concept] = None
    return {form: tuple(concepts) for form, concepts in table.items()}


LOOKUP = _lookup()


def _concepts_of(word: str) -> tuple[str, ...]:
    word = CHAT.get(word, word)
    if word.endswith("'s"):
        word = word[:-2]  # "buyer's" is the buyer
    if word in STOP:
        return ()
    for form in (word, *_english_forms(word), _stem_id(word)):
        if form in LOOKUP:
            return LOOKUP[form]
    if word.isdigit() or len(word) < 3:
        return ()
    return (_stem_en(word),)


Concept = tuple[str, bool]  # (concept, negated)


def segments(text: str, *, categories: bool = True) -> list[list[Concept]]:
    """The text's concepts per clause, in order, each marked negated where a negation
    governs it (without `categories`, a negation that denies a kind of thing, "not a
    pre-order" or "bukan COD", negates nothing: what is left is what is off or missing)."""
    found: list[list[Concept]] = []
    plain = PHRASES.sub(lambda found: f" {PHRASE_WORDS[found[1]]} ", _plain(text).replace("-", " "))
    plain = DECIMAL.sub(" num ", plain)  # "0.5%" is one amount, not a "0" that denies
    plain = NO_X_OR_Y.sub(r"\1 \2 \3 \1 ", plain)  # "no tax or fee change": no fee change either
    for clause in CLAUSE.split(f" {plain} "):
        words = [CHAT.get(w, w) for w in re.findall(r"[a-z0-9&]+(?:'[a-z]+)?|%", clause)]
        negate_rest = False
        negate_next = 0
        marks: list[tuple[tuple[str, ...], bool]] = []
        for number, word in enumerate(words):
            if word in NEG_BEFORE or (word.endswith("n't") and word != "n't"):
                after = words[number + 1 : number + 2]
                negate_rest = categories or not (word == "bukan" or after in (["a"], ["an"]))
                continue
            if word == "0" and words[number + 1 : number + 2] not in ([], ["%"]):
                negate_next = ZERO_REACH  # "0 violation points": none of what follows
                continue
            if negate_next:
                negate_next -= 1
                marks.append((_concepts_of(word), True))
                continue
            if word in FAILING:  # "fails to load", "label gagal": an error, and what failed
                # "The tool fails to sync": what failed is the syncing; the tool is there.
                back_reach = 0 if words[number + 1 : number + 2] == ["to"] else NEG_AFTER_REACH
                for back in range(1, min(back_reach, len(marks)) + 1):
                    marks[-back] = (marks[-back][0], True)
                marks.append((("error",), False))
                negate_rest = True
                continue
            if word in NEG_AFTER:
                for back in range(1, min(NEG_AFTER_REACH, len(marks)) + 1):
                    marks[-back] = (marks[-back][0], not marks[-back][1])
                if word != "0":
                    continue
            marks.append((_concepts_of(word), negate_rest))
        found.append([(concept, negated) for group, negated in marks for concept in group])
    return found


def concepts(text: str) -> list[Concept]:
    """The text's concepts in order, each marked negated where a negation governs it."""
    return [item for part in segments(text) for item in part]


# --- The evidence: what the facts say ---------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """The story's facts as concepts, per fact and overall, with what the seller can't say."""

    facts: tuple[str, ...]
    per_fact: tuple[frozenset[Concept], ...]
    clauses: tuple[frozenset[Concept], ...]
    overall: frozenset[Concept]
    unknown: tuple[frozenset[str], ...]
    missing: tuple[frozenset[str], ...]  # per fact: what it says is off, missing or failing

    @classmethod
    def of(cls, story: Story) -> Evidence:
        """The evidence a story gives."""
        facts = story.facts
        per_fact = tuple(frozenset(concepts(fact)) for fact in facts)
        return cls(
            facts=facts,
            per_fact=per_fact,
            clauses=tuple(frozenset(part) for fact in facts for part in segments(fact) if part),
            overall=frozenset().union(*per_fact),
            unknown=tuple(frozenset(c for c, _ in concepts(u)) for u in story.unknown),
            missing=tuple(
                frozenset(c for part in segments(fact, categories=False) for c, n in part if n)
                for fact in facts
            ),
        )

    def support(self, concept: str, negated: bool) -> float:
        """+1 when the facts say it as asked, -1 when only its opposite, 0 when silent."""
        if (concept, negated) in self.overall:
            return 1.0
        if (concept, not negated) in self.overall:
            return -1.0
        return 0.0


@dataclass(frozen=True)
class _Language:
    code: str
    facts: Mapping[str, object]


def _text(text: object, language: _Language) -> str:
    if text is None:
        return ""
    getter = getattr(text, "get", None)
    shown = str(getter(language.code)) if getter is not None else str(text)
    # "{key}" or "{key|unit}": the fact's value as the seller sees it (the unit is a word
    # more, and no concept hangs on it).
    return re.sub(r"\{(\w+)(?:\|[^}]*)?\}", lambda m: str(language.facts.get(m[1], m[0])), shown)


def is_catch_all(label: str) -> bool:
    """Whether an option is the "something else / not sure" way out."""
    plain = f" {_plain(label)} "
    return any(re.search(rf"\b{re.escape(marker)}\b", plain) for marker in CATCH_ALL)


# --- Answering -------------------------------------------------------------------------

# Words nearly every text of the domain has: they tell options apart weakly.
GENERIC = frozenset(
    {
        "order",
        "seller",
        "shop",
        "center",
        "sellercenter",
        "tiktok",
        "time",
        "other",
        "ship",
        "error",
        # "Asked for" alone says nothing of what was asked.
        "ask",
    }
)
GENERIC_WEIGHT = 0.3
# One part of an option ("A / B / C") standing alone counts this much of the whole.
PART = 0.8
# An option's claim without its bracket, when the facts deny the bracket, counts this much.
BRACKET_DENIED = 0.25
# What an option's word outside the vocabulary weighs (see _choose).
UNREAD = 0.5
# An option's negated words are usually its point ("can't open", "no orders come in").
NEGATED_WEIGHT = 2.0
# What an option claims and the facts never mention counts against it this much: a seller
# would know (and the story would say) if it were a pre-order, a COD parcel, ...
UNSTATED = 0.6
# Concepts found together in one fact count this much more than scattered ones.
TOGETHER = 0.3
# An option whose stated concepts weigh less than this is scaled down (one common word
# matching says little).
MASS = 2.0
# A fact that does not say an option's heaviest concept (its point) counts this much.
POINT_MISSED = 0.25
# A fact that tells no problem (the seller's setting) supports an option this much.
CONTEXT_ONLY = 0.5
TROUBLE = frozenset(VOCABULARY["words"]["trouble"])
# A fact sharing words with the question itself counts this much more per shared concept.
ABOUT_BONUS = 0.15
# What the facts say overall (not in one fact) counts this much.
OVERALL = 0.3
# An option needs at least this score (its concepts the facts state, weighted) to be
# chosen over the catch-all.
ENOUGH = 0.15
# A yes/no question or a checklist item is about a fact when they share this much.
ABOUT = 0.34


def answer(
    question: Any, story: Story, now: dt.datetime = CLOCK, facts: Mapping[str, object] = {}
) -> object | None:
    """The answer the seller gives to one question, or None when they cannot answer it.
    `facts` fill the texts' {placeholders} as the seller sees them."""
    evidence = Evidence.of(story)
    language = _Language(story.language, facts)
    asked = f"{_text(question.text, language)} {_text(question.help, language)}"
    match question.kind:
        case "choice":
            return _choose(question, evidence, language, asked)
        case "yesno":
            verdict = _about(concepts(_text(question.text, language)), evidence)
            return "yes" if verdict is True else "no"
        case "multi":
            return _checklist(question, evidence, language)
        case "number":
            return _number(question, story, _text(question.text, language))
        case "version":
            found = _version(story, _text(question.text, language))
            if found is None:
                return "" if question.optional else None
            return found
        case "datetime":
            when = _datetime(story, _text(question.text, language), now)
            if when is None:
                return "" if question.optional else None
            return when.isoformat()
    return None


def _option_text(option: Any, language: _Language) -> str:
    return f"{_text(option.label, language)} {_text(getattr(option, 'help', None), language)}"


def _choose(question: Any, evidence: Evidence, language: _Language, asked: str) -> str:
    options = list(question.options)
    texts = [_option_text(option, language) for option in options]
    # The way out is marked as such where the flow marks it (shown apart on the page),
    # and otherwise known by its label.
    marked = [o for o in options if getattr(o, "catch_all", False)]
    catch = marked or [o for o in options if is_catch_all(_text(o.label, language))]
    # What the question asks is in its text; its help only says where to look.
    if catch and _unknown_asked(_text(question.text, language), evidence):
        return str(catch[0].value)
    yes_no = _yes_no_options([o for o in options if o not in catch], language)
    if yes_no is not None:
        verdict = _about(concepts(_text(question.text, language)), evidence)
        if verdict is not None:
            return str(yes_no[0 if verdict else 1].value)
        if catch:
            return str(catch[0].value)
    bags = [list(dict.fromkeys(concepts(text))) for text in texts]
    relevant = {c for c, _ in concepts(asked)} - GENERIC
    frequency: dict[str, int] = {}
    for bag in bags:
        for concept in {c for c, _ in bag}:
            frequency[concept] = frequency.get(concept, 0) + 1
    count = len(options)
    scores: list[float] = []
    for option, text, bag in zip(options, texts, bags, strict=True):
        if option in catch:
            scores.append(-math.inf)
            continue
        weights = {
            item: math.log(1 + count / frequency[item[0]])
            * (GENERIC_WEIGHT if item[0] in GENERIC else 1.0)
            * (NEGATED_WEIGHT if item[1] else 1.0)
            # A word outside the domain's concepts that the facts don't use may still be
            # the option's meaning in words we can't read across languages: it counts less.
            * (1.0 if item[0] in CONCEPTS or evidence.support(*item) != 0 else UNREAD)
            for item in bag
        }
        # "A, B or C": the option holds when any one part does, if that part says
        # something only this option says ("by the buyer" alone is no option).
        parts: list[tuple[list[Concept], Reading]] = []
        for part, reading in alternatives(text):
            found = concepts(part)
            if any(frequency[c] == 1 and c not in GENERIC for c, _ in found):
                parts.append(([item for item in dict.fromkeys(found) if item in weights], reading))
        # What an option claims, without its examples in brackets ("cancelled (by the
        # platform or the buyer)"): the bracket's rare words are not its point.
        head = [item for item in concepts(re.sub(r"\([^)]*\)", " ", text)) if item in weights]
        # ... unless the facts deny what the bracket says ("(the courier hasn't come)").
        bracket = [c for part in re.findall(r"\(([^)]*)\)", text) for c in concepts(part)]
        head_counts = PART * (
            BRACKET_DENIED if any(evidence.support(*c) < 0 for c in bracket) else 1
        )
        scores.append(
            max(
                [
                    _score(weights, evidence, relevant),
                    *(
                        [head_counts * _score({i: weights[i] for i in head}, evidence, relevant)]
                        if "(" in text and head
                        else []
                    ),
                    *(
                        PART
                        * _score(
                            {item: weights[item] for item in part}, evidence, relevant, reading
                        )
                        for part, reading in parts
                        if part
                    ),
                ]
            )
        )
    # A tie (both capped) goes to the option more of whose words the facts say.
    said = [_said(bag, evidence) for bag in bags]
    best = max(range(count), key=lambda i: (round(scores[i], 6), said[i], -i))
    if scores[best] < ENOUGH:
        # Nothing in the facts: "None" where the question offers it (the story would say
        # if there were a notice), else the way out.
        nothing = [o for o in options if _plain(_text(o.label, language)).strip() in NOTHING]
        if nothing:
            return str(nothing[0].value)
        if catch:
            return str(catch[0].value)
    return str(options[best].value)


def _said(bag: Sequence[Concept], evidence: Evidence) -> float:
    """The share of an option's concepts (beyond the generic ones) the facts state."""
    mine = [item for item in bag if item[0] not in GENERIC]
    return sum(evidence.support(*item) for item in mine) / len(mine) if mine else 0.0


# How a part of an option is read: as a claim ("the label fails"), as a topic it names
# ("Shop settings: addresses" is about addresses, there or missing), or as asked about
# ("whether it is late" says nothing of lateness either way).
Reading = Literal["claim", "topic", "asked"]


def alternatives(text: str) -> list[tuple[str, Reading]]:
    """The parts of an option that each may hold alone, with how each is read: "A / B",
    "A, B or C", the topics listed after a colon ("a shop problem: verification, staff,
    tax"), and what follows "whether". A comma alone is not a list: "withdrawing fails,
    and no reason is given" is one claim."""
    found: list[tuple[str, Reading]] = [(m[1], "asked") for m in WHETHER.finditer(text)]
    for piece in text.split("/"):
        head, colon, listed = piece.partition(":")
        if colon:
            found.append((head, "claim"))
            found += [(part, "topic") for part in re.split(r",| atau | or ", listed)]
        elif re.search(r"\b(atau|or)\b", piece):
            found += [(part, "claim") for part in re.split(r",| atau | or ", piece)]
        else:
            found.append((piece, "claim"))
    return [(part, reading) for part, reading in found if part.strip()]


def _score(
    weights: Mapping[Concept, float],
    evidence: Evidence,
    relevant: set[str],
    reading: Reading = "claim",
) -> float:
    """How well the facts state an option: the share of its weighted concepts the best
    single fact says (a seller answers from the one fact that answers the question), less
    what it contradicts, scaled up by how much is stated and how much that fact is about
    the question."""
    total = sum(weights.values())
    if not total:
        return 0.0
    best = 0.0
    point = max(sorted(weights), key=lambda item: weights[item])
    for fact, missing in zip(evidence.per_fact, evidence.missing, strict=True):
        if reading == "asked":  # "whether it is late": said either way
            fact = fact | {(c, not negated) for c, negated in fact}
        elif reading == "topic":
            # "return address empty" is about addresses; "not a pre-order" is not.
            fact = fact | {
                (c, not negated)
                for c, negated in fact
                if c not in TROUBLE and (not negated or c in missing)
            }
        said = sum(
            w * (1.0 if item in fact else -1.0 if (item[0], not item[1]) in fact else 0.0)
            for item, w in weights.items()
        )
        if said <= 0:
            continue
        if point not in fact:
            said *= POINT_MISSED
        if not _troubled(fact):
            said *= CONTEXT_ONLY
        about = len(relevant & {c for c, _ in fact})
        best = max(best, said / total * min(1.0, said / MASS) ** 0.5 * (1 + ABOUT_BONUS * about))
    if evidence.support(*point) <= 0:
        return best  # the facts never say the option's point: only one fact may carry it
    overall = sum(w * evidence.support(*item) for item, w in weights.items()) / total
    return best + OVERALL * overall


def _troubled(fact: frozenset[Concept]) -> bool:
    """Whether a fact tells of a problem (something negated, failing, late, missing...)
    rather than of the seller's setting: a problem is what the seller describes first."""
    return any(negated or concept in TROUBLE for concept, negated in fact)


def _yes_no_options(options: Sequence[Any], language: _Language) -> tuple[Any, Any] | None:
    """The two options, if they are all there is besides the way out, that answer the
    question yes and no ("Ya, ..." / "Tidak, ...")."""
    if len(options) != 2:
        return None
    found: dict[bool, Any] = {}
    for option in options:
        first = re.findall(r"[a-z]+", _plain(_text(option.label, language)))[:1]
        if first and first[0] in YES:
            found.setdefault(True, option)
        elif first and first[0] in NO:
            found.setdefault(False, option)
    if set(found) != {True, False}:
        return None
    return found[True], found[False]


YES = frozenset({"ya", "yes", "iya"})
# An option that answers "there is none".
NOTHING = frozenset({"none", "tidak ada", "nothing", "belum ada", "no notice"})
NO = frozenset({"tidak", "no", "bukan", "nggak", "gak"})


def _unknown_asked(asked: str, evidence: Evidence) -> bool:
    """Whether the question asks what the story says the seller does not know."""
    wanted = {c for c, _ in concepts(asked)} - {"order", "seller", "shop"}
    return any(len(wanted & unknown) >= 2 for unknown in evidence.unknown)


def _about(asked: Sequence[Concept], evidence: Evidence) -> bool | None:
    """True if the facts state what is asked, False if they deny it, None if silent.

    Read clause by clause, from the clause that says most of what is asked: if it denies
    any of it, or anything else ("other sellers see no such problem"), the answer is no."""
    wanted = {
        item: GENERIC_WEIGHT
        if item[0] in GENERIC
        # A word outside the domain's concepts ("thing", "right now") says less.
        else 1.0
        if item[0] in CONCEPTS or evidence.support(*item) != 0
        else UNREAD
        for item in asked
    }
    total = sum(wanted.values())
    if not total or all(c in GENERIC for c, _ in wanted):
        return None
    asked_concepts = {c for c, _ in wanted}
    best: tuple[float, bool] = (0.0, False)
    # A clause, or a whole fact when it lists what is asked ("cache cleared, logged out and in").
    for clause in (*evidence.clauses, *evidence.per_fact):
        agree = sum(w for item, w in wanted.items() if item in clause)
        oppose = sum(
            w for (c, n), w in wanted.items() if (c, not n) in clause and (c, n) not in clause
        )
        denied = oppose > 0 or any(n and c not in asked_concepts for c, n in clause)
        share = (agree + oppose) / total
        if share > best[0]:
            best = (share, not denied)
    if best[0] < ABOUT:
        return None
    return best[1]


def _checklist(question: Any, evidence: Evidence, language: _Language) -> object:
    ticked: list[str] = []
    unticked: list[str] = []
    unsure: list[str] = []
    for option in question.options:
        text = _option_text(option, language)
        verdict = _about(concepts(text), evidence)
        if verdict is None and _unknown_asked(text, evidence):
            unsure.append(option.value)  # the story says the seller doesn't know this
        elif verdict is False:
            unticked.append(option.value)
        else:
            # A setting the facts never mention is one the seller has no reason to doubt:
            # the story would say if it were missing.
            ticked.append(option.value)
    if not question.unsure:
        return ticked
    return {"ticked": ticked, "unticked": unticked, "unsure": unsure}


def _clauses(story: Story) -> Iterable[tuple[str, set[str]]]:
    for fact in story.facts:
        for part in re.split(r";|\. ", fact):
            yield part, {c for c, _ in concepts(part)}


def _closest(
    story: Story, asked: str, pattern: re.Pattern[str]
) -> tuple[str, re.Match[str]] | None:
    """The fact clause with a match of `pattern` that shares most with the question."""
    wanted = {c for c, _ in concepts(asked)} - {"seller", "shop"}
    best: tuple[float, str, re.Match[str]] | None = None
    for part, bag in _clauses(story):
        found = pattern.search(part)
        if found is None:
            continue
        score = len(wanted & bag)
        if score and (best is None or score > best[0]):
            best = (score, part, found)
    return None if best is None else (best[1], best[2])


NUMBER = re.compile(
    r"(?<![\d.:-])(\d{1,3}(?:\.\d{3})+|\d+)(?![\d:-])(?!\.\d)|\b(" + "|".join(NUMBER_WORDS) + r")\b"
)


def _number(question: Any, story: Story, asked: str) -> int | None:
    hit = _closest(story, asked, NUMBER)
    if hit is None:
        return None
    digits, word = hit[1].group(1), hit[1].group(2)
    value = int(digits.replace(".", "")) if digits else NUMBER_WORDS[word]
    if not question.minimum <= value <= question.maximum:
        return None
    return value


VERSION = re.compile(r"\b\d+\.\d+(?:\.\d+)*\b")


def _version(story: Story, asked: str) -> str | None:
    for part, bag in _clauses(story):
        if "version" in bag and (found := VERSION.search(part)) is not None:
            return found.group(0)
    return None


ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
DAY_MONTH = re.compile(r"\b(\d{1,2})\s+([a-z]{3})[a-z]*\.?(?:\s+(\d{4}))?\b")
TIME = re.compile(r"\b(?:jam\s+)?([01]?\d|2[0-3])[:.]([0-5]\d)\b")
WHEN = re.compile(
    r"\b(\d{4}-\d{2}-\d{2}|\d{1,2}\s+[a-z]{3}|today|yesterday|hari ini|kemarin|tonight|"
    + "|".join(WEEKDAYS)
    + r")\b"
)


def story_clock(story: Story) -> dt.datetime:
    """When the seller is asking: a fact starting "now" or "asked", else the bank's clock."""
    for fact in story.facts:
        plain = _plain(fact)
        if plain.startswith(("now", "asked")):
            found = _when(plain, CLOCK)
            if found is not None and found.date() == CLOCK.date() and TIME.search(plain):
                return found
    return CLOCK


def _datetime(story: Story, asked: str, now: dt.datetime) -> dt.datetime | None:
    wanted = {c for c, _ in concepts(asked)} - {"seller", "shop", "time"}
    best: tuple[int, dt.datetime] | None = None
    for fact in story.facts:
        plain = _plain(fact)
        if plain.startswith(("now", "asked")):
            continue
        for part in re.split(r";", plain):
            if not WHEN.search(part):
                continue
            score = len(wanted & {c for c, _ in concepts(part)})
            found = _when(part, now)
            if score and found is not None and (best is None or score > best[0]):
                best = (score, found)
    return None if best is None else best[1]


def _when(text: str, now: dt.datetime) -> dt.datetime | None:
    """The first date in the text, with its time of day (or a part of the day) in WIB."""
    today = now.astimezone(WIB).date()
    day: dt.date | None = None
    if found := ISO.search(text):
        day = dt.date(int(found[1]), int(found[2]), int(found[3]))
    elif (found := DAY_MONTH.search(text)) and found[2][:3] in MONTHS:
        year = int(found[3]) if found[3] else today.year
        day = dt.date(year, MONTHS[found[2][:3]], int(found[1]))
        if day > today and not found[3]:
            day = day.replace(year=year - 1) if (day - today).days > 180 else day
    elif re.search(r"\b(today|hari ini|this morning|tadi)\b", text):
        day = today
    elif re.search(r"\b(yesterday|kemarin|last night|semalam)\b", text):
        day = today - dt.timedelta(days=1)
    else:
        for name, number in WEEKDAYS.items():
            if re.search(rf"\b{name}\b", text):
                day = today - dt.timedelta(days=(today.weekday() - number) % 7)
                break
    if day is None:
        return None
    hour, minute = 9, 0
    if clock := TIME.search(text):
        hour, minute = int(clock[1]), int(clock[2])
        before = text[max(0, clock.start() - 8) : clock.start()]
        if re.search(r"\b(after|lewat|setelah|abis|habis)\s*$", before):
            hour = min(hour + 1, 23)  # "after 12:00": some time later; the seller knows when
        elif re.search(r"\b(before|sebelum)\s*$", before):
            hour = max(hour - 1, 0)
    else:
        for part, start in DAYPARTS.items():
            if re.search(rf"\b{part}\b", text):
                hour = start
                break
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=WIB)
