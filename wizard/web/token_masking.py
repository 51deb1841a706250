"""Session and share tokens never reach a log or an error report: they are masked in every
logged line, in gunicorn's access log and in the events sent to Sentry.

A token is replaced by a short fingerprint (`/s/~3fa9c1e2/`) so that the lines of one
session can still be followed, while nothing in the log opens it.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any

from gunicorn.glogging import Logger

# A token is the path segment after /s/ or /share/, wherever such a path appears: a
# request line, a Referer, a redirect's Location, or percent-encoded in a query string.
# Masking a lookalike path by mistake costs nothing; missing a token would leak it.
SLASH = r"(?:/|%2[fF])"
TOKEN_IN_PATH = re.compile(rf"({SLASH}(?:s|share){SLASH})((?:(?!%2[fF])[^/?#&\s\"'])+)")
# A bare token as a query value (pasted into the staff search: `/staff/?q=<token>`),
# perhaps with spaces around it. Codes (8 letters) and cursors (with `:` and `~`) are
# too short or of another shape, and stay readable.
SPACE = r"(?:\+|%20)*"
TOKEN_IN_QUERY = re.compile(
    rf"((?:^|[?&])[^=&\s#]*={SPACE})([A-Za-z0-9_-]{{20,}})(?={SPACE}(?:[&#\s\"']|$))"
)


# A bare token (secrets.token_urlsafe(32): 43 URL-safe characters) in anything sent to
# Sentry: a frame's variable, a form field, an `extra` value. Masking a lookalike costs a
# little debugging; sending a token would open a seller's answers to whoever reads Sentry.
BARE_TOKEN = re.compile(r"(?<![A-Za-z0-9_~-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")


def _bare_fingerprint(match: re.Match[str]) -> str:
    return f"~{hashlib.sha256(match.group(0).encode()).hexdigest()[:8]}"


def _fingerprint(match: re.Match[str]) -> str:
    token = match.group(2)
    if token.startswith("~"):  # already masked
        return match.group(0)
    return f"{match.group(1)}~{hashlib.sha256(token.encode()).hexdigest()[:8]}"


def mask_tokens(text: str) -> str:
    """The text with every session or share token in a URL path or a query replaced."""
    if "=" in text:
        text = TOKEN_IN_QUERY.sub(_fingerprint, text)
    if "/s" not in text and "%2" not in text:
        return text
    return TOKEN_IN_PATH.sub(_fingerprint, text)


def _masked(value: Any) -> Any:
    return mask_tokens(value) if isinstance(value, str) else value


class MaskTokens(logging.Filter):
    """A logging filter that masks tokens in a record's message and arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drop it."""
        if isinstance(record.msg, str):
            record.msg = mask_tokens(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _masked(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_masked(value) for value in record.args)
        return True


def _scrubbed(value: Any) -> Any:
    if isinstance(value, str):
        return BARE_TOKEN.sub(_bare_fingerprint, mask_tokens(value))
    if isinstance(value, dict):
        return {key: _scrubbed(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrubbed(item) for item in value]
    return value


def scrub_event(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """Sentry's `before_send`: the event with every token masked, wherever it appears
    (the request's URL, query and data, the message, stack frames' variables,
    breadcrumbs, extra), in a path or bare."""
    scrubbed: dict[str, Any] = _scrubbed(event)
    return scrubbed


class MaskedTokensLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger, with tokens masked in every access-log field (the request
    line, the path, the Referer, the Location of a redirect…)."""

    def atoms(
        self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any
    ) -> dict[str, Any]:
        """The access log's fields, masked."""
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        return {key: _masked(value) for key, value in atoms.items()}
