"""The range of dates and times anyone may enter: from 2000 to 2100.

Nothing in the wizard happened before 2000 or will be planned after 2100, and dates far
outside that range break on the way to and from the database: year 1 in Jakarta is
year 0 in UTC, which Python cannot hold; PostgreSQL stores BC timestamps Python cannot
read back; an offset of -23:59 is beyond what PostgreSQL accepts.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
OUT_OF_RANGE = _("Choose a date between 2000 and 2099.")


def is_sane(moment: dt.date | dt.datetime) -> bool:
    """Whether a date, or an aware date and time, lies between 2000 and 2099."""
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None:
            return False
        return EARLIEST <= moment < LATEST
    return EARLIEST.date() <= moment < LATEST.date()


def sane_date(moment: dt.date | dt.datetime | None) -> None:
    """A form or model validator: refuse a date outside 2000 to 2099."""
    if moment is not None and not is_sane(moment):
        raise ValidationError(OUT_OF_RANGE, code="out_of_range")


class SaneDateField(forms.DateField):
    """A date field for every form and filter: a date outside 2000 to 2099 is a form error,
    never a date that later arithmetic or the database cannot hold."""

    default_validators = [sane_date]

    def to_python(self, value: str | dt.datetime | dt.date | None) -> dt.date | None:
        """Parse as DateField does, then refuse what lies outside the sane range."""
        try:
            day = super().to_python(value)
        except OverflowError as error:
            raise ValidationError(OUT_OF_RANGE, code="out_of_range") from error
        sane_date(day)
        return day
