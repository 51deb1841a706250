"""What happened to a case, told twice and apart: what the seller answered, and what staff
recorded. A status alone cannot say it: "resolved" is set both by a seller who found the
fix and by staff who closed the case, so each line is derived from its own records."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wizard.flows import Walk

if TYPE_CHECKING:
    import datetime as dt

    from wizard.sellers.models import Session

    from .models import Note, ShareLink


@dataclass(frozen=True)
class CaseOutcome:
    """The seller's side and support's side of a case, one sentence each."""

    seller: str
    support: str


def case_outcome(
    session: Session, walk: Walk, notes: Iterable[Note], links: Iterable[ShareLink]
) -> CaseOutcome:
    """The case's two outcome lines, from the session's answers and the staff's notes."""
    return CaseOutcome(_seller_line(session, walk, links), _support_line(notes))


def _title(walk: Walk, key: str, language: str) -> str:
    solution = walk.flow.solutions.get(key) if key else None
    return solution.title.get(language) if solution is not None else key


def _when(moment: dt.datetime) -> str:
    return date_format(localtime(moment), "j M, H:i")


def _seller_line(session: Session, walk: Walk, links: Iterable[ShareLink]) -> str:
    language = get_language() or "id"  # the staff member's, who reads the line
    parts: list[str] = []
    reached = walk.solution.key if walk.solution is not None else ""
    if not reached:
        parts.append(_("no solution reached yet"))
    elif session.helped is None:
        parts.append(
            _("reached “%(cause)s”, did not say whether it helped")
            % {"cause": _title(walk, reached, language)}
        )
    elif session.helped:
        parts.append(_("solved by “%(cause)s”") % {"cause": _title(walk, reached, language)})
    else:
        cause = _title(walk, reached, language)
        if session.solved_by and session.solved_by != reached:
            parts.append(
                _("not helped by “%(cause)s”, then solved by the next cause “%(next)s”")
                % {"cause": cause, "next": _title(walk, session.solved_by, language)}
            )
        else:
            parts.append(_("not helped by “%(cause)s”") % {"cause": cause})
    asked = sorted(link.created_at for link in links if link.is_for_support)
    if asked:
        parts.append(_("asked for support at %(when)s") % {"when": _when(asked[0])})
    elif session.helped is False and not session.solved_by:
        parts.append(
            _("did not ask for support; last seen %(when)s") % {"when": _when(session.updated_at)}
        )
    return _("Seller: %(what)s.") % {"what": "; ".join(parts)}


def _support_line(notes: Iterable[Note]) -> str:
    notes = list(notes)
    changes = [note for note in notes if note.status]
    written = [note for note in notes if note.text.strip()]
    if not changes and not written:
        return _("Support: nothing recorded yet.")
    parts: list[str] = []
    if changes:
        last = changes[-1]
        parts.append(
            _("set to “%(status)s” by %(who)s at %(when)s")
            % {
                "status": _status(last.status),
                "who": _who(last.author),
                "when": _when(last.created_at),
            }
        )
    if written:
        text = written[-1].text.strip()
        parts.append(
            _("note: “%(text)s”") % {"text": text if len(text) <= 120 else text[:119] + "…"}
        )
    return _("Support: %(what)s.") % {"what": "; ".join(parts)}


def _status(value: str) -> str:
    from wizard.sellers.models import Session

    return str(Session.Status(value).label) if value in Session.Status.values else value


def _who(user: Any) -> str:
    return user.get_username() if user is not None else _("someone")
