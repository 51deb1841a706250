"""The plain-text case summary a seller pastes into WhatsApp or an email to support.

It is written in the seller's language. Its fixed words go through Django's
translation catalogue like every other interface string, which is why this lives
beside the models rather than in the Django-free `flows` package.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.template import Context
from django.utils import timezone, translation
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from wizard.flows.deadlines import ZONES, seller_zone
from wizard.sellers.templatetags.sellers import answer_label, prose_moment

if TYPE_CHECKING:
    from wizard.flows import Walk
    from wizard.sellers.models import Session


WORDS_IN_SHORT = 200  # characters of the seller's words in a short message


def case_summary(
    session: Session,
    walk: Walk,
    *,
    share_url: str = "",
    expires_at: dt.datetime | None = None,
    answers_shown: int | None = None,
) -> str:
    """The case in a few plain lines: answers, the likely cause, what was tried, the link.

    `answers_shown` keeps the message short (a WhatsApp link): the first answers only,
    and a line saying how many more the link shows."""
    flow = session.flow
    with translation.override(session.language):
        language = session.language
        context = Context({"flow": flow})
        lines = [
            _("Pesanan Lancar — case %(code)s") % {"code": session.code},
            _("Problem: %(title)s") % {"title": flow.render(flow.title, language)},
            _("Started: %(when)s") % {"when": _when(session, session.created_at)},
            "",
        ]
        # Kept masked; a short message (a WhatsApp link) carries the latest, cut short.
        said_shown = session.words if answers_shown is None else session.words[-1:]
        for said in said_shown:
            text = str(said.get("text", ""))
            if answers_shown is not None and len(text) > WORDS_IN_SHORT:
                text = text[:WORDS_IN_SHORT] + "…"
            if said.get("source") == "screenshot":
                lines.append(_("My screenshot said: “%(text)s”") % {"text": text})
            else:
                lines.append(_("What I wrote: “%(text)s”") % {"text": text})
        lines += ["", _("My answers:")] if said_shown else [_("My answers:")]
        shown = walk.path if answers_shown is None else walk.path[:answers_shown]
        for number, question in enumerate(shown, 1):
            answer = answer_label(context, question, walk.answers[question.key])
            lines.append(f"{number}. {flow.render(question.text, language)} — {answer}")
        if left := len(walk.path) - len(shown):
            lines.append(
                ngettext(
                    "… and %(count)d more answer, on the link below.",
                    "… and %(count)d more answers, on the link below.",
                    left,
                )
                % {"count": left}
            )
        lines.append("")
        if (due := session.deadline(walk)) is not None:
            when = _when(session, due.due_at)
            lines += [
                _("DEADLINE PASSED at %(when)s") % {"when": when}
                if due.is_passed
                else _("Deadline: %(when)s") % {"when": when}
                + " ("
                + _("%(left)s left.") % {"left": timeuntil(due.due_at, timezone.now())}
                + ")",
                _("An estimate: the “Kirim sebelum” time in the order wins."),
                "",
            ]
        if walk.solution is None:
            assert walk.current is not None
            lines.append(
                _("No solution reached yet. Next question: %(question)s")
                % {"question": flow.render(walk.current.text, language)}
            )
        else:
            solution = walk.solution
            lines += [
                _("Likely cause: %(title)s") % {"title": flow.render(solution.title, language)},
                flow.render(solution.cause, language),
                _("Steps suggested:"),
                *(
                    f"{number}. {flow.render(step, language)}"
                    for number, step in enumerate(solution.steps, 1)
                ),
                _("Did it solve the problem? %(answer)s") % {"answer": _helped(session.helped)},
            ]
        if walk.findings:
            lines += ["", _("Also noticed:")]
            lines += [f"- {flow.render(finding.title, language)}" for finding in walk.findings]
        lines.append("")
        if share_url:
            lines.append(_("Read-only link to this case: %(url)s") % {"url": share_url})
            if expires_at is not None:
                lines.append(
                    _("(the link works until %(when)s)") % {"when": _when(session, expires_at)}
                )
        lines.append(_("Session code: %(code)s") % {"code": session.code})
    return "\n".join(lines) + "\n"


def _helped(helped: bool | None) -> str:
    if helped is None:
        return _("not answered yet")
    return _("yes") if helped else _("no, not yet")


def _when(session: Session, moment: dt.datetime) -> str:
    """A time in the seller's own zone, named the way Indonesians name it (WIB…)."""
    zone = session.zone if session.zone in ZONES else "WIB"
    local = timezone.localtime(moment, seller_zone(zone))
    return prose_moment(local, zone, translation.get_language() or "id")
