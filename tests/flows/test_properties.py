"""Properties that hold for any input, on the test flow and on the shipped flow:
any value posted to any question is a form error or a valid step, never a 5xx; the
engine's walk is deterministic and never visits a step twice."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.http import QueryDict
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.documents import SMALL
from wizard.flows import Flow, Question, accepts, load_flow, walk
from wizard.flows.checklist import STATES
from wizard.flows.workdays import (
    cuti_bersama_between,
    holidays_between,
    is_working_day,
    ship_due,
)
from wizard.sellers.forms import TICK_FIELD, AnswerForm
from wizard.sellers.models import FlowVersion, Session


def flow_documents() -> dict[str, str]:
    """The flows under test: the small test flow, and the shipped one once it exists."""
    documents = {"small": SMALL}
    for path in settings.FLOW_FILES:
        if Path(path).exists():
            documents[Path(path).stem] = Path(path).read_text(encoding="utf-8")
    return documents


DOCUMENTS = flow_documents()
FLOWS = {name: load_flow(text) for name, text in DOCUMENTS.items()}
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")

# Deterministic, so CI fails the same way twice; no example database on disk.
PROPERTY = hypothesis_settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What a form field may receive from anyone: any text (control characters, emoji, very
# long), several values at once, or nothing.
junk_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", " ", "0", "-1", "1e9", "9" * 40, "NaN", "null", "[]", "43.2.1.0.9"]),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
)
junk_field = st.one_of(st.none(), junk_text, st.lists(junk_text, min_size=2, max_size=4))


def valid_value(question: Question) -> st.SearchStrategy[Any]:
    """What a browser sends for a well-formed answer to this question."""
    values = question.values
    match question.kind:
        case "choice" | "yesno":
            return st.sampled_from(values)
        case "multi":
            ticked = st.lists(st.sampled_from(values), unique=True, max_size=len(values))
            if not question.unsure:
                return ticked
            # Yes / no / not sure per item, as the radio groups send them (some left
            # out), or the ticked list that a page from before "not sure" sends.
            ticks = st.fixed_dictionaries(
                {},
                optional={
                    f"{TICK_FIELD}{value}": st.sampled_from([*STATES, "", "maybe"])
                    for value in values
                },
            )
            return st.one_of(ticked, ticks)
        case "version":
            parts = st.lists(st.integers(0, 120).map(str), min_size=1, max_size=4)
            versions = parts.map(".".join)
            return st.one_of(st.just(""), versions) if question.optional else versions
        case "number":
            return st.integers(question.minimum, question.maximum).map(str)
        case _:
            hours_ago = st.integers(min_value=1, max_value=24 * 100)
            return hours_ago.map(
                lambda hours: (
                    (timezone.now().astimezone(JAKARTA) - dt.timedelta(hours=hours))
                    .replace(tzinfo=None)
                    .strftime("%Y-%m-%dT%H:%M")
                )
            )


def post_data(revision: Any, value: Any) -> QueryDict:
    """Form fields as a request carries them: a field may be missing or repeated."""
    data = QueryDict(mutable=True)
    if revision is not None:
        data["revision"] = revision
    if isinstance(value, dict):  # a checklist's radio groups, one field per item
        for name, state in value.items():
            data[name] = state
    elif isinstance(value, list):
        data.setlist("value", value)
    elif value is not None:
        data["value"] = value
    return data


# --- The form ------------------------------------------------------------------------------


def every_question() -> list[tuple[str, Question]]:
    return [(name, q) for name, flow in FLOWS.items() for q in flow.questions.values()]


@pytest.mark.parametrize(
    ("flow_name", "question"), every_question(), ids=lambda part: getattr(part, "key", part)
)
@hypothesis_settings(PROPERTY, max_examples=30)
@given(data=st.data())
def test_any_value_is_a_form_error_or_an_answer_the_engine_accepts(
    flow_name: str, question: Question, data: st.DataObject
) -> None:
    value = data.draw(st.one_of(junk_field, valid_value(question)), label="value")
    revision = data.draw(st.one_of(st.none(), junk_text, st.just("0")), label="revision")
    form = AnswerForm(
        post_data(revision, value),
        flow=FLOWS[flow_name],
        question=question,
        language="en",
        revision=0,
    )
    if form.is_valid():
        answer = form.cleaned_data["value"]
        assert accepts(question, answer)
        walked = walk(FLOWS[flow_name], {question.key: answer}, timezone.now())
        assert walked.step
    else:
        assert form.errors


# --- The engine ----------------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=12)),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=6,
)


def answers_for(flow: Flow) -> st.SearchStrategy[dict[str, Any]]:
    """Any answers at all: well-formed ones, forged ones, and keys the flow never asks."""
    keys = st.one_of(st.sampled_from(sorted(flow.questions)), st.text(max_size=8))
    well_formed = st.one_of(
        *[
            st.tuples(st.just(key), valid_value(question).map(stored(flow, question)))
            for key, question in flow.questions.items()
        ]
    )
    forged = st.tuples(keys, json_values)
    return st.lists(st.one_of(well_formed, well_formed, forged), max_size=25).map(dict)


def stored(flow: Flow, question: Question) -> Callable[[Any], Any]:
    """A browser's value as the form would store it."""

    def clean(value: Any) -> Any:
        form = AnswerForm(post_data("0", value), flow=flow, question=question, language="en")
        return form.cleaned_data["value"] if form.is_valid() else value

    return clean


