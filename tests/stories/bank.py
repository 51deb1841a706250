"""The story bank: load the stories and what they expect, and walk each through the flow
guided (the policy answers every question) and from its words (the matcher pre-fills,
the seller picks from its short list as the page offers it, the policy answers the rest)."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from wizard.flows import Flow, Option, Text, Value, load_flow, walk
from wizard.flows.match import read_words

from .policy import Story, answer, story_clock

HERE = Path(__file__).resolve().parent
CONTENT = HERE.parents[1] / "wizard" / "content" / "orders.toml"
BANKS = {"shared": HERE / "seller-stories.toml", "own": HERE / "own-stories.toml"}
EXPECTED = HERE / "expected.toml"
WAYS = ("guided", "words")


def shipped(path: Path = CONTENT) -> Flow:
    """The flow the product ships (or another flow document, to compare)."""
    return load_flow(path.read_text(encoding="utf-8"))


def stories() -> dict[str, list[Story]]:
    """Every bank's stories, in the banks' order."""
    return {
        bank: [Story.read(entry) for entry in tomllib.loads(path.read_text("utf-8"))["story"]]
        for bank, path in BANKS.items()
    }


@dataclass(frozen=True)
class Expected:
    """What a story should end on: the cause in words, and the solution keys that say it."""

    meaning: str
    keys: tuple[str, ...]


def expected() -> tuple[dict[str, Expected], dict[str, dict[str, str]]]:
    """The expected solutions per story, and the known misses per way with their reasons."""
    table = tomllib.loads(EXPECTED.read_text("utf-8"))
    wanted = {
        story: Expected(entry["meaning"], tuple(entry["keys"]))
        for story, entry in table["expected"].items()
    }
    misses = {way: dict(table.get("known_misses", {}).get(way, {})) for way in WAYS}
    return wanted, misses


@dataclass(frozen=True)
class Outcome:
    """Where one walk ended, and the answers that took it there."""

    story: str
    way: str
    solution: str | None
    stopped_at: str | None
    transcript: tuple[tuple[str, Value], ...]
    findings: tuple[str, ...]
    prefilled: tuple[str, ...]

    def path(self) -> str:
        """The path taken, for a person to read."""
        steps = [
            f"{key}={_short(value)}{'*' if key in self.prefilled else ''}"
            for key, value in self.transcript
        ]
        end = self.solution or f"(stopped at {self.stopped_at}: the policy could not answer)"
        return " > ".join([*steps, end])


def _short(value: Value) -> str:
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{'|'.join(v)}" for k, v in value.items() if v) + "}"
    if isinstance(value, list):
        return "[" + ",".join(value) + "]"
    return str(value) if value != "" else "''"


def seen_facts(flow: Flow) -> dict[str, object]:
    """The facts' values, as the texts' {placeholders} show them to the seller."""
    return {name: fact.value for name, fact in flow.facts.items()}


# The way out the reading's short list offers (templates/sellers/_reading.html).
NONE_OF_THESE = Option(
    "",
    Text("Tidak ada yang cocok — tanyakan saja", "None of these — ask me the questions"),
    catch_all=True,
)


def prefilled(
    flow: Flow, story: Story, now: dt.datetime, facts: Mapping[str, object] | None = None
) -> dict[str, Value]:
    """The answers 'describe it in your words' gives for the story's words: the ones it
    ticks, and the first answer the seller picks from the short list the page shows
    (nothing chosen, "none of these" beside it) when it ticked none there."""
    reading = read_words(flow, story.words)
    given: dict[str, Value] = dict(reading.answers)
    key = reading.question
    if key is None or key in given or not reading.shortlist:
        return given
    question = flow.questions[key]
    offered = tuple(
        option
        for candidate in reading.shortlist
        if (option := question.option(candidate.value)) is not None
    )
    facts = facts if facts is not None else seen_facts(flow)
    picked = answer(replace(question, options=(*offered, NONE_OF_THESE)), story, now, facts)
    if picked:
        given[key] = picked  # type: ignore[assignment]
    return given


def run(flow: Flow, story: Story, way: str, forced: Mapping[str, Value] | None = None) -> Outcome:
    """Walk one story through the flow, guided or from its words (`forced` answers are
    given as if the seller had chosen them)."""
    now = story_clock(story)
    facts = seen_facts(flow)
    given: dict[str, Value] = prefilled(flow, story, now, facts) if way == "words" else {}
    given.update(forced or {})
    answers = dict(given)
    for _ in range(len(flow.questions) + 1):
        position = walk(flow, answers, now.astimezone(dt.UTC))
        if position.current is None:
            break
        question = position.current
        if question.key in answers:
            if question.key not in given:
                break  # the policy's own answer refused: nothing more to try
            del given[question.key]  # a pre-filled answer the engine refused: answer it
        reply = answer(question, story, now, facts)
        if reply is None:
            break
        answers[question.key] = reply  # type: ignore[assignment]
    position = walk(flow, answers, now.astimezone(dt.UTC))
    return Outcome(
        story=story.id,
        way=way,
        solution=position.solution.key if position.solution else None,
        stopped_at=position.current.key if position.current else None,
        transcript=tuple((q.key, v) for q, v in position.transcript),
        findings=tuple(f.key for f in position.findings),
        prefilled=tuple(key for key in given if key in position.answers),
    )


def listed(flow: Flow, outcome: Outcome, wanted: Mapping[str, Expected]) -> bool:
    """Whether a missed walk ended on a short list that names an expected cause (the seller
    still has to pick it from the list: counted apart, not as right)."""
    entry = wanted.get(outcome.story)
    solution = flow.solutions.get(outcome.solution or "")
    likely = getattr(solution, "likely", ())
    return entry is not None and bool(set(entry.keys) & set(likely))


def wrong_turn(flow: Flow, story: Story, outcome: Outcome, keys: tuple[str, ...]) -> str:
    """Where a missed walk went wrong: the first answer on its path whose alternative
    (the policy answering the rest) ends on an expected solution, or why none does."""
    if not set(keys) & set(flow.solutions):
        return f"the flow has no page {' / '.join(keys)} yet"
    if outcome.solution is None:
        return f"the policy could not answer {outcome.stopped_at!r} from the facts"
    for number, (key, value) in enumerate(outcome.transcript):
        question = flow.questions[key]
        if question.kind not in ("choice", "yesno"):
            continue
        before = dict(outcome.transcript[:number])
        for other in question.values:
            if other == value:
                continue
            tried = run(flow, story, outcome.way, forced={**before, key: other})
            if tried.solution in keys:
                label = question.option(other)
                shown = label.label.get(story.language) if label else other
                return f'at {key!r} the seller chose {value!r}; {other!r} ("{shown}") leads to {tried.solution}'
    return "no single other answer on this path reaches it: no route from where the seller started"


def reason(
    flow: Flow, story: Story, outcome: Outcome, keys: tuple[str, ...], guided: Outcome
) -> str:
    """Why a walk missed, in one line: for words, the pre-filled answer that parted from
    the guided path when that one is right; otherwise the first wrong turn."""
    if outcome.way == "words" and guided.solution in keys:
        taken = dict(guided.transcript)
        for key, value in outcome.transcript:
            if key in outcome.prefilled and taken.get(key) != value:
                shown = taken.get(key, "not asked")
                return f"the words pre-filled {key}={value!r} (the facts say {shown!r})"
    return wrong_turn(flow, story, outcome, keys)


def judge(outcome: Outcome, wanted: Mapping[str, Expected]) -> bool:
    """Whether a walk ended on a solution the story accepts."""
    expected_here = wanted.get(outcome.story)
    return expected_here is not None and outcome.solution in expected_here.keys


def walk_all(flow: Flow | None = None) -> dict[str, list[Outcome]]:
    """Every story of every bank walked both ways, per bank."""
    flow = flow or shipped()
    return {
        bank: [run(flow, story, way) for story in bank_stories for way in WAYS]
        for bank, bank_stories in stories().items()
    }
