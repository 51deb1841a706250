"""Template filters for the staff and share pages: texts and titles in the page's language."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from wizard.flows import Text
from wizard.sellers.models import Session

from ..queue import COUNT_CAP, marked_deadline

register = template.Library()


@register.filter
def localised(text: Text | None) -> str:
    """A bilingual text (an incident's, say) in the active language."""
    return "" if text is None else text.get(get_language() or "id")


@register.filter
def outcome_title(session: Session) -> str:
    """The title of the solution a session reached, or "" (its flow is parsed once)."""
    solution = session.flow.solutions.get(session.outcome) if session.outcome else None
    return "" if solution is None else session.flow.render(solution.title, get_language() or "id")


@register.filter
def current_question(session: Session) -> str:
    """The text of the question a session waits on, or "" when it reached a solution."""
    question = session.flow.questions.get(session.current_step)
    return "" if question is None else session.flow.render(question.text, get_language() or "id")


@register.filter
def status_label(status: str) -> str:
    """A case status as people read it ("escalated"), in the active language."""
    try:
        return str(Session.Status(status).label)
    except ValueError:
        return status


@register.filter
def capped(count: int) -> str:
    """A count from the queue, which stops counting at COUNT_CAP ("1000+")."""
    return f"{COUNT_CAP}+" if count > COUNT_CAP else str(count)


@register.inclusion_tag("support/_deadline_mark.html")
def deadline_mark(session: Session) -> dict[str, object]:
    """A mark on a case whose order deadline is today or already passed, with the
    computed date and time (an estimate) whenever the order time is known."""
    mark, due = marked_deadline(session)
    return {"mark": mark, "due": due, "zone": session.zone}
