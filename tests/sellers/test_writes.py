"""A seller's write is all or nothing: the session row at its revision, the answer's log
line and insight's rollup, on whichever database the suite runs on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from wizard.sellers.models import Answer, Session, StaleRevision
from wizard.sellers.models.tallies import MonthTally, Tally, rebuild


def rollup() -> dict[str, set[tuple[Any, ...]]]:
    """Every count of the rollup's days and months, by table (a row that went back to
    zero is kept by the upserts, never made by a rebuild: it counts nothing)."""
    fields = ("flow_version_id", "language", "is_agent", "step", "measure", "bucket", "count")
    return {
        "days": set(Tally.objects.exclude(count=0).values_list("day", *fields)),
        "months": set(MonthTally.objects.exclude(count=0).values_list("month", *fields)),
    }


def test_an_answer_writes_the_row_its_log_line_and_the_rollup_rebuild_would_count(
    session: Session,
) -> None:
    agent = User.objects.create_user("agent")
    session.answer("where", "open", revision=session.revision, by=agent)
    session.answer("everyone", "yes", revision=session.revision)
    written = rollup()
    stored = Session.objects.get(pk=session.pk)
    assert (stored.revision, stored.outcome) == (2, "outage")
    assert stored.answers == {"where": "open", "everyone": "yes"}
    log = list(Answer.objects.filter(session=session).values_list("question", "revision"))
    assert log == [("where", 1), ("everyone", 2)]
    assert Answer.objects.get(session=session, question="where").answered_by == agent
    assert any(row[4] == "everyone" for row in written["days"])
    rebuild()
    assert rollup() == written


CHANGES: dict[str, Callable[[Session], object]] = {
    "answer": lambda stale: stale.answer("where", "shipped", revision=0),
    "feedback": lambda stale: stale.record_feedback(True, revision=0),
    "restart": lambda stale: stale.restart(revision=0),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_write_on_an_old_revision_writes_nothing(session: Session, change: str) -> None:
    session.answer("where", "open", revision=0)
    before = (rollup(), Answer.objects.count())
    stale = Session.objects.get(pk=session.pk)
    stale.revision = 0  # the page another tab showed before the answer
    stale.answers = {}
    with pytest.raises(StaleRevision):
        CHANGES[change](stale)
    assert (rollup(), Answer.objects.count()) == before
    assert Session.objects.get(pk=session.pk).answers == {"where": "open"}
