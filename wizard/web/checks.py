"""`check --deploy` refuses a production setup that only holds for one server.

Several app servers must share the data (PostgreSQL, not a SQLite file on one disk) and
the rate-limit counters (Redis, not files on one disk). A deployment that is meant to
run on one server says so with SINGLE_SERVER=1.
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

SHARED_CACHES = ("RedisCache", "PyMemcacheCache", "PyLibMCCache", "DatabaseCache")


@register(Tags.security, deploy=True)
def several_servers(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Warn about storage that one server keeps to itself, unless SINGLE_SERVER is on."""
    if not settings.IS_PRODUCTION or settings.SINGLE_SERVER:
        return []
    warnings = []
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        warnings.append(
            Warning(
                "The database is a SQLite file on this server: a second app server would "
                "see other data.",
                hint="Set DATABASE_URL to PostgreSQL, or SINGLE_SERVER=1 if one server is meant.",
                id="wizard.W001",
            )
        )
    if not str(settings.CACHES["default"]["BACKEND"]).endswith(SHARED_CACHES):
        warnings.append(
            Warning(
                "The cache is on this server only: each app server would count rate limits "
                "on its own.",
                hint="Set REDIS_URL, or SINGLE_SERVER=1 if one server is meant.",
                id="wizard.W002",
            )
        )
    return warnings


@register(Tags.security)
def proxies_by_address(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Warn that TRUSTED_PROXY_COUNT is no longer read: a count alone let any client that
    reached the app port name its own address."""
    if not os.environ.get("TRUSTED_PROXY_COUNT", "").strip():
        return []
    return [
        Warning(
            "TRUSTED_PROXY_COUNT is no longer read: X-Forwarded-For is believed only from "
            "the addresses in TRUSTED_PROXIES.",
            hint="Remove TRUSTED_PROXY_COUNT; set TRUSTED_PROXIES to your proxies' addresses "
            "(default: loopback).",
            id="wizard.W003",
        )
    ]
