"""The staff case list: search by code or pasted link, filters, and keyset pages.

Pages are keyset pages ("older than this case"), not numbered ones: with a million
sessions a page costs one index range scan wherever it is, where OFFSET and COUNT
would read every row before it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wizard.sellers.models import FlowVersion, Session, hash_token
from wizard.sellers.models.sessions import CODE_ALPHABET
from wizard.web.dates import SaneDateField, is_sane

from .models import ShareLink
from .queue import not_abandoned

PER_PAGE = 25
SESSION_LINK = re.compile(r"/s/([A-Za-z0-9_-]{20,64})(?:/|$)")
SHARE_LINK = re.compile(r"/share/([A-Za-z0-9_-]{20,64})(?:/|$)")
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
CODE = re.compile(rf"[{CODE_ALPHABET}]{{8}}")
HELPED = {"yes": True, "no": False, "unanswered": None}
# Fields a row of the list shows; the answers and the flow document stay in the database.
ROW_FIELDS = (
    "code",
    "status",
    "outcome",
    "helped",
    "language",
    "current_step",
    "created_at",
    "updated_at",
    "flow_version_id",
    "flow_version__key",
    "flow_version__number",
    "started_by__username",
    # What the deadline mark is computed from (the flow itself is parsed once per process).
    "answers",
    "zone",
)


class CaseSearchForm(forms.Form):
    """What staff search and filter the case list by; every field may stay empty."""

    q = forms.CharField(
        label=_("Session code or link"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    outcome = forms.ChoiceField(label=_("Solution"), required=False)
    helped = forms.ChoiceField(
        label=_("Did it help"),
        required=False,
        choices=[
            ("", _("any")),
            ("yes", _("yes")),
            ("no", _("no")),
            ("unanswered", _("not answered")),
        ],
    )
    language = forms.ChoiceField(label=_("Language"), required=False)
    version = forms.TypedChoiceField(label=_("Flow version"), required=False, coerce=int)
    active_from = SaneDateField(
        label=_("Active from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    active_to = SaneDateField(
        label=_("Active until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    abandoned = forms.BooleanField(label=_("Include abandoned sessions"), required=False)
    # Insight links here: the unsolved sessions standing on one question.
    stopped_at = forms.SlugField(required=False, max_length=64, widget=forms.HiddenInput)
    before = forms.CharField(required=False, widget=forms.HiddenInput)
    after = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data: Any = None, *, versions: list[FlowVersion]) -> None:
        super().__init__(data)
        any_choice: list[tuple[Any, Any]] = [("", _("any"))]
        live = next((v for v in versions if v.published_at is not None), None)
        solutions = [] if live is None else list(live.flow.solutions.values())
        language = get_language() or "id"
        titles = sorted(((s.key, s.title.get(language)) for s in solutions), key=lambda c: c[1])
        choices: dict[str, list[tuple[Any, Any]]] = {
            "status": list(Session.Status.choices),
            "language": list(settings.LANGUAGES),
            "version": [(v.pk, str(v)) for v in versions],
            "outcome": [("-", _("no solution yet")), *titles],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = any_choice + options

    def clean_q(self) -> str:
        """A session code or a link; anything else is a mistake worth saying so."""
        text: str = self.cleaned_data["q"].strip()
        if text and not _looks_searchable(text):
            raise forms.ValidationError(
                _("Paste a session code (8 letters and digits) or a session or share link.")
            )
        return text

    def found(self) -> Session | None:
        """The session a searched code or link names, if any."""
        text = self.cleaned_data.get("q", "")
        return found_by(text) if text else None

    def cases(self) -> QuerySet[Session]:
        """The sessions the filters select (not yet ordered or paged)."""
        data = self.cleaned_data
        sessions = Session.objects.filter(is_preview=False)  # an editor's walk is not a case
        sessions = sessions.select_related("flow_version", "started_by").only(*ROW_FIELDS)
        if not data.get("abandoned"):
            sessions = sessions.filter(not_abandoned())
        if data.get("status"):
            sessions = sessions.filter(status=data["status"])
        if data.get("outcome") == "-":
            sessions = sessions.filter(outcome="")
        elif data.get("outcome"):
            sessions = sessions.filter(outcome=data["outcome"])
        if data.get("helped"):
            sessions = sessions.filter(helped=HELPED[data["helped"]])
        if data.get("stopped_at"):
            sessions = sessions.filter(outcome="", current_step=data["stopped_at"])
        if data.get("language"):
            sessions = sessions.filter(language=data["language"])
        if data.get("version"):
            sessions = sessions.filter(flow_version_id=data["version"])
        if data.get("active_from"):
            sessions = sessions.filter(updated_at__gte=_midnight(data["active_from"]))
        if data.get("active_to"):
            sessions = sessions.filter(
                updated_at__lt=_midnight(data["active_to"] + dt.timedelta(days=1))
            )
        return sessions

    def page(self) -> CasePage:
        """One page of the selected cases, newest activity first."""
        return case_page(
            self.cases(),
            before=Cursor.parse(self.cleaned_data.get("before", "")),
            after=Cursor.parse(self.cleaned_data.get("after", "")),
        )


def found_by(text: str) -> Session | None:
    """The session a code, a session link or a share link (or a bare token) names."""
    text = text.strip()
    code = re.sub(r"[\s-]", "", text).upper()
    if CODE.fullmatch(code):
        return Session.objects.filter(code=code, is_preview=False).first()
    path = urlsplit(text).path if "/" in text else ""
    if match := SESSION_LINK.search(path):
        return Session.objects.filter(
            token_hash=hash_token(match.group(1)), is_preview=False
        ).first()
    if match := SHARE_LINK.search(path):
        return _shared(match.group(1))
    if TOKEN.fullmatch(text):
        found = Session.objects.filter(token_hash=hash_token(text), is_preview=False).first()
        return found or _shared(text)
    return None


def _shared(token: str) -> Session | None:
    # Staff find the case even when the link has expired or was revoked.
    link = ShareLink.objects.select_related("session").filter(token_hash=hash_token(token)).first()
    return None if link is None else link.session


def _looks_searchable(text: str) -> bool:
    """Whether the text has the shape of a code, a link or a token."""
    path = urlsplit(text).path if "/" in text else ""
    return bool(
        CODE.fullmatch(re.sub(r"[\s-]", "", text).upper())
        or SESSION_LINK.search(path)
        or SHARE_LINK.search(path)
        or TOKEN.fullmatch(text)
    )


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@dataclass(frozen=True)
class Cursor:
    """A place in the list: a case's last activity and id (ties broken by id)."""

    updated_at: dt.datetime
    pk: int

    @classmethod
    def of(cls, session: Session) -> str:
        """The cursor of a row, as it goes into a link."""
        return f"{session.updated_at.isoformat()}~{session.pk}"

    @classmethod
    def parse(cls, text: str) -> Cursor | None:
        """A cursor from a link; anything malformed or out of range means "the first page"."""
        moment, _, pk = text.partition("~")
        try:
            when = dt.datetime.fromisoformat(moment)
            if when.tzinfo is None:
                return None
            # In UTC: PostgreSQL refuses offsets beyond ±15:59, which Python accepts.
            when = when.astimezone(dt.UTC)
            number = int(pk)
            return cls(when, number) if is_sane(when) and 0 < number < 2**63 else None
        except (ValueError, OverflowError):
            return None


