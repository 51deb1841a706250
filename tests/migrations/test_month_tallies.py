"""The migration that adds insight's month level fills it with the sums of the days
already counted, so the page reads the same figures the moment it is deployed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.documents import SMALL
from tests.migrations.test_move_to_audience_apps import leaves
from wizard.sellers.models import MonthTally

BEFORE = ("sellers", "0006_hashed_session_tokens")


@pytest.mark.django_db(transaction=True)
def test_the_month_level_starts_as_the_sum_of_the_days() -> None:
    latest = leaves()
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([BEFORE])
        old = executor.loader.project_state(BEFORE).apps
        version = old.get_model("sellers", "FlowVersion").objects.create(
            key="small", number=1, document=SMALL, checksum="x" * 64
        )
        tally = old.get_model("sellers", "Tally")
        counts = [  # (day, language, step, count)
            (dt.date(2026, 1, 31), "id", "where", 3),
            (dt.date(2026, 2, 1), "id", "where", 4),
            (dt.date(2026, 2, 28), "id", "where", 5),
            (dt.date(2026, 2, 28), "en", "where", 1),
            (dt.date(2026, 2, 14), "id", "everyone", 2),
        ]
        tally.objects.bulk_create(
            tally(
                flow_version=version,
                day=day,
                language=language,
                is_agent=False,
                step=step,
                measure="views",
                count=count,
            )
            for day, language, step, count in counts
        )
        MigrationExecutor(connection).migrate(latest)
        months = {
            (row.month, row.language, row.step): row.count
            for row in MonthTally.objects.filter(flow_version_id=version.pk, measure="views")
        }
        assert months == {
            (dt.date(2026, 1, 1), "id", "where"): 3,
            (dt.date(2026, 2, 1), "id", "where"): 9,
            (dt.date(2026, 2, 1), "en", "where"): 1,
            (dt.date(2026, 2, 1), "id", "everyone"): 2,
        }
    finally:
        MigrationExecutor(connection).migrate(leaves())
