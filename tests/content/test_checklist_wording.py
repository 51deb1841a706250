"""The shop-settings checklist reads "Ya" as all is well on every row: the holiday row says
the shop is open, not that a mode is off, and answering it still finds the cause."""

from __future__ import annotations

import re

import pytest

from wizard.flows import walk

from .shipped import NOW, flow

DONE = {"verified", "pickup_addr", "return_addr", "shipping_opts", "bank", "integration"}
# A row that says a setting is off/dead: "No" to it is a double negative.
OFF = re.compile(r"\b(?:mati|off|tidak aktif|inactive|nonaktif)\b", re.IGNORECASE)


def settings(**states: list[str]) -> dict[str, list[str]]:
    return {"ticked": [], "unticked": [], "unsure": [], **states}


def test_the_holiday_row_says_the_shop_is_open_not_that_a_mode_is_off() -> None:
    [row] = [o for o in flow().questions["settings"].options if o.value == "holiday_off"]
    assert row.label.get("id").startswith("Toko buka")
    assert row.label.get("en").startswith("Shop open")
    for language in ("id", "en"):  # what the row states; the brackets say where to look
        stated = row.label.get(language).split("(")[0]
        assert not OFF.search(stated), stated


@pytest.mark.parametrize(
    ("holiday", "where", "ends_on", "notes"),  # no orders come in: the row decides
    [
        ("unticked", "no_orders", "holiday_mode", False),  # "Tidak": the shop is closed
        ("unsure", "no_orders", "holiday_mode", False),
        ("ticked", "no_orders", "shop_health", False),  # "Ya": open, look further
    ],
)
def test_answering_the_holiday_row_still_finds_holiday_mode(
    holiday: str, where: str, ends_on: str | None, notes: bool
) -> None:
    answers = {
        "where": where,
        "buyers": "quiet",
        "settings": settings(
            ticked=sorted(DONE | ({"holiday_off"} if holiday == "ticked" else set())),
            **({holiday: ["holiday_off"]} if holiday != "ticked" else {}),
        ),
    }
    position = walk(flow(), answers, now=NOW)
    asked = [question.key for question in position.path]
    assert "settings" in asked
    # What comes right after the checklist: the next question, or the solution it ends on.
    following = asked[asked.index("settings") + 1 :]
    after = following[0] if following else (position.current or position.solution)
    after_key = after if isinstance(after, str) else getattr(after, "key", None)
    if ends_on is not None:
        assert after_key == ends_on
    assert ("holiday_mode" in [finding.key for finding in position.findings]) == notes
