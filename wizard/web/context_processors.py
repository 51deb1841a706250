"""What base.html needs on every page."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def language_switch(request: HttpRequest) -> dict[str, object]:
    """Where the language switch sends the visitor back to: this page. Lazy, as a
    partial render (an htmx card) has no language switch."""
    return {"language_next": SimpleLazyObject(request.get_full_path)}
