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
"""

from __future__ import annotations

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import FilterExpression, Node, NodeList, Parser, Token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

ONCE_CACHE_SIZE = 8192
_rendered: dict[tuple[object, ...], tuple[object, SafeString]] = {}


def clear() -> None:
    """Forget every rendered fragment (the next render of each is a fresh one)."""
    _rendered.clear()


@receiver(setting_changed, dispatch_uid="wizard.web.once")
def _settings_changed(**_: object) -> None:
    """A test's override_settings (URLs, static files, languages) renders afresh."""
    clear()


class OnceNode(Node):
    """A fragment rendered once per key (see the module's docstring)."""

    def __init__(self, nodelist: NodeList, arguments: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.arguments = arguments

    def render(self, context: template.Context) -> SafeString:
        values = [argument.resolve(context) for argument in self.arguments]
        key = (
            id(self),
            get_language(),
            *(v if v is None or isinstance(v, str | int) else id(v) for v in values),
        )
        entry = _rendered.get(key)
        if entry is None:
            html = mark_safe(self.nodelist.render(context))
            if len(_rendered) >= ONCE_CACHE_SIZE:
                del _rendered[next(iter(_rendered))]
            # The node and the values are kept with the entry: their ids stay theirs.
            entry = _rendered[key] = ((self, values), html)
        return entry[1]


@register.tag
def once(parser: Parser, token: Token) -> OnceNode:
    """{% once argument… %} … {% endonce %}"""
    arguments = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist, arguments)
