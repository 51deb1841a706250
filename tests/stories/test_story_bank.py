"""The story bank walked through the shipped flow: every story ends where expected.toml
says, guided by the answering policy and from its own words, or is listed as a known
miss with its reason (and a listed miss that now passes fails, so the table stays true).
The figures against the bar are printed by scripts/stories.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from functools import cache

import pytest

from wizard.flows import Flow, Option, Question, Reading, Text, read_words

from . import policy
from .bank import BANKS, WAYS, Outcome, expected, judge, prefilled, run, shipped, stories
from .policy import Story, answer

OWN_AT_LEAST = 60
FIELDS = {"id", "language", "words", "facts", "unknown", "cause", "advice", "source"}


@cache
def flow() -> Flow:
    return shipped()


def every_story() -> list[tuple[str, Story]]:
    return [(bank, story) for bank, told in stories().items() for story in told]


# --- The banks themselves ------------------------------------------------------------


def test_each_bank_is_complete_and_flow_free() -> None:
    """Every story has all its fields, a unique id and one of our two languages; the own
    bank has at least 60 stories; and no story names a flow key (they stay flow-free)."""
    keys = set(flow().questions) | set(flow().solutions)
    seen: set[str] = set()
    for bank, path in BANKS.items():
        table = tomllib.loads(path.read_text("utf-8"))["story"]
        if bank == "own":
            assert len(table) >= OWN_AT_LEAST
        for entry in table:
            assert set(entry) == FIELDS, entry["id"]
            assert entry["language"] in {"id", "en"}, entry["id"]
            assert entry["id"] not in seen, entry["id"]
            seen.add(entry["id"])
            told = " ".join([entry["words"], *entry["facts"], *entry["unknown"]])
            named = {k for k in keys if "_" in k and re.search(rf"\b{k}\b", told)}
            assert not named, f"{entry['id']} names flow keys {named}"


def test_expected_table_covers_every_story_with_solutions_the_flow_has() -> None:
    wanted, misses = expected()
    ids = {story.id for _, story in every_story()}
    assert set(wanted) == ids
    solutions = set(flow().solutions)
    unknown = {story: e.keys for story, e in wanted.items() if not set(e.keys) <= solutions}
    assert not unknown, f"expected keys the flow has no solution for: {unknown}"
    for way in WAYS:
        assert set(misses[way]) <= ids, f"known {way} misses name no story"
        assert all(reason.strip() for reason in misses[way].values()), "a miss needs its reason"


# --- The policy reads what a seller reads ------------------------------------------------


def _renamed(question: Question) -> Question:
    """The same question with every option's key replaced by a meaningless one."""
    options = tuple(
        dataclasses.replace(option, value=f"v{number}", keywords=())
        for number, option in enumerate(question.options)
    )
    return dataclasses.replace(question, key="q", options=options)


@pytest.mark.parametrize("key", ["where", "status", "error", "payout", "shipment"])
def test_policy_answers_the_same_whatever_the_keys_are_called(key: str) -> None:
    """Renaming the options' keys (and dropping the matcher's keywords) changes nothing:
    the policy chose from the labels the seller reads."""
    question = flow().questions.get(key)
    if question is None or question.kind != "choice":
        pytest.skip(f"the shipped flow has no choice question {key!r}")
    for _, story in every_story()[::7]:
        plain = answer(question, story)
        renamed = answer(_renamed(question), story)
        assert renamed == f"v{question.values.index(plain)}", story.id


def _story(facts: list[str], unknown: tuple[str, ...] = (), language: str = "en") -> Story:
    return Story("T", language, "", tuple(facts), unknown, "")


def _choice(*labels: tuple[str, str]) -> Question:
    options = tuple(Option(f"o{n}", Text(id=id_, en=en)) for n, (id_, en) in enumerate(labels))
    return Question("q", "choice", Text("Apa yang terjadi?", "What happens?"), None, options, ())


HOLIDAY = _choice(
    ("Mode Libur aktif", "Holiday mode is on"),
    ("Mode Libur mati", "Holiday mode is off"),
    ("Lainnya / tidak yakin", "Something else / not sure"),
)


def test_a_negated_fact_picks_the_negated_option_in_either_language() -> None:
    off = _story(["holiday mode was switched off on Monday", "no violation points"])
    on = _story(["holiday mode has been on since Friday"])
    assert answer(HOLIDAY, off) == "o1"
    assert answer(HOLIDAY, on) == "o0"
    assert answer(HOLIDAY, dataclasses.replace(off, language="id")) == "o1"


