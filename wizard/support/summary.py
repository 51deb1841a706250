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


WORDS_IN_SHORT = 200  # characters of the seller's words in a shortened message
# How far a message may be shortened to fit a link: 0 is the whole message; each level
# drops boilerplate, never an answer; past the last, the answers are on the share link.
TERSEST = 3


def case_summary(
    session: Session,
    walk: Walk,
    *,
    share_url: str = "",
    expires_at: dt.datetime | None = None,
    terse: int = 0,
    language: str | None = None,
) -> str:
    """The case in plain lines, in the order support needs them: the code, the deadline,
    the seller's answers (every one), the cause and what was tried, the link.

    `terse` shortens it to fit a link (WhatsApp, mailto): 1 drops the fix steps and the
    findings, 2 the cause's explanation and the seller's long words, 3 the questions'
    wording beside each answer; above TERSEST the answers are left to the share link.
    `language` is the reader's (the team's notification), by default the seller's."""
    flow = session.flow
    language = language or session.language
    with translation.override(language):
        context = Context({"flow": flow})
        lines = [_("Pesanan Lancar — case %(code)s") % {"code": session.code}]
        if terse < 2:
            lines.append(_("Problem: %(title)s") % {"title": flow.render(flow.title, language)})
            lines.append(_("Started: %(when)s") % {"when": _when(session, session.created_at)})
        lines += _deadline_lines(session, walk, terse)
        lines.append("")
        for said in session.words:  # kept masked
            text = str(said.get("text", ""))
            if terse >= 2 and len(text) > WORDS_IN_SHORT:
                text = text[:WORDS_IN_SHORT] + "…"
            if said.get("source") == "screenshot":
                lines.append(_("My screenshot said: “%(text)s”") % {"text": text})
            else:
                lines.append(_("What I wrote: “%(text)s”") % {"text": text})
        if terse > TERSEST:
            lines.append(
                ngettext(
                    "My %(count)d answer is on the link below.",
                    "All my %(count)d answers are on the link below.",
                    len(walk.path),
                )
                % {"count": len(walk.path)}
            )
        else:
            lines.append(_("My answers:"))
            for number, question in enumerate(walk.path, 1):
                answer = answer_label(context, question, walk.answers[question.key])
                if terse >= 3:
                    lines.append(f"{number}. {answer}")
                else:
                    lines.append(f"{number}. {flow.render(question.text, language)} — {answer}")
        lines.append("")
        lines += _cause_lines(session, walk, language, terse)
        lines.append("")
        if share_url:
            lines.append(_("Read-only link to this case: %(url)s") % {"url": share_url})
            if expires_at is not None and terse < 2:
                lines.append(
                    _("(the link works until %(when)s)") % {"when": _when(session, expires_at)}
                )
        lines.append(_("Session code: %(code)s") % {"code": session.code})
    return "\n".join(lines) + "\n"


def _deadline_lines(session: Session, walk: Walk, terse: int) -> list[str]:
    if (due := session.deadline(walk)) is None:
        return []
    when = _when(session, due.due_at)
    if due.is_passed:
        line = _("DEADLINE PASSED at %(when)s") % {"when": when}
    else:
        left = _("%(left)s left.") % {"left": timeuntil(due.due_at, timezone.now())}
        line = _("Deadline: %(when)s") % {"when": when} + f" ({left})"
    if terse >= 2:
        return [line]
    return [line, _("An estimate: the “Kirim sebelum” time in the order wins.")]


def _cause_lines(session: Session, walk: Walk, language: str, terse: int) -> list[str]:
    flow = session.flow
    if walk.solution is None:
        assert walk.current is not None
        return [
            _("No solution reached yet. Next question: %(question)s")
            % {"question": flow.render(walk.current.text, language)}
        ]
    solution = walk.solution
    lines = [_("Likely cause: %(title)s") % {"title": flow.render(solution.title, language)}]
    if terse < 2:
        lines.append(flow.render(solution.cause, language))
    if terse < 1:
        lines.append(_("Steps suggested:"))
        lines += [
            f"{number}. {flow.render(step, language)}"
            for number, step in enumerate(solution.steps, 1)
        ]
    lines.append(_("Did it solve the problem? %(answer)s") % {"answer": _helped(session.helped)})
    if session.helped is False and session.solved_by and session.solved_by in flow.solutions:
        next_cause = flow.render(flow.solutions[session.solved_by].title, language)
        lines.append(_("Then solved by the next cause: %(title)s") % {"title": next_cause})
    if walk.findings and terse < 1:
        lines += ["", _("Also noticed:")]
        lines += [f"- {flow.render(finding.title, language)}" for finding in walk.findings]
    return lines


def _helped(helped: bool | None) -> str:
    if helped is None:
        return _("not answered yet")
    return _("yes") if helped else _("no, not yet")


def _when(session: Session, moment: dt.datetime) -> str:
    """A time in the seller's own zone, named the way Indonesians name it (WIB…)."""
    zone = session.zone if session.zone in ZONES else "WIB"
    local = timezone.localtime(moment, seller_zone(zone))
    return prose_moment(local, zone, translation.get_language() or "id")
