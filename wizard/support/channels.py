"""How sellers reach this support team: the channels a team lead sets in the admin, their
office hours (WIB), and the links that open each channel with the message written.

WhatsApp's `wa.me` links carry the message in the URL. WhatsApp documents no limit for
it, but the link goes through the phone's browser and the operating system's app
handoff, and long URLs are where those break (Android intents and some in-app browsers
truncate or refuse URLs past about 2,000 characters). `MAX_LINK_LENGTH` keeps every
channel link within 2,000 characters, encoded; the message gets there by shortening its
boilerplate (fix steps, explanations, the questions' wording), never by leaving out an
answer or cutting the share link; a case too long even then points to the share link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

MAX_LINK_LENGTH = 2000
WIB = ZoneInfo("Asia/Jakarta")
WEEKDAYS = "1234567"  # ISO weekdays: 1 is Monday


class SupportChannel(models.Model):
    """The team's ways in (WhatsApp, email, a chat) and when someone answers them.

    One row is in use: the most recently changed one that is switched on."""

    name = models.CharField(_("team name"), max_length=80, default="Pesanan Lancar")
    is_active = models.BooleanField(_("shown to sellers"), default=True)
    whatsapp_number = models.CharField(
        _("WhatsApp number"),
        max_length=16,
        blank=True,
        validators=[
            RegexValidator(r"^[1-9][0-9]{7,14}$", _("Digits only, with the country code: 62812…"))
        ],
        help_text=_("With the country code and no plus sign or spaces, e.g. 6281234567890."),
    )
    email = models.EmailField(_("email address"), blank=True)
    chat_url = models.URLField(_("chat link"), blank=True)
    chat_name_id = models.CharField(_("chat name (Indonesian)"), max_length=60, blank=True)
    chat_name_en = models.CharField(_("chat name (English)"), max_length=60, blank=True)
    opens_at = models.TimeField(_("opens at (WIB)"), default=dt.time(8, 0))
    closes_at = models.TimeField(_("closes at (WIB)"), default=dt.time(17, 0))
    open_days = models.CharField(
        _("open days"),
        max_length=7,
        default="12345",
        validators=[RegexValidator(r"^[1-7]{1,7}$", _("Digits 1 (Monday) to 7 (Sunday)."))],
        help_text=_("Weekdays the team answers: 1 is Monday, 7 is Sunday; e.g. 123456."),
    )
    hours_note_id = models.CharField(_("note on hours (Indonesian)"), max_length=200, blank=True)
    hours_note_en = models.CharField(_("note on hours (English)"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("support channels")
        verbose_name_plural = _("support channels")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> SupportChannel | None:
        """The channels sellers are offered, or None when the team set up none."""
        channel = cls.objects.filter(is_active=True).order_by("-updated_at", "-pk").first()
        return channel if channel is not None and channel.has_any else None

    @property
    def has_any(self) -> bool:
        """Whether at least one way in is filled in."""
        return bool(self.whatsapp_number or self.email or self.chat_url)

    def chat_name(self, language: str) -> str:
        """What the chat is called, in the seller's language."""
        name = self.chat_name_en if language == "en" else self.chat_name_id
        return name or self.chat_name_id or self.chat_name_en

    def hours_note(self, language: str) -> str:
        """The team's own words about its hours, in the seller's language."""
        return (self.hours_note_en if language == "en" else self.hours_note_id) or ""

    def is_open(self, now: dt.datetime | None = None) -> bool:
        """Whether someone answers now (office hours in WIB)."""
        local = timezone.localtime(now or timezone.now(), WIB)
        return (
            str(local.isoweekday()) in self.open_days
            and self.opens_at <= local.time() < self.closes_at
        )

    def next_opening(self, now: dt.datetime | None = None) -> dt.datetime | None:
        """When the team next answers (WIB), or None when it is open now."""
        moment = timezone.localtime(now or timezone.now(), WIB)
        if self.is_open(moment) or not self.open_days or self.opens_at >= self.closes_at:
            return None
        for days in range(8):
            day = moment.date() + dt.timedelta(days=days)
            opening = dt.datetime.combine(day, self.opens_at, tzinfo=WIB)
            if str(day.isoweekday()) in self.open_days and opening > moment:
                return opening
        return None

    def shown(self, language: str, now: dt.datetime | None = None) -> dict[str, Any]:
        """What the contact page says about the team, in the seller's language."""
        return {
            "channel_chat": self.chat_name(language),
            "hours_note": self.hours_note(language),
            "next_opening": self.next_opening(now),
        }

    @property
    def days_label(self) -> str:
        """The open days, short and in the reader's language ("Mon, Tue, Wed")."""
        return ", ".join(str(WEEKDAYS_ABBR[int(day) - 1]) for day in sorted(set(self.open_days)))

    def links(self, subject: str, message: Callable[[int], str]) -> dict[str, str]:
        """The configured channels that open with the message written, by name."""
        links = {}
        if self.whatsapp_number:
            links["whatsapp"] = self.whatsapp_url(message)
        if self.email:
            links["email"] = self.email_url(subject, message)
        return links

    def whatsapp_url(self, message: Callable[[int], str]) -> str:
        """A `wa.me` link that opens a chat with the team, the message written."""
        return fitted(f"https://wa.me/{self.whatsapp_number}?text=", message)

    def email_url(self, subject: str, message: Callable[[int], str]) -> str:
        """A `mailto:` link with the subject and the message as its body."""
        return fitted(f"mailto:{self.email}?subject={quote(subject)}&body=", message)


def fitted(prefix: str, message: Callable[[int], str], tersest: int = 4) -> str:
    """`prefix` and the encoded message, within MAX_LINK_LENGTH: `message(level)` writes the
    message at a level of shortness (0: all of it); the first level that fits is used, the
    tersest when none does."""
    for level in range(tersest + 1):
        url = prefix + quote(message(level), safe="")
        if len(url) <= MAX_LINK_LENGTH:
            return url
    return url
