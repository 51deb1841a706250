"""'Describe it in your words': match a seller's free text against the options' keywords."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from .document import Flow, Question, Text
from .graph import reachable

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
    """Pre-fill every answer the words make clear along one path of the flow.

    Every choice and yes/no option's keywords count, however deep its question: the
    path that explains the most words wins, and the answers on the way to it (the ones
    it implies) are pre-filled too. Where two paths explain the words about as well,
    the seller picks at the first question they part, from candidates ranked by how
    much of the words each explains.
    """
    tokens = set(normalise(words).split())
    matches = {
        (question.key, option.value): covered
        for question in flow.questions.values()
        if question.kind in ANSWERABLE
        for option in question.options
        if (covered := _covered(option.keywords, tokens))
    }
    paths = _paths(flow, matches) if matches else []
    best = max((path.score for path in paths), default=0.0)
    if best == 0:
        ranked = rank(flow.questions[flow.start], tokens) if flow.start in flow.questions else ()
        return Suggestion({}, flow.start, ranked)
    contenders = [
        path
        for path in paths
        if path.score >= CONTENDER * best
        and not any(path.matched < other.matched for other in paths)
    ]
    leader = max(contenders, key=lambda path: (path.score, len(path.matched)))
    agreed = {
        key: value
        for key, value in leader.answers.items()
        if all(path.answers.get(key) == value for path in contenders)
    }
    asked = next((key for key in leader.visited if key not in agreed), leader.stop)
    if len({path.matched for path in contenders}) == 1:
        return Suggestion(agreed, asked, ())
    split = next(
        (
            key
            for key in leader.visited
            if key not in agreed and flow.questions[key].kind in ANSWERABLE
        ),
        None,
    )
    if split is None:
        return Suggestion(agreed, asked, ())
    before = set(leader.visited[: leader.visited.index(split)])
    return Suggestion(
        {key: value for key, value in agreed.items() if key in before},
        split,
        _candidates(flow, split, contenders, tokens),
    )


CONTENDER = 0.6  # a path explaining at least this share of the best one's words competes


@dataclass(frozen=True)
class _Path:
    answers: dict[str, str]
    visited: tuple[str, ...]
    matched: frozenset[tuple[str, str]]
    score: float
    stop: str | None  # the question the words stopped answering; None at a solution


def _paths(flow: Flow, matches: dict[tuple[str, str], dict[str, float]]) -> list[_Path]:
    """Every way through the flow while a question the words answer is still ahead."""
    facts = {key: fact.value for key, fact in flow.facts.items()}
    now = dt.datetime.now(dt.UTC)  # only `.hours_ago` reads it, and no answer here is a date
    wanted = {key for key, _ in matches}
    ahead = {key: (reachable(flow, key) | {key}) & wanted for key in flow.questions}
    found: list[_Path] = []
    budget = [BUDGET]

    def visit(
        key: str, answers: dict[str, str], visited: tuple[str, ...], got: frozenset[tuple[str, str]]
    ) -> None:
        budget[0] -= 1
        if key not in flow.questions or key in visited or not ahead[key] or budget[0] < 0:
            stop = key if key in flow.questions and key not in visited else None
            found.append(_finish(answers, visited, got, matches, stop))
            return
        question = flow.questions[key]
        visited = (*visited, key)
        if question.kind not in ANSWERABLE:
            ways = _targets(question, answers, facts, now, unknown={key})
            if ways is None:  # a route reads an answer the words cannot give
                found.append(_finish(answers, visited, got, matches, key))
            for target in ways or ():
                visit(target, answers, visited, got)
            return
        for option in question.options:
            chosen = {**answers, key: option.value}
            matched = got | {(key, option.value)} if (key, option.value) in matches else got
            targets = _targets(question, chosen, facts, now, unknown=set())
            if targets is None:  # a route reads an answer the words cannot give
                found.append(_finish(chosen, visited, matched, matches, None))
                continue
            for target in targets:
                visit(target, chosen, visited, matched)

    visit(flow.start, {}, (), frozenset())
    return found


BUDGET = 20_000  # steps of the search; a flow ten questions deep needs a few hundred


def _finish(
    answers: dict[str, str],
    visited: tuple[str, ...],
    matched: frozenset[tuple[str, str]],
    matches: dict[tuple[str, str], dict[str, float]],
    stop: str | None,
) -> _Path:
    covered: dict[str, float] = {}
    for pair in matched:
        for token, quality in matches[pair].items():
            covered[token] = max(covered.get(token, 0.0), quality)
    return _Path(answers, visited, matched, sum(covered.values()), stop)


def _targets(
    question: Question,
    answers: dict[str, str],
    facts: Mapping[str, object],
    now: dt.datetime,
    unknown: set[str],
) -> list[str] | None:
    """Where the routes may lead; None when a route reads an answer not given."""
    targets: list[str] = []
    for route in question.routes:
        if route.go is None:
            continue  # a finding: it changes nothing about the way on
        if route.condition is None:
            targets.append(route.go)
            break
        reads = route.condition.keys - answers.keys()
        if not reads:
            if route.condition.holds(answers, facts, now):
                targets.append(route.go)
                break
            continue
        if not reads <= unknown:
            return None
        targets.append(route.go)  # depends on the answer we cannot read: either way
    return list(dict.fromkeys(targets))


def _candidates(
    flow: Flow, key: str, contenders: list[_Path], tokens: set[str]
) -> tuple[Candidate, ...]:
    question = flow.questions[key]
    if question.kind not in ANSWERABLE:
        return ()
    scores: dict[str, float] = {}
    for path in contenders:
        value = path.answers.get(key)
        if value is not None:
            scores[value] = max(scores.get(value, 0.0), path.score)
    total = max(len(tokens), 1)
    order = {option.value: number for number, option in enumerate(question.options)}
    return tuple(
        Candidate(key, value, option.label, min(1.0, score / total))
        for value, score in sorted(scores.items(), key=lambda item: (-item[1], order[item[0]]))
        if (option := question.option(value)) is not None
    )


def _covered(keywords: tuple[str, ...], tokens: set[str]) -> dict[str, float]:
    """The words of the text a clear keyword explains, with how well (typos count less)."""
    best: dict[str, float] = {}
    for keyword in keywords:
        wanted = normalise(keyword).split()
        found: dict[str, float] = {}
        for word in wanted:
            quality, token = max(((_word_score(word, t), t) for t in tokens), default=(0.0, ""))
            found[token] = max(found.get(token, 0.0), quality)
        clear = wanted and all(found.values()) and sum(found.values()) / len(wanted) >= CLEAR
        if clear and sum(found.values()) > sum(best.values()):
            best = found
    return best


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
