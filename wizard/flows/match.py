"""'Describe it in your words': match a seller's free text against the options' keywords."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from .document import Flow, Question, Text
from .engine import follow

# Chat spellings sellers type, each mapped to the word the keywords use. Keywords go
# through the same table, so an author may write either form.
ABBREVIATIONS = {
    "gak": "tidak",
    "ga": "tidak",
    "gk": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "engga": "tidak",
    "tdk": "tidak",
    "tak": "tidak",
    "bs": "bisa",
    "bisa2": "bisa",
    "blm": "belum",
    "blum": "belum",
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
    "lg": "lagi",
    "tp": "tapi",
    "gmn": "bagaimana",
    "gimana": "bagaimana",
    "pesenan": "pesanan",
    "orderan": "pesanan",
    "apk": "aplikasi",
    "pickup": "pick up",
    "dateng": "datang",
    "kmrn": "kemarin",
    "kemaren": "kemarin",
    "dr": "dari",
    "sy": "saya",
    "aja": "saja",
    "ngirim": "kirim",
    "kirimin": "kirim",
    "jemputin": "jemput",
}
# A keyword counts only when every one of its words is in the text (a typo allowed);
# a clear answer must also stand this far above the next option.
CLEAR = 0.8
MARGIN = 0.2
TYPO = 0.85  # a word one slip away from the keyword's word
PARTIAL = 0.5  # a keyword only partly present ranks candidates but never answers
ANSWERABLE = ("choice", "yesno")


@dataclass(frozen=True)
class Candidate:
    """An option the seller's words point at, with how strongly (0 to 1)."""

    question: str
    value: str
    label: Text
    score: float


@dataclass(frozen=True)
class Suggestion:
    """Answers the words settle on one path, and ranked options where they stopped."""

    answers: dict[str, str]
    question: str | None
    candidates: tuple[Candidate, ...]


def normalise(text: str) -> str:
    """Lower case, no accents or punctuation, single spaces, chat spellings expanded."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    words = re.sub(r"[^a-z0-9]+", " ", plain).split()
    return " ".join(ABBREVIATIONS.get(_stem(word), _stem(word)) for word in words)


def suggest(flow: Flow, words: str) -> Suggestion:
    """Answer choice and yes/no questions from the start while the words clearly say so."""
    tokens = set(normalise(words).split())
    facts = {key: fact.value for key, fact in flow.facts.items()}
    now = dt.datetime.now(dt.UTC)  # only `.hours_ago` reads it, and no answer here is a date
    answers: dict[str, str] = {}
    key = flow.start
    while key in flow.questions and key not in answers:
        question = flow.questions[key]
        if question.kind not in ANSWERABLE:
            return Suggestion(answers, key, ())
        ranked = rank(question, tokens)
        best = ranked[0].score if ranked else 0.0
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        if best < CLEAR or best - runner_up < MARGIN:
            return Suggestion(answers, key, ranked)
        answers[key] = ranked[0].value
        # A route that reads an answer the words cannot give would be a guess.
        if any(
            route.condition is not None and not route.condition.keys <= answers.keys()
            for route in question.routes
        ):
            return Suggestion(answers, None, ())
        target = follow(question, answers, facts, now, [])
        if target is None:
            break
        key = target
    return Suggestion(answers, None, ())


def rank(question: Question, tokens: set[str]) -> tuple[Candidate, ...]:
    """The question's options the words point at, strongest first."""
    scored = [
        Candidate(question.key, option.value, option.label, score)
        for option in question.options
        if (score := max((_keyword_score(k, tokens) for k in option.keywords), default=0.0))
    ]
    return tuple(sorted(scored, key=lambda candidate: -candidate.score))


def _keyword_score(keyword: str, tokens: set[str]) -> float:
    wanted = normalise(keyword).split()
    if not wanted:
        return 0.0
    found = [max((_word_score(word, token) for token in tokens), default=0.0) for word in wanted]
    if all(found):
        return sum(found) / len(found)
    return PARTIAL * sum(found) / len(found)


def _word_score(wanted: str, given: str) -> float:
    if wanted == given:
        return 1.0
    if min(len(wanted), len(given)) >= 5 and _one_slip_apart(wanted, given):
        return TYPO
    return 0.0


def _one_slip_apart(a: str, b: str) -> bool:
    """One letter added, dropped, changed, or two neighbours swapped."""
    if len(a) > len(b):
        a, b = b, a
    if len(b) - len(a) > 1:
        return False
    start = 0
    while start < len(a) and a[start] == b[start]:
        start += 1
    if len(a) < len(b):
        return a[start:] == b[start + 1 :]
    if a[start + 1 :] == b[start + 1 :]:
        return True
    return a[start : start + 2] == b[start : start + 2][::-1] and a[start + 2 :] == b[start + 2 :]


def _stem(word: str) -> str:
    # "pengirimannya" is "pengiriman" and "dibuka" is "buka" to a seller; short words
    # like "punya" or "diri" keep their ends. Keywords are stemmed the same way.
    # Chat writes a repeated word with a 2: "dateng2" is "dateng-dateng".
    if len(word) > 2 and word.endswith("2") and word[-2].isalpha():
        word = word[:-1]
    if word.endswith("nya") and len(word) >= 7:
        word = word[:-3]
    if word.startswith("di") and len(word) >= 6:
        word = word[2:]
    return word
