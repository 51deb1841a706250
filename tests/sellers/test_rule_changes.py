"""A session pinned to an older version learns when a fact its pages show changed, and
can move to the live version with the answers that still fit."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.documents import SMALL
from wizard.sellers.models import FlowVersion, Session

# The first question's help names the fact, so every session past it shows it.
SHOWN = SMALL.replace(
    'help = {id = "Lihat halaman pesanan.", en = "Look at the orders page."}',
    'help = {id = "Lihat pesanan {late_hours|unit}.", en = "Look at orders {late_hours|unit} old."}',
)
LONGER = SHOWN.replace('value = 24\nunit = "hours"', 'value = 48\nunit = "hours"')


@pytest.fixture
def older(db: None) -> FlowVersion:
    version, _ = FlowVersion.load(SHOWN)
    return version


def resumed(session: Session) -> str:
    return Client().get(session.get_absolute_url()).content.decode()


def test_a_changed_fact_the_session_shows_is_announced_with_a_button(older: FlowVersion) -> None:
    session = Session.start(older, language="en", answers={"where": "open"})
    assert "A rule changed since you started" not in resumed(session)
    FlowVersion.load(LONGER)
    page = resumed(session)
    assert "A rule changed since you started" in page
    assert "24 hours before, 48 hours now" in page
    assert "Continue with the latest rules" in page


def test_a_new_version_that_changes_nothing_shown_says_nothing(older: FlowVersion) -> None:
    session = Session.start(older, language="en", answers={"where": "open"})
    FlowVersion.load(SHOWN.replace("Title outage", "Another outage title"))
    assert "A rule changed since you started" not in resumed(session)


def test_a_fact_no_page_of_the_session_shows_is_not_announced(db: None) -> None:
    version, _ = FlowVersion.load(SMALL)  # late_hours only in a route condition
    session = Session.start(version, language="en", answers={"where": "open"})
    FlowVersion.load(SMALL.replace('value = 24\nunit = "hours"', 'value = 48\nunit = "hours"'))
    assert session.rule_changes(FlowVersion.live("small")) == []


def test_continuing_on_the_latest_rules_carries_the_answers_that_still_fit(
    older: FlowVersion,
) -> None:
    session = Session.start(older, language="en", answers={"where": "open", "everyone": "no"})
    # Both questions are the same in the newer version: both answers go along.
    newer, _ = FlowVersion.load(LONGER)
    client = Client()
    response = client.post(f"{session.get_absolute_url()}latest/", {"revision": session.revision})
    assert response.status_code == 303
    session.refresh_from_db()
    assert session.flow_version_id == newer.pk
    assert session.answers == {"where": "open", "everyone": "no"}
    assert session.current_step == "app_version"
    assert "A rule changed since you started" not in resumed(session)


def test_an_answer_the_new_version_no_longer_accepts_is_dropped(older: FlowVersion) -> None:
    session = Session.start(older, language="en", answers={"where": "other", "everyone": "yes"})
    assert session.outcome == "outage"
    without_other = LONGER.replace(
        '  {value = "other", catch_all = true, label = {id = "Lainnya / tidak yakin", '
        'en = "Something else / not sure"}},\n',
        '  {value = "elsewhere", catch_all = true, label = {id = "Lainnya", en = "Elsewhere"}},\n',
    )
    newer, _ = FlowVersion.load(without_other)
    after = session.move_to(newer, revision=session.revision)
    # "other" is no option any more; the answer further on waits, as after any change.
    assert session.answers == {"everyone": "yes"}
    assert (after.step, session.current_step, session.outcome) == ("where", "where", "")
    assert session.solved_at is None


def test_a_stale_page_moves_nothing(older: FlowVersion) -> None:
    session = Session.start(older, language="en", answers={"where": "open"})
    FlowVersion.load(LONGER)
    Client().post(f"{session.get_absolute_url()}latest/", {"revision": session.revision + 5})
    session.refresh_from_db()
    assert session.flow_version_id == older.pk


def test_a_session_already_on_the_live_version_is_sent_to_its_step(older: FlowVersion) -> None:
    session = Session.start(older, language="en", answers={"where": "open"})
    response = Client().post(f"{session.get_absolute_url()}latest/", {"revision": session.revision})
    assert response.status_code == 303
    assert response["Location"] == session.step_url()
    session.refresh_from_db()
    assert (session.flow_version_id, session.revision) == (older.pk, 1)


def test_the_solution_page_tells_of_a_changed_rule_too(older: FlowVersion) -> None:
    session = Session.start(older, language="en", answers={"where": "open", "everyone": "yes"})
    assert session.walk().solution is not None
    client = Client()
    page = client.get(session.step_url()).content.decode()
    assert "A rule changed since you started" not in page
    FlowVersion.load(LONGER)
    page = client.get(session.step_url()).content.decode()
    assert "A rule changed since you started" in page
    assert "24 hours before, 48 hours now" in page
    assert f'name="revision" value="{session.revision}"' in page
