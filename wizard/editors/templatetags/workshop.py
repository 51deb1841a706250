"""The workshop's words in the editor's language: the semantic diff's codes ("question
added", "step 2 (English)") and the checker's problems. wizard.flows names fields by codes
and writes its problems in English with holes, and stays free of Django."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from wizard.flows.diff import Field, PartDiff
from wizard.flows.words import Words

register = template.Library()

# Each kind of part and what happened to it, as one heading.
HEADINGS = {
    ("questions", "added"): gettext_lazy("Question added"),
    ("questions", "removed"): gettext_lazy("Question removed"),
    ("questions", "changed"): gettext_lazy("Question changed"),
    ("solutions", "added"): gettext_lazy("Solution added"),
    ("solutions", "removed"): gettext_lazy("Solution removed"),
    ("solutions", "changed"): gettext_lazy("Solution changed"),
    ("facts", "added"): gettext_lazy("Fact added"),
    ("facts", "removed"): gettext_lazy("Fact removed"),
    ("facts", "changed"): gettext_lazy("Fact changed"),
    ("tips", "added"): gettext_lazy("Tip added"),
    ("tips", "removed"): gettext_lazy("Tip removed"),
    ("tips", "changed"): gettext_lazy("Tip changed"),
    ("sources", "added"): gettext_lazy("Source added"),
    ("sources", "removed"): gettext_lazy("Source removed"),
    ("sources", "changed"): gettext_lazy("Source changed"),
}

# A field by its name in the document; %(item)s is an option's value or a number.
FIELDS = {
    "kind": pgettext_lazy("diff field", "kind of question"),
    "text": pgettext_lazy("diff field", "text"),
    "help": pgettext_lazy("diff field", "help"),
    "optional": pgettext_lazy("diff field", "may be left empty"),
    "minimum": pgettext_lazy("diff field", "smallest number"),
    "maximum": pgettext_lazy("diff field", "largest number"),
    "shows_incidents": pgettext_lazy("diff field", "shows incidents"),
    "option_label": pgettext_lazy("diff field", "option %(item)s: label"),
    "option_keywords": pgettext_lazy("diff field", "option %(item)s: seller keywords"),
    "route": pgettext_lazy("diff field", "route %(item)s"),
    "title": pgettext_lazy("diff field", "title"),
    "cause": pgettext_lazy("diff field", "cause"),
    "check": pgettext_lazy("diff field", "how to check"),
    "steps": pgettext_lazy("diff field", "step %(item)s"),
    "who": pgettext_lazy("diff field", "who acts"),
    "confidence": pgettext_lazy("diff field", "confidence"),
    "sources": pgettext_lazy("diff field", "sources"),
    "checked": pgettext_lazy("diff field", "checked on"),
    "tips": pgettext_lazy("diff field", "prevention tips"),
    "deadline": pgettext_lazy("diff field", "deadline"),
    "deadline_from": pgettext_lazy("diff field", "deadline counted from"),
    "value": pgettext_lazy("diff field", "value"),
    "label": pgettext_lazy("diff field", "label"),
    "source": pgettext_lazy("diff field", "source"),
    "url": pgettext_lazy("diff field", "address (URL)"),
}
LANGUAGES = {"id": gettext_lazy("Bahasa Indonesia"), "en": gettext_lazy("English")}


@register.filter
def heading(part: PartDiff) -> str:
    """ "Question added", "Fact changed"… in the page's language."""
    return str(HEADINGS.get((part.part, part.status), f"{part.part} {part.status}"))


@register.filter
def field_label(field: Field) -> str:
    """A changed field in the page's language: "step 2 (English)"."""
    words = FIELDS.get(field.name)
    label = str(words) % {"item": field.item} if words is not None else str(field)
    if field.language in LANGUAGES:
        return _("%(field)s (%(language)s)") % {
            "field": label,
            "language": LANGUAGES[field.language],
        }
    return label


@register.filter
def said(words: Words) -> str:
    """The checker's words (a problem, or where it is) in the page's language."""
    return words.say(_)
