"""Times read the way Indonesian sellers write them: WIB/WITA/WIT, never "UTC+07"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from wizard.sellers.templatetags.sellers import _moment, prose_moment


@pytest.mark.parametrize(
    ("answer", "language", "shown"),
    [
        ("2026-11-30T22:43:00+07:00", "id", "30 November 2026, 22.43 WIB"),
        ("2026-11-30T22:43:00+07:00", "en", "30 November 2026, 22:43 WIB"),
        ("2026-03-26T08:05:00+08:00", "id", "26 Maret 2026, 08.05 WITA"),
        ("2026-03-26T08:05:00+09:00", "en", "26 March 2026, 08:05 WIT"),
    ],
)
def test_a_date_answer_names_the_sellers_zone(answer: str, language: str, shown: str) -> None:
    with translation.override(language):
        assert _moment(answer) == shown


def test_a_time_outside_indonesia_says_its_offset_plainly() -> None:
    with translation.override("en"):
        assert _moment("2026-11-30T06:00:00-08:00") == "30 November 2026, 06:00 UTC-08"


def test_prose_moment_uses_the_indonesian_month_and_dot() -> None:
    when = dt.datetime(2025, 12, 25, 23, 59)
    with translation.override("id"):
        assert prose_moment(when, "WIB", "id") == "25 Desember 2025, 23.59 WIB"