def test_facts_that_do_not_say_take_the_way_out() -> None:
    silent = _story(["the courier comes at noon", "sells shoes"])
    assert answer(HOLIDAY, silent) == "o2"


OTHERS = dataclasses.replace(
    _choice(
        ("Ya, penjual lain juga", "Yes, other sellers too"),
        ("Tidak, sepertinya hanya saya", "No, it seems to be only me"),
        ("Belum tahu", "I don't know yet"),
    ),
    text=Text(
        "Apakah penjual lain juga mengalami masalah yang sama?",
        "Are other sellers seeing the same problem?",
    ),
)


def test_yes_and_no_options_answer_like_the_question_they_restate() -> None:
    """A clause that says what is asked but denies something else denies the question."""
    assert (
        answer(OTHERS, _story(["two sellers in my group complained of the same problem"])) == "o0"
    )
    assert answer(OTHERS, _story(["other sellers in my group see no such problem"])) == "o1"
    assert answer(OTHERS, _story(["sells shoes"])) == "o2"


def test_typed_answers_come_from_the_facts_or_stay_empty() -> None:
    placed = Question(
        "p", "datetime", Text("Kapan pesanan dibuat?", "When was the order placed?"), None, (), ()
    )
    optional = dataclasses.replace(placed, optional=True)
    story = _story(
        ["asked Monday 2026-12-07 10:00 WIB", "order placed Friday 2026-12-04 15:40 WIB"]
    )
    assert answer(placed, story) == "2026-12-04T15:40:00+07:00"
    assert answer(optional, _story(["sells shoes"])) == ""
    assert answer(placed, _story(["sells shoes"])) is None
    days = Question(
        "d", "number", Text("Berapa hari Pre-Order?", "How many pre-order days?"), None, (), ()
    )
    assert answer(days, _story(["pre-order time set to 5 days on the product"])) == 5


def test_the_clock_is_when_the_seller_asks() -> None:
    asking = _story(["now Monday 2026-12-07 08:30 WIB"])
    assert policy.story_clock(asking) == dt.datetime(2026, 12, 7, 8, 30, tzinfo=policy.WIB)
    assert policy.story_clock(_story(["sells shoes"])) == policy.CLOCK


def test_from_words_the_seller_picks_from_the_short_list_or_none_of_these() -> None:
    # Words the matcher is not sure of: the page shows a short list with nothing chosen.
    words = "td malem kelola pesanan di aplikasi cuma muter2 trs kosong, di laptop jg sama"
    reading = shipped_reading(words)
    assert not reading.answers
    assert reading.shortlist
    offered = {candidate.value for candidate in reading.shortlist}
    fits = Story("T", "id", words, ("Seller Center cannot be opened at all, app or web",), (), "")
    assert "cannot_open" in offered
    assert prefilled(flow(), fits, policy.CLOCK) == {"where": "cannot_open"}
    # Facts that fit none of the listed answers: "none of these", nothing pre-filled.
    unrelated = Story("T", "id", words, ("jualan baju anak sejak 2024",), (), "")
    assert prefilled(flow(), unrelated, policy.CLOCK) == {}


def shipped_reading(words: str) -> Reading:
    return read_words(flow(), words)


# --- Every story, both ways ------------------------------------------------------------


def _explain(outcome: Outcome) -> str:
    wanted, _ = expected()
    entry = wanted[outcome.story]
    return f"{outcome.story} ({outcome.way}) should end on {entry.keys}: {entry.meaning}\n  took {outcome.path()}"


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize(
    ("bank", "story"), every_story(), ids=[story.id for _, story in every_story()]
)
def test_story_ends_where_expected_or_is_a_known_miss(bank: str, story: Story, way: str) -> None:
    wanted, misses = expected()
    outcome = run(flow(), story, way)
    reason = misses[way].get(story.id)
    if reason is None:
        assert judge(outcome, wanted), (
            "a new miss (fix the flow, or list it with its reason):\n" + _explain(outcome)
        )
    else:
        assert not judge(outcome, wanted), (
            f"{story.id} ({way}) is listed as a known miss ({reason}) but now ends right: "
            "take it off known_misses in tests/stories/expected.toml"
        )
