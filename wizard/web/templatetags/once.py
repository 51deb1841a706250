"""{% once %}: a fragment of a template rendered once per process for each value of
what it depends on, then served from memory.

Most of a seller's page is the same for everyone shown it in one language: the head, the
header, the question and its help, the footer. Django's template engine renders all of
it again on every request (its nodes, `{% translate %}`, escaping, lazy strings), which
was most of a question page's CPU (`python -m bench.parts`). A fragment in

    {% once question.key flow %} … {% endonce %}

is rendered the first time each combination of its arguments and the active language is
seen, and the same HTML is returned after that. It must depend on nothing else: no
session, no token, no CSRF token or nonce (tests/web/test_once.py and the pages' tests
compare cached with fresh renders). Arguments that are not strings, numbers or None count
by identity (a parsed flow version never changes) and are kept alive with the entry, so
their ids are not reused. Bounded: past ONCE_CACHE_SIZE entries the oldest go first.

What differs per request but is only printed, never tested, goes in holes:

    {% once question.key holes action csrf_token %} … {{ action }} … {% endonce %}

The fragment is rendered once with a stand-in for each hole (a pair of private-use
characters around its number, which escaping leaves alone), cut at the stand-ins, and
each request joins the pieces with its own values, each as `{{ name }}` would print it.
A hole must hold a value that is always there and only printed as it is (`{{ name }}`,
`{% csrf_token %}`, a tag that prints the context's `csp_nonce`): a hole under `{% if %}`
or a filter would be cached as the stand-in chose. A fragment whose stand-in is not
printed as it is fails loudly; one rendered where a hole is not in the context at all
(an error page) is rendered afresh, uncached.

`{% block %}` cannot be inside a fragment (a child template's block would be cached for
every page); so Django's `{% extends %}`, which looks for blocks through the whole parent
template on every render, need not look inside fragments.
"""

from __future__ import annotations

import html
import re

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import (
    FilterExpression,
    Node,
    NodeList,
    Parser,
    Token,
    render_value_in_context,
)
from django.template.loader_tags import BlockNode
from django.utils.functional import LazyObject
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

ONCE_CACHE_SIZE = 8192
# A rendered fragment: its text cut at the holes, text at even places, a hole's number
# at odd ones (one piece when it has none).
type Pieces = tuple[str | int, ...]
_rendered: dict[tuple[object, ...], tuple[object, Pieces]] = {}
STAND_IN = "\ue000{}\ue001"
STAND_INS = re.compile("\ue000(\\d+)\ue001")
HOLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def clear() -> None:
    """Forget every rendered fragment (the next render of each is a fresh one)."""
    _rendered.clear()


@receiver(setting_changed, dispatch_uid="wizard.web.once")
def _settings_changed(**_: object) -> None:
    """A test's override_settings (URLs, static files, languages) renders afresh."""
    clear()


def _printed(value: object, context: template.Context) -> str:
    """A hole's value as {{ name }} prints it: a safe string as it is, any other string
    escaped, anything else as Django's templates render a value.

    The holes are mostly lazy strings (the CSRF token, the CSP nonce, the language
    switch's `next`), which `conditional_escape` reaches through `keep_lazy`'s check of
    every argument and a LazyObject proxy per attribute: 6 % of a question page's Python
    CPU under gunicorn (`python -m bench.sampled`). So a lazy string is made a string
    once, and a plain one is escaped as `django.utils.html.escape` does."""
    if isinstance(value, LazyObject) and isinstance(value, str):
        value = str(value)
    kind = type(value)
    if kind is SafeString:
        return value  # type: ignore[return-value]
    if kind is str:
        return html.escape(value)  # type: ignore[arg-type]
    if isinstance(value, str):
        return conditional_escape(value)
    return render_value_in_context(value, context)


class OnceNode(Node):
    """A fragment rendered once per key (see the module's docstring)."""

    # Not searched by {% extends %} for blocks: a fragment holds none (see `once`).
    child_nodelists = ()

    def __init__(self, nodelist: NodeList, arguments: list[FilterExpression], holes: list[str]):
        self.nodelist = nodelist
        self.arguments = arguments
        self.holes = holes

    def render(self, context: template.Context) -> SafeString:
        try:
            filled = [context[hole] for hole in self.holes]
        except KeyError:
            return mark_safe(self.nodelist.render(context))  # an error page, say
        values = [argument.resolve(context) for argument in self.arguments]
        key = (
            id(self),
            get_language(),
            *(v if v is None or isinstance(v, str | int) else id(v) for v in values),
        )
        entry = _rendered.get(key)
        if entry is None:
            if len(_rendered) >= ONCE_CACHE_SIZE:
                del _rendered[next(iter(_rendered))]
            # The node and the values are kept with the entry: their ids stay theirs.
            entry = _rendered[key] = ((self, values), self._pieces(context))
        pieces = entry[1]
        # SafeString, as mark_safe makes of a str, without keep_lazy's look at its argument.
        if len(pieces) == 1:
            return SafeString(pieces[0])
        printed = [_printed(value, context) for value in filled]
        return SafeString(
            "".join(printed[piece] if isinstance(piece, int) else piece for piece in pieces)
        )

    def _pieces(self, context: template.Context) -> Pieces:
        if not self.holes:
            return (self.nodelist.render(context),)
        with context.push({hole: STAND_IN.format(n) for n, hole in enumerate(self.holes)}):
            html = self.nodelist.render(context)
        cut = STAND_INS.split(html)
        pieces = tuple(int(piece) if odd % 2 else piece for odd, piece in enumerate(cut))
        printed = set(cut[1::2])
        for number, hole in enumerate(self.holes):
            if str(number) not in printed:
                raise template.TemplateSyntaxError(
                    f"{{% once %}}: the hole {hole!r} is not printed as it is ({{{{ {hole} }}}})"
                )
        return pieces


@register.tag
def once(parser: Parser, token: Token) -> OnceNode:
    """{% once argument… [holes name…] %} … {% endonce %}"""
    bits = token.split_contents()[1:]
    holes: list[str] = []
    if "holes" in bits:
        at = bits.index("holes")
        bits, holes = bits[:at], bits[at + 1 :]
        if not holes or not all(HOLE_NAME.fullmatch(hole) for hole in holes):
            raise template.TemplateSyntaxError(
                "{% once … holes name… %}: holes are names of the context, one or more"
            )
    arguments = [parser.compile_filter(bit) for bit in bits]
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError(
            "{% block %} cannot be inside {% once %}: it would be cached for every page"
        )
    return OnceNode(nodelist, arguments, holes)
