"""Data survives the move from the one `wizard` app to the audience apps.

The database is taken back to the schema of the days before the apps (`wizard` 0002),
filled through the models as they were then, and migrated forward again: every row of
every table must come through unchanged, and the staff's rights with them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.documents import SMALL
from wizard.sellers.models import Answer, FlowVersion, Incident, Session
from wizard.support.models import Note, ShareLink, ShareView

BEFORE = ("wizard", "0002_staff_cases_share_links_incidents")
TABLES = [
    "wizard_flowversion",
    "wizard_session",
    "wizard_answer",
    "wizard_incident",
    "wizard_sighting",
    "wizard_sharelink",
    "wizard_shareview",
    "wizard_note",
]


def rows(table: str, columns: list[str] | None = None) -> list[tuple[Any, ...]]:
    """A table's rows by id: every column, or only `columns` (later migrations add some),
    each as (column, value) pairs by name: a later migration may rebuild a table on
    SQLite (making a column nullable does) and so change the columns' order."""
    shown = ", ".join(map(connection.ops.quote_name, columns)) if columns else "*"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {shown} FROM {connection.ops.quote_name(table)} ORDER BY id")
        names = [column[0] for column in cursor.description]
        return [tuple(sorted(zip(names, row, strict=True))) for row in cursor.fetchall()]


def columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [
            column.name for column in connection.introspection.get_table_description(cursor, table)
        ]


def migrate_back() -> Any:
    """Unapply the apps' migrations and the move: the schema of wizard 0002, its models."""
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE, ("sellers", None), ("support", None)])
    return executor.loader.project_state(BEFORE).apps


def migrate(targets: list[tuple[str, str]]) -> None:
    MigrationExecutor(connection).migrate(targets)


def leaves() -> list[tuple[str, str]]:
    return list(MigrationExecutor(connection).loader.graph.leaf_nodes())


def fill_as_before(old: Any) -> None:
    """A small but complete database, written through the models of wizard 0002."""
    now = timezone.now().replace(microsecond=0)
    user = old.get_model("auth", "User").objects.create(username="rina", is_staff=True)
    version = old.get_model("wizard", "FlowVersion").objects.create(
        key="small", number=1, document=SMALL, checksum="c" * 64, published_at=now
    )
    session_model = old.get_model("wizard", "Session")
    sessions = [
        session_model.objects.create(
            token=f"token-{n}",
            code=f"CODE000{n}",
            flow_version=version,
            answers={"where": "cannot_ship", "stock": n},
            revision=2,
            status="escalated" if n else "open",
            current_step="done",
            outcome="out_of_stock",
            helped=False if n else None,
            language="en" if n else "id",
            zone="WITA",
            started_by=user if n else None,
            created_at=now - dt.timedelta(days=n),
            updated_at=now,
        )
        for n in range(3)
    ]
    for session in sessions:
        for revision, (question, value) in enumerate(session.answers.items(), 1):
            old.get_model("wizard", "Answer").objects.create(
                session=session, question=question, value=value, revision=revision
            )
    incident = old.get_model("wizard", "Incident").objects.create(
        title_indonesian="Gangguan",
        title_english="Outage",
        text_indonesian="Tunggu.",
        text_english="Wait.",
        starts_at=now - dt.timedelta(hours=1),
        created_by=user,
    )
    old.get_model("wizard", "Sighting").objects.create(
        session=sessions[0], incident=incident, ended_at=now
    )
    link = old.get_model("wizard", "ShareLink").objects.create(
        session=sessions[1],
        token_hash=hashlib.sha256(b"share").hexdigest(),
        is_for_support=True,
        expires_at=now + dt.timedelta(days=14),
    )
    old.get_model("wizard", "ShareView").objects.create(link=link, viewer=user)
    old.get_model("wizard", "ShareView").objects.create(link=link)
    old.get_model("wizard", "Note").objects.create(
        session=sessions[1], author=user, text="Called the seller.", status="escalated"
    )
    # The support group's rights, as `createstaff` gave them before the apps.
    permission = old.get_model("auth", "Permission").objects.get(
        content_type__app_label="wizard", codename="view_session"
    )
    group = old.get_model("auth", "Group").objects.create(name="support")
    group.permissions.add(permission)
    user.groups.add(group)


@pytest.mark.django_db(transaction=True)
def test_every_row_survives_the_move_to_the_audience_apps() -> None:
    latest = leaves()
    try:
        old = migrate_back()
        assert "session" in old.all_models["wizard"]
        assert "sellers" not in old.all_models
        fill_as_before(old)
        before = {table: rows(table) for table in TABLES}
        assert all(before.values()), "every table holds rows before the move"
        kept = {table: columns(table) for table in TABLES}
        # Later, sellers 0005 keeps only each token's hash (test_hashed_session_tokens.py).
        kept["wizard_session"].remove("token")
        before["wizard_session"] = rows("wizard_session", kept["wizard_session"])

        migrate(latest)

        assert {table: rows(table, kept[table]) for table in TABLES} == before
        assert "token" not in columns("wizard_session")
    finally:
        migrate(latest)

    # The models of the apps read the same rows…
    assert FlowVersion.objects.get().flow.key == "small"
    assert sorted(Session.objects.values_list("code", flat=True)) == [
        "CODE0000",
        "CODE0001",
        "CODE0002",
    ]
    # Every link given out before opens its session still.
    for n in range(3):
        found = Session.opened_by(f"token-{n}")
        assert found is not None
        assert found.code == f"CODE000{n}"
    session = Session.objects.get(code="CODE0001")
    assert session.answers == {"where": "cannot_ship", "stock": 1}
    assert session.zone == "WITA"
    current = session.walk().current  # the pinned version still parses and walks
    assert current is not None
    assert current.key == "where"
    assert Answer.objects.filter(session=session).count() == 2
    assert Incident.objects.get().sightings.get().session.code == "CODE0000"
    link = ShareLink.objects.get()
    assert (link.session, link.is_for_support) == (session, True)
    assert ShareView.objects.filter(link=link).count() == 2
    assert Note.objects.get().text == "Called the seller."
    # …and the staff keep their rights: the permission followed its model.
    assert Group.objects.get(name="support").permissions.get().codename == "view_session"
    rina = User.objects.get(username="rina")
    assert rina.has_perm("sellers.view_session")
    assert not rina.has_perm("wizard.view_session")
