"""A Jinja2 port of the question page (full page and htmx card), for the benchmark only.

Issue 15 asked whether a faster engine is the honest way to a cheaper step, measured side
by side first. This is the other side: the templates in bench/jinja2/ render the same
bytes as templates/sellers/question.html and its base (tests/web/test_jinja_port.py
compares them), through Django's own Jinja2 backend, with the same caches the Django
templates use: crispy-forms' fields and the hidden inputs come from
wizard.sellers.templatetags.sellers (rendered by crispy once, passed in as HTML), the
`{% once %}` fragments are kept the same way by `once()` below, URLs by plain_reverse.

Production does not render these: only bench.jinja_settings adds the backend (TEMPLATES
of wizard.settings is unchanged), and `python -m bench.engines` swaps the views' render
for the A/B. Its measurement decided against switching: about 0.1 ms saved of a
question page, nothing measurable of a card (README, "Jinja2, side by side").

Escaping follows Django's (`finalize` escapes with django.utils.html, which writes
`&#x27;` where markupsafe writes `&#39;`), so the bytes match. The parts a seller's
request never shows (the staff bar, incidents) are rendered by their Django templates.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render as django_render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timeuntil
from django.utils.translation import get_language, gettext, ngettext
from django_htmx.jinja import htmx_script
from jinja2 import Environment, pass_context

from wizard.web.reversing import plain_reverse

JINJA2_DIR = Path(__file__).resolve().parent / "jinja2"
# Django's template names the views render, and the port's name for each: the htmx card
# (Django's partial "#step") is a template of its own beside the page.
PORTED = {
    "sellers/question.html": "sellers/question.html",
    "sellers/question.html#step": "sellers/question_step.html",
}
ONCE_CACHE_SIZE = 8192
_rendered: dict[tuple[object, ...], tuple[object, SafeString]] = {}

# The backend entry bench.jinja_settings (and the port's test) add beside Django's.
BACKEND: dict[str, Any] = {
    "BACKEND": "django.template.backends.jinja2.Jinja2",
    "NAME": "jinja2",
    "DIRS": [JINJA2_DIR],
    "APP_DIRS": False,
    "OPTIONS": {
        "environment": "bench.jinja2env.environment",
        "keep_trailing_newline": True,  # as Django's templates keep theirs
        "context_processors": [
            "django.template.context_processors.i18n",
            "django.template.context_processors.csp",
            "django.contrib.auth.context_processors.auth",
            "django.contrib.messages.context_processors.messages",
        ],
    },
}


def with_port(templates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """TEMPLATES with the port's backend after the others (it renders only when named)."""
    return [*templates, BACKEND]


def render(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any] | None = None,
    **options: Any,
) -> HttpResponse:
    """django.shortcuts.render, by the port for the templates it has, else by Django."""
    ported = PORTED.get(template_name)
    if ported is None:
        return django_render(request, template_name, context, **options)
    return django_render(request, ported, context, using="jinja2", **options)


@contextmanager
def rendering_with_jinja2() -> Iterator[None]:
    """The seller's step views render the question page by the port meanwhile."""
    from wizard.sellers.views import steps

    original = getattr(steps, "render")  # noqa: B009
    setattr(steps, "render", render)  # noqa: B010
    try:
        yield
    finally:
        setattr(steps, "render", original)  # noqa: B010


def clear() -> None:
    """Forget every fragment once() kept."""
    _rendered.clear()


def once(*arguments: object, caller: Any) -> SafeString:
    """`{% call once("name", argument…) %}…{% endcall %}`: what `{% once %}` is for the
    Django templates, the body rendered once per arguments and active language."""
    key = (
        get_language(),
        *(a if a is None or isinstance(a, str | int) else id(a) for a in arguments),
    )
    entry = _rendered.get(key)
    if entry is None:
        if len(_rendered) >= ONCE_CACHE_SIZE:
            del _rendered[next(iter(_rendered))]
        entry = _rendered[key] = (arguments, mark_safe(str(caller())))
    return entry[1]


def translate(message: str) -> SafeString:
    """`{% translate %}`: the translation, escaped as Django escapes it."""
    return conditional_escape(gettext(message))


def blocktranslate(message: str, **values: Any) -> SafeString:
    """`{% blocktranslate with name=value %}`: the values escaped, the text not."""
    return mark_safe(gettext(message) % {k: conditional_escape(v) for k, v in values.items()})


def blocktranslate_count(singular: str, plural: str, count: int, **values: Any) -> SafeString:
    """`{% blocktranslate count %}…{% plural %}…`."""
    text = ngettext(singular, plural, count)
    return mark_safe(text % {k: conditional_escape(v) for k, v in values.items()})


@pass_context
def say(context: Any, text: Any) -> str:
    """The `{% say %}` tag."""
    from wizard.sellers.templatetags import sellers

    return sellers.say(context, text)


@pass_context
def save_my_link(context: Any, session: Any, at: Any = None, oob: bool = False) -> SafeString:
    """`{% save_my_link %}`: the inclusion tag's own context, rendered by the port."""
    from wizard.sellers.templatetags import keeping

    values = keeping.save_my_link(context, session, at, oob)
    template = context.environment.get_template("sellers/_save_link.html")
    return mark_safe(str(template.render(values)))


@pass_context
def django_include(context: Any, name: str, **extra: object) -> SafeString:
    """A Django template of the page, for the parts a seller's request does not show."""
    request = context.get("request")
    return mark_safe(str(render_to_string(name, {**context.get_all(), **extra}, request)))


@pass_context
def htmx(context: Any) -> str:
    """`{% htmx_script %}` with the page's nonce."""
    return str(htmx_script(nonce=context.get("csp_nonce")))


def environment(**options: Any) -> Environment:
    """The Jinja2 environment of the port (see the module's docstring)."""
    # Here, not at the top: bench.jinja_settings imports this module before apps load.
    from wizard.sellers.templatetags import sellers

    env = Environment(**options, finalize=conditional_escape)
    env.globals.update(
        once=once,
        _=translate,
        translate=translate,
        blocktranslate=blocktranslate,
        blocktranslate_count=blocktranslate_count,
        say=say,
        save_my_link=save_my_link,
        django_include=django_include,
        htmx_script=htmx,
        static=static,
        url=lambda name, *args: reverse(name, args=args),
        plain_url=plain_reverse,
        hidden_fields=sellers.hidden_fields,
        answer_fields=sellers.answer_fields,
    )
    env.filters.update(in_prose=sellers.in_prose, timeuntil=timeuntil)
    return env
