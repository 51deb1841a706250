"""{% plain_url %}: {% url %} for arguments that are plain path segments (reversing.py)."""

from django import template

from ..reversing import plain_reverse

register = template.Library()


@register.simple_tag
def plain_url(name: str, *args: object) -> str:
    """The URL {% url name args %} gives, its pattern reversed once per process."""
    return plain_reverse(name, *args)
