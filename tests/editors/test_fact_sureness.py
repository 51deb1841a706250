"""The workshop's facts page shows how sure each fact is and what kind of source it rests on."""

from __future__ import annotations

import re

from django.contrib.auth.models import User
from django.test import Client

from tests.documents import SMALL
from tests.staff import signed_in, staff_user
from wizard.sellers.models import FlowVersion


def rows(page: str) -> dict[str, str]:
    """Each fact's table row, by the fact's key."""
    return {
        key: row
        for row in re.findall(r"<tr>.*?</tr>", page, re.DOTALL)
        for key in re.findall(r"<code>([a-z_]+)</code>", row)
    }


def facts_page(db: None, document: str) -> dict[str, str]:
    FlowVersion.load(document)
    user: User = staff_user("editors")
    client: Client = signed_in(user)
    return rows(client.get("/staff/flows/facts/", HTTP_ACCEPT_LANGUAGE="en").content.decode())


def test_a_fact_shows_its_own_confidence_and_its_source_kind(db: None) -> None:
    found = facts_page(
        db,
        SMALL.replace(
            'unit = "hours"\nsource_kind = "id_official"',
            'unit = "hours"\nconfidence = "partial"\nsource_kind = "other_country"',
        ),
    )
    late = found["late_hours"]
    assert re.search(r'class="fact-confidence">\s*partial\s*</td>', late)
    assert "other country" in late


def test_a_fact_without_its_own_confidence_is_as_sure_as_its_source(db: None) -> None:
    found = facts_page(db, SMALL)
    late = found["late_hours"]
    assert "solid" in late
    assert "as its source" in late
    assert "Indonesian official" in late
