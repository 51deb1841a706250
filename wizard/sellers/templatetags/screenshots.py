"""Whether this server reads screenshots, for the pages that offer it."""

from django import template

from .. import screenshots

register = template.Library()


@register.simple_tag
def reads_screenshots() -> bool:
    """True when Tesseract and its languages are here (the offer hides itself otherwise)."""
    return screenshots.is_available()
