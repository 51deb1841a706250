"""scripts/seed_sessions.py fills insight's rollup as the app keeps it, copies included."""

from __future__ import annotations

import datetime as dt
import importlib
import random
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from wizard.sellers.models import FlowVersion, MonthTally, Session, Tally
from wizard.sellers.models.tallies import rebuild
from wizard.support.models import Case

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.fixture
def seed(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.syspath_prepend(str(SCRIPTS))
    return importlib.import_module("seed_sessions")


@pytest.fixture
def orders(db: None) -> FlowVersion:
    """The real flow: its paths walk the same whenever they are walked."""
    return FlowVersion.load(Path(settings.FLOW_FILES[0]).read_text(encoding="utf-8"))[0]


def rollup() -> tuple[list[Any], list[Any]]:
    key = ("flow_version_id", "language", "is_agent", "step", "measure", "bucket", "count")
    return (
        sorted(Tally.objects.exclude(count=0).values_list("day", *key)),
        sorted(MonthTally.objects.exclude(count=0).values_list("month", *key)),
    )


def seeded(seed: Any, version: FlowVersion, size: int, days: int) -> None:
    rng = random.Random(7)
    pool = [seed._simulate(version.flow, rng) for _ in range(40)]
    seed._seed_batch(size, version, pool, set(), seed._agent(), timezone.now(), days, rng)


def test_seeded_sessions_count_in_the_rollup_as_rebuild_counts_them(
    seed: Any, orders: FlowVersion
) -> None:
    seeded(seed, orders, 300, 70)
    kept = rollup()
    assert len({day for day, *_ in kept[0]}) > 40  # spread over the days
    assert len({row[3:7] for row in kept[0] if row[5] == "answer_seconds"}) > 20  # pauses vary
    assert rebuild() == 300
    assert rollup() == kept
    escalated = Session.objects.filter(status="escalated")
    assert Case.objects.count() == escalated.count() > 0


def test_copies_shifted_back_count_what_rebuild_counts(seed: Any, orders: FlowVersion) -> None:
    seeded(seed, orders, 120, 3)
    seed.copies.copy_back(3, 3)
    assert Session.objects.count() == 480
    assert Session.objects.values("code").distinct().count() == 480
    oldest = Session.objects.order_by("created_at").first()
    assert oldest is not None
    assert timezone.now() - oldest.created_at > dt.timedelta(days=9)
    kept = rollup()
    assert rebuild() == 480
    assert rollup() == kept
    later = Session.start(orders, language="id")  # the ids go on after the copies
    assert later.pk > 480
