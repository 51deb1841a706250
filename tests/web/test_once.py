"""{% once %}: rendered once per value of its arguments and the active language."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from wizard.web.templatetags import once

TEMPLATE = Template(
    "{% load i18n once %}{% once key %}{{ key }} {{ other }} {% translate 'Next' %}{% endonce %}"
)


def render(**context: object) -> str:
    return TEMPLATE.render(Context(context))


def test_a_fragment_is_rendered_once_per_argument_value() -> None:
    once.clear()
    with translation.override("en"):
        assert render(key="a", other=1) == "a 1 Next"
        # Not an argument: the first render stands (which is why only what a fragment
        # depends on may be inside it).
        assert render(key="a", other=2) == "a 1 Next"
        assert render(key="b", other=2) == "b 2 Next"


def test_each_language_has_its_own_rendering() -> None:
    once.clear()
    with translation.override("en"):
        assert render(key="a") == "a  Next"
    with translation.override("id"):
        assert render(key="a") == "a  Lanjut"


def test_objects_count_by_identity_and_stay_alive() -> None:
    once.clear()
    first, second = object(), object()
    with translation.override("en"):
        assert render(key=first, other=1) != render(key=second, other=2)
        assert render(key=first, other=3).endswith("1 Next")