@pytest.mark.parametrize("flow_name", sorted(FLOWS))
@hypothesis_settings(PROPERTY, max_examples=60)
@given(data=st.data())
def test_the_walk_is_deterministic_and_never_visits_a_step_twice(
    flow_name: str, data: st.DataObject
) -> None:
    flow = FLOWS[flow_name]
    answers = data.draw(answers_for(flow), label="answers")
    now = timezone.now()
    first = walk(flow, answers, now)
    assert walk(flow, answers, now) == first
    assert walk(flow, dict(reversed(list(answers.items()))), now) == first
    keys = [question.key for question in first.path]
    assert len(keys) == len(set(keys))
    assert first.step not in keys
    assert (first.current is None) == (first.solution is not None)
    assert all(accepts(question, first.answers[question.key]) for question in first.path)
    assert first.remaining >= 0


# --- The pages: any POST to any question, never a 5xx ---------------------------------------


@pytest.fixture
def start_on(db: None) -> Callable[[str], Session]:
    versions: dict[str, FlowVersion] = {}

    def start(flow_name: str) -> Session:
        if flow_name not in versions:
            versions[flow_name], _ = FlowVersion.load(DOCUMENTS[flow_name])
        return Session.start(versions[flow_name], language="en")

    return start


@pytest.mark.parametrize("flow_name", sorted(FLOWS))
@hypothesis_settings(PROPERTY, max_examples=25)
@given(data=st.data())
def test_any_post_to_any_question_is_an_error_or_a_valid_step_never_a_5xx(
    start_on: Callable[[str], Session], flow_name: str, data: st.DataObject
) -> None:
    session = start_on(flow_name)
    client = Client()
    for _ in range(data.draw(st.integers(1, 12), label="steps")):
        walked = session.walk()
        on_path = [question.key for question in walked.path]
        if walked.current is not None:
            on_path.append(walked.current.key)
        key = data.draw(st.sampled_from(on_path or [walked.step]), label="question")
        question = session.flow.questions.get(key)
        if question is None:  # the solution page
            assert client.get(session.step_url(key)).status_code == 200
            break
        value = data.draw(st.one_of(valid_value(question), junk_field), label="value")
        revision = data.draw(
            st.one_of(st.just(str(session.revision)), st.none(), junk_text), label="revision"
        )
        htmx = {"HTTP_HX_REQUEST": "true"} if data.draw(st.booleans(), label="htmx") else {}
        before = session.revision
        response = client.post(
            session.step_url(key),
            post_data(revision, value).urlencode(),
            **htmx,
            content_type="application/x-www-form-urlencoded",
        )

        assert response.status_code in (200, 303), response.status_code
        session.refresh_from_db()
        is_form_error = response.status_code == 200 and b"invalid-feedback" in response.content
        if is_form_error:
            assert session.revision == before
        else:
            assert session.revision in (before, before + 1)
        if session.revision == before + 1:
            assert accepts(question, session.answers[key])
        walked = session.walk()
        assert session.current_step == walked.step
        keys = [asked.key for asked in walked.path]
        assert len(keys) == len(set(keys))


# --- The ship-by calendar -------------------------------------------------------------

ORDER_TIMES = st.datetimes(
    min_value=dt.datetime(2025, 1, 1), max_value=dt.datetime(2027, 12, 31)
).map(lambda naive: naive.replace(tzinfo=JAKARTA))


@PROPERTY
@given(placed=ORDER_TIMES)
def test_a_ship_by_day_is_a_working_day_never_before_the_order_and_never_past_a_working_day(
    placed: dt.datetime,
) -> None:
    due = ship_due(placed, 12)
    assert due > placed
    assert is_working_day(due.date())
    # Between the order day and the due day lies no other working day: a cuti bersama
    # weekday counts, so the count never runs past it.
    day = placed.date() + dt.timedelta(days=1)
    while day < due.date():
        assert not is_working_day(day)
        day += dt.timedelta(days=1)


@PROPERTY
@given(placed=ORDER_TIMES)
def test_the_days_skipped_are_national_holidays_and_cuti_bersama_is_never_skipped(
    placed: dt.datetime,
) -> None:
    due = ship_due(placed, 12)
    skipped = {holiday.day for holiday in holidays_between(placed.date(), due.date())}
    joint = {holiday.day for holiday in cuti_bersama_between(placed.date(), due.date())}
    assert not any(is_working_day(day) for day in skipped)
    assert all(is_working_day(day) for day in joint - skipped)
