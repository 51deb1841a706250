"""Messages the engine writes for people: English with holes, said in any language.

The engine knows no Django, so a message is a msgid and what fills its holes; the page
that shows it translates it (wizard.editors' `said` filter). `gettext_noop` is the name
Django's makemessages reads, so every message lands in the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field


def gettext_noop(message: str) -> str:
    """Mark a message for the translation catalogue (Django's makemessages reads this
    name): the engine knows no Django, so a page translates it where it shows it."""
    return message


@dataclass(frozen=True)
class Words:
    """A sentence in English with `%(name)s` holes (its msgid in the catalogue) and what
    fills them; a hole may hold Words too. Said in any language by a translate function."""

    text: str
    values: Mapping[str, object] = field(default_factory=dict, hash=False)

    def say(self, translate: Callable[[str], str] = str) -> str:
        """The sentence translated by `translate`, its holes filled (translated too)."""
        said = translate(self.text)
        if not self.values:
            return said
        return said % {
            key: value.say(translate) if isinstance(value, Words) else value
            for key, value in self.values.items()
        }
