"""How insight's numbers read on the page: shares, intervals and durations."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from wizard.editors.insight import Rate

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """0.257 → "25.7 %" (a dash when nothing was counted)."""
    if share is None:
        return "—"
    return f"{number_format(share * 100, 1)} %"


@register.filter
def interval(rate: Rate) -> str:
    """The rate's 95 % interval, such as "12.0 to 40.3 %" with an en dash."""
    if rate.low is None or rate.high is None:
        return "—"
    low, high = number_format(rate.low * 100, 1), number_format(rate.high * 100, 1)
    return f"{low}\N{EN DASH}{high} %"


@register.filter
def duration(seconds: int | None) -> str:
    """A duration as people say it: "45 s", "3 min", "2 h"."""
    if seconds is None:
        return "—"
    if seconds < 120:
        return _("%(n)s s") % {"n": seconds}
    if seconds < 7200:
        return _("%(n)s min") % {"n": round(seconds / 60)}
    return _("%(n)s h") % {"n": number_format(seconds / 3600, 1)}


@register.filter
def signed_points(change: float | None) -> str:
    """A change of a rate in percentage points, with its sign: "+12.5 pp"."""
    if change is None:
        return "—"
    sign = "+" if change > 0 else "\N{MINUS SIGN}" if change < 0 else ""
    return f"{sign}{number_format(abs(change) * 100, 1)} pp"
