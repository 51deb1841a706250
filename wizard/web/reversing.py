"""reverse() for URLs whose arguments are plain path segments, each pattern reversed
once per process.

A seller's page links to half a dozen URLs of its session (the step, back, the language
switch, sharing, the session link, deleting): Django's reverse() walks the URLconf for
each, about 0.03 ms apiece (`python -m bench.parts`). A URL pattern does not change while
the process runs, so each name is reversed once with stand-in arguments, and each call
puts its own arguments in their place. Only arguments made of letters, digits, `-` and
`_` (tokens, slugs, numbers) take this way: they need no quoting, so the URL is the one
reverse() gives; anything else goes through reverse() itself.
"""

from __future__ import annotations

import re

from django.urls import NoReverseMatch, get_script_prefix, reverse

PLAIN = re.compile(r"[A-Za-z0-9_-]+")
# By name, number of arguments and script prefix: the pattern's pieces, or None for one
# the stand-ins do not fit (a number converter, say): reverse() it is, each time.
_patterns: dict[tuple[str, int, str], list[str] | None] = {}


def _stand_in(number: int) -> str:
    return f"0plainarg{number}0"


def plain_reverse(name: str, *args: object) -> str:
    """reverse(name, args=args), the same URL, for arguments that are plain segments."""
    texts = [str(arg) for arg in args]
    if not all(PLAIN.fullmatch(text) for text in texts):
        return reverse(name, args=texts)
    key = (name, len(texts), get_script_prefix())
    if key not in _patterns:
        _patterns[key] = _pattern(name, len(texts))
    pieces = _patterns[key]
    if pieces is None:
        return reverse(name, args=texts)
    # Literal text at even places, the number of an argument at odd ones.
    return "".join(texts[int(piece)] if odd % 2 else piece for odd, piece in enumerate(pieces))


def _pattern(name: str, count: int) -> list[str] | None:
    try:
        url = reverse(name, args=[_stand_in(number) for number in range(count)])
    except NoReverseMatch:
        return None
    pieces = re.split(r"0plainarg(\d+)0", url)
    if sorted(pieces[1::2]) != [str(number) for number in range(count)]:
        return None  # a pattern that changes its arguments
    return pieces