@dataclass(frozen=True)
class CasePage:
    """A page of cases and the cursors of the pages around it."""

    cases: list[Session]
    newer: str | None
    older: str | None


def case_page(
    sessions: QuerySet[Session], *, before: Cursor | None, after: Cursor | None
) -> CasePage:
    """The page just older than `before`, just newer than `after`, or the newest."""
    if after is not None:
        # Newer rows, nearest first, then turned around to read newest first.
        rows = list(
            sessions.filter(updated_at__gte=after.updated_at)
            .exclude(updated_at=after.updated_at, pk__lte=after.pk)
            .order_by("updated_at", "pk")[: PER_PAGE + 1]
        )
        more = len(rows) > PER_PAGE
        rows = rows[:PER_PAGE][::-1]
        return CasePage(
            rows,
            newer=Cursor.of(rows[0]) if more else None,
            older=Cursor.of(rows[-1]) if rows else None,
        )
    if before is not None:
        sessions = sessions.filter(updated_at__lte=before.updated_at).exclude(
            updated_at=before.updated_at, pk__gte=before.pk
        )
    rows = list(sessions.order_by("-updated_at", "-pk")[: PER_PAGE + 1])
    more = len(rows) > PER_PAGE
    rows = rows[:PER_PAGE]
    return CasePage(
        rows,
        newer=Cursor.of(rows[0]) if before is not None and rows else None,
        older=Cursor.of(rows[-1]) if more else None,
    )
