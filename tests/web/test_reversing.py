"""plain_reverse gives reverse()'s URL, its pattern reversed once per process."""

from __future__ import annotations

import pytest
from django.urls import reverse, set_script_prefix

from wizard.web.reversing import plain_reverse

TOKEN = "Ab-_09" * 7


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("step", [TOKEN, "order_status"]),
        ("resume", [TOKEN]),
        ("share_links", [TOKEN]),
        ("revoke_share", [TOKEN, 17]),
        ("landing", []),
        ("flow_diagram_version", [3]),
    ],
)
def test_it_gives_the_url_reverse_gives(name: str, args: list[object]) -> None:
    assert plain_reverse(name, *args) == reverse(name, args=args)
    assert plain_reverse(name, *args) == reverse(name, args=args)  # from the stored pattern


def test_other_arguments_go_through_reverse() -> None:
    assert plain_reverse("case", "a b ü") == reverse("case", args=["a b ü"])


def test_a_script_prefix_is_kept() -> None:
    set_script_prefix("/help/")
    try:
        assert plain_reverse("resume", TOKEN) == f"/help/s/{TOKEN}/"
    finally:
        set_script_prefix("/")
    assert plain_reverse("resume", TOKEN) == f"/s/{TOKEN}/"
