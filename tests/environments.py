"""Settings as another environment would compute them (production, PostgreSQL, Redis)."""

from __future__ import annotations

import os
import runpy
import secrets
from pathlib import Path
from typing import Any
from unittest import mock

SETTINGS = Path(__file__).resolve().parent.parent / "wizard" / "settings.py"

# The smallest environment production accepts.
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "pesanan.example",
}

# Settings that only matter on the way in or out of a request, safe to override in a test.
SECURITY_SETTINGS = (
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_NAME",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_NAME",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_NAME",
    "ALLOWED_HOSTS",
)


def computed_settings(**environment: str) -> dict[str, Any]:
    """The settings module's values under exactly this environment (nothing inherited)."""
    keep = {name: value for name, value in os.environ.items() if name in {"PATH", "HOME"}}
    with mock.patch.dict(os.environ, keep | environment, clear=True):
        values = runpy.run_path(str(SETTINGS))
    return {name: value for name, value in values.items() if name.isupper()}


def production_settings(**environment: str) -> dict[str, Any]:
    """The settings a production server computes (plus any extra variables)."""
    return computed_settings(**PRODUCTION | environment)


def production_overrides(**environment: str) -> dict[str, Any]:
    """Production's security settings, for override_settings() around test requests."""
    values = production_settings(**environment)
    return {name: values[name] for name in SECURITY_SETTINGS if name in values} | {
        "ALLOWED_HOSTS": ["testserver", "pesanan.example"]
    }
