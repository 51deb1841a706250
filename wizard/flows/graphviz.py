"""Graphviz's `dot` lays a diagram out (no label on another, no arrow through a box); its
SVG is made fit to inline under a strict CSP: no prolog, no comments, no style, no script.
"""

from __future__ import annotations

import re
import subprocess
from xml.sax.saxutils import quoteattr

# What `dot` writes that an inline SVG under a strict CSP must not carry.
PROLOG = re.compile(r"<\?xml.*?\?>|<!DOCTYPE.*?>|<!--.*?-->", re.DOTALL)
STYLE_ELEMENT = re.compile(r"<(style|script)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"""\s(?:style|on[a-z]+)\s*=\s*(?:"[^"]*"|'[^']*')""", re.IGNORECASE)
TRANSPARENT = re.compile(r'(fill|stroke)="transparent"')


class GraphvizError(Exception):
    """`dot` is missing, too slow, or refused the drawing; the message says which."""


def render_svg(
    dot_text: str,
    *,
    label: str,
    role: str = "img",
    executable: str = "dot",
    timeout: float = 20,
) -> str:
    """The SVG `dot` lays out for `dot_text`, cleaned for inline use (see `clean_svg`) and
    named `label` for screen readers (role "group" when it holds links to follow)."""
    try:
        finished = subprocess.run(
            [executable, "-Tsvg"],
            input=dot_text.encode(),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError as missing:
        raise GraphvizError(
            f"Graphviz's `{executable}` is not installed: apt-get install graphviz"
        ) from missing
    except subprocess.TimeoutExpired as slow:
        raise GraphvizError(f"Graphviz took longer than {timeout:g} s to draw") from slow
    if finished.returncode != 0:
        problem = finished.stderr.decode(errors="replace").strip()
        raise GraphvizError(f"Graphviz refused the drawing: {problem}")
    svg = clean_svg(finished.stdout.decode())
    named = f'<svg role="{role}" aria-label={quoteattr(label)} '
    return svg.replace("<svg ", named, 1)


def clean_svg(svg: str) -> str:
    """Graphviz's SVG without what a strict CSP or an inline page refuses."""
    svg = PROLOG.sub("", svg)
    svg = STYLE_ELEMENT.sub("", svg)
    svg = STYLE_ATTRIBUTE.sub("", svg)
    # Graphviz writes every hyphen as a character reference, ids included.
    svg = svg.replace("&#45;", "-")
    # SVG 1.1 has no "transparent" colour; "none" means the same everywhere.
    return TRANSPARENT.sub(r'\1="none"', svg).strip()
