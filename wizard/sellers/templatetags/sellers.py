"""Template tags that show flow content in the page's language."""

import datetime as dt
from typing import Any

from django import template
from django.forms import BoundField
from django.utils.formats import date_format
from django.utils.translation import get_language

from wizard.flows import Flow, Question, Text
from wizard.flows.checklist import STATES, read_ticks
from wizard.flows.deadlines import ZONES, seller_zone

from ..forms import TICK_CHOICES

register = template.Library()


@register.simple_tag(takes_context=True)
def say(context: template.Context, text: Text | None) -> str:
    """A flow text in the active language, with its facts filled in."""
    if text is None:
        return ""
    flow: Flow = context["flow"]
    return flow.render(text, get_language() or "id")


@register.simple_tag(takes_context=True)
def answer_label(context: template.Context, question: Question, value: Any) -> str:
    """How an answer reads to a person (option labels, not stored values)."""
    flow: Flow = context["flow"]
    language = get_language() or "id"
    if question.kind == "multi" and (ticks := read_ticks(question.values, value)) is not None:
        # Yes, no and not sure apart, so support sees what is missing and what is unknown.
        words = dict(TICK_CHOICES)
        groups = [
            f"{words[state]}: {', '.join(_label(flow, question, item, language) for item in items)}"
            for state in STATES
            if (items := getattr(ticks, state))
        ]
        return " · ".join(groups)
    if isinstance(value, list):
        labels = [_label(flow, question, item, language) for item in value]
        return ", ".join(labels) if labels else "—"
    if value in ("", None):
        return "—"
    if question.kind == "datetime":
        return _moment(value)
    return _label(flow, question, value, language)


# The zones sellers name their time by, from the offset an answer was given in.
ZONE_OF_OFFSET = {7: "WIB", 8: "WITA", 9: "WIT"}


def prose_moment(when: dt.datetime, zone: str, language: str) -> str:
    """A time as a person writes it: "30 November 2026, 22.43 WIB" in Indonesian (the
    official style puts a dot between hours and minutes), "30 November 2026, 22:43 WIB"."""
    clock = when.strftime("%H.%M" if language == "id" else "%H:%M")
    return f"{date_format(when, 'j F Y')}, {clock} {zone}"


@register.filter
def in_prose(when: dt.datetime, zone: str) -> str:
    """A moment in the seller's zone (WIB, WITA or WIT), written as people write it."""
    name = zone if zone in ZONES else "WIB"
    local = when.astimezone(seller_zone(name))
    return prose_moment(local, name, get_language() or "id")


def _moment(value: str) -> str:
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    offset = when.utcoffset()
    hours = None if offset is None else offset.total_seconds() / 3600
    zone = ZONE_OF_OFFSET.get(int(hours)) if hours is not None and hours.is_integer() else None
    if zone is None:  # not an Indonesian zone (a forged answer): say the offset plainly
        zone = "UTC" if offset is None else f"UTC{when.strftime('%z')[:3]}"
    return prose_moment(when, zone, get_language() or "id")


def _label(flow: Flow, question: Question, value: Any, language: str) -> str:
    option = question.option(value) if isinstance(value, str) else None
    return flow.render(option.label, language) if option is not None else str(value)


@register.filter
def step_url(session: Any, key: str) -> str:
    """The URL of one step of a session."""
    return str(session.step_url(key))


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """One entry of a dictionary (sources by key, for instance)."""
    return mapping.get(key)


@register.inclusion_tag("sellers/_deadline_inline.html", takes_context=True)
def finding_deadline(context: template.Context, finding: Any) -> dict[str, Any]:
    """A noted cause's own deadline, in a line beside it, when the order time is known."""
    session, walk = context["session"], context["walk"]
    return {"due": session.deadline_for(finding, walk), "zone": session.zone}


@register.simple_tag
def answer_input(field: BoundField) -> str:
    """A one-input answer field (version, number, date and time, zone), with Bootstrap's
    `is-invalid` added to its classes while it has errors."""
    if not field.errors:
        return field.as_widget()
    classes = field.field.widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{classes} is-invalid".strip()})
