"""The benchmark's and the soak's simulated seller reads the real pages: a checklist
(one yes / no / not sure group per item) is a question to answer, not a solution."""

from __future__ import annotations

import datetime as dt
import random

from django.test import Client
from django.utils import timezone

from bench.seller import step_form
from tests.staff import answer_all
from wizard.sellers.models import Session


def test_the_simulated_seller_answers_a_checklist_as_a_browser_would(session: Session) -> None:
    placed = (timezone.now() - dt.timedelta(hours=2)).astimezone(dt.UTC).isoformat()
    answer_all(session, ("where", "ship"), ("placed_at", placed), ("ordered", 5), ("stock", 5))
    client = Client(HTTP_ACCEPT_LANGUAGE="id")
    form = step_form(client.get(session.step_url("settings")).content.decode())
    assert form is not None
    assert form.key == "settings"
    value = form.valid_value(random.Random(3))
    assert isinstance(value, dict)
    assert set(value) == {"tick_address", "tick_bank"}
    assert set(value.values()) <= {"ticked", "unticked", "unsure"}
    sent = form.post(value)
    response = client.post(
        form.action, {k: v for k, v in sent.items() if k != "csrfmiddlewaretoken"}
    )
    assert response.status_code == 303
    session.refresh_from_db()
    assert "settings" in session.answers
    stored = session.answers["settings"]
    assert {state: sorted(items) for state, items in stored.items()} == {
        state: sorted(name[len("tick_") :] for name, v in value.items() if v == state)
        for state in ("ticked", "unticked", "unsure")
    }
