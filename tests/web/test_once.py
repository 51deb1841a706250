"""{% once %}: rendered once per value of its arguments and the active language."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

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


HOLES = Template(
    "{% load once %}{% once key holes url csrf_token %}"
    '<a href="{{ url }}">{{ key }}</a>{% csrf_token %}<b>{{ url }}</b>{% endonce %}'
)


def test_holes_are_filled_per_render_as_variables_print() -> None:
    once.clear()
    page = HOLES.render(Context({"key": "k", "url": "/s/a/", "csrf_token": "c1"}))
    assert page == (
        '<a href="/s/a/">k</a><input type="hidden" name="csrfmiddlewaretoken" value="c1">'
        "<b>/s/a/</b>"
    )
    # The same fragment (key k) again: the cut text, with this render's values, escaped.
    again = HOLES.render(Context({"key": "k", "url": '/s/"b"/', "csrf_token": "c2"}))
    assert again == (
        '<a href="/s/&quot;b&quot;/">k</a>'
        '<input type="hidden" name="csrfmiddlewaretoken" value="c2"><b>/s/&quot;b&quot;/</b>'
    )


def test_a_hole_prints_each_kind_of_value_as_a_variable_does() -> None:
    once.clear()
    both = Template("{% load once %}{% once holes value %}[{{ value }}]{% endonce %}|{{ value }}")
    values = [
        '<b>"x" & y</b>',
        mark_safe("<b>safe</b>"),
        SimpleLazyObject(lambda: "<lazy & 'quoted'>"),
        SimpleLazyObject(lambda: mark_safe("<i>lazy safe</i>")),
        gettext_lazy("Next"),
        1234.5,
        None,
    ]
    with translation.override("en"):
        for value in values:
            filled, plain = both.render(Context({"value": value})).split("|")
            assert filled == f"[{plain}]", value


def test_csrf_token_fills_a_hole() -> None:
    once.clear()
    fragment = Template(
        "{% load once %}{% once holes csrf_token %}<form>{% csrf_token %}</form>{% endonce %}"
    )
    assert 'value="one"' in fragment.render(Context({"csrf_token": "one"}))
    assert 'value="two"' in fragment.render(Context({"csrf_token": "two"}))


def test_a_hole_that_is_not_printed_as_it_is_fails_loudly() -> None:
    once.clear()
    tested = Template("{% load once %}{% once holes url %}{{ url|urlencode }}{% endonce %}")
    with pytest.raises(TemplateSyntaxError, match="'url' is not printed as it is"):
        tested.render(Context({"url": "/a/"}))


def test_without_its_holes_in_the_context_a_fragment_renders_afresh() -> None:
    once.clear()
    tested = Template("{% load once %}{% once holes url %}[{{ url }}]{{ other }}{% endonce %}")
    assert tested.render(Context({"other": 1})) == "[]1"
    assert tested.render(Context({"other": 2})) == "[]2"


def test_a_block_cannot_be_inside_a_fragment() -> None:
    with pytest.raises(TemplateSyntaxError, match="cannot be inside"):
        Template("{% load once %}{% once %}{% block title %}{% endblock %}{% endonce %}")
