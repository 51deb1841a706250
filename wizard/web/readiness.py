"""What `/readyz` checks before a load balancer sends a server traffic.

The web layer checks what every deployment has (the database, the cache, migrations);
an app adds its own check with `register` (the sellers: a flow version is live), so
this module never imports an app. A check returns None when all is well, or a short
reason meant for an operator's dashboard: never an exception's text, which may name a
host, a user or a password.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.db.migrations.executor import MigrationExecutor

log = logging.getLogger(__name__)

type Check = Callable[[], str | None]

_checks: dict[str, Check] = {}
# Once every migration is applied it stays so until new code is deployed, which starts
# new processes: each process reads the migration table until it is up to date, then no more.
_migrated = False


def register(name: str, check: Check) -> None:
    """Add a readiness check (apps call this from their AppConfig.ready)."""
    _checks[name] = check


def database() -> str | None:
    """The database answers a trivial query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return None


def shared_cache() -> str | None:
    """The cache stores and returns a value (the rate limits count there)."""
    key, value = f"readyz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, timeout=10)
    found = cache.get(key)
    cache.delete(key)
    return None if found == value else "does not keep what it is given"


def migrations() -> str | None:
    """No migration is waiting to be applied."""
    global _migrated
    if _migrated:
        return None
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        return f"{len(pending)} pending (run `manage.py migrate`)"
    _migrated = True
    return None


register("database", database)
register("cache", shared_cache)
register("migrations", migrations)


def run_checks() -> dict[str, str]:
    """Each check's result: "ok", or why it failed."""
    results: dict[str, str] = {}
    for name, check in _checks.items():
        try:
            reason = check()
        except DatabaseError:
            log.warning("Readiness check %r failed: the database does not answer", name)
            reason = "the database does not answer"
        except Exception:
            log.warning("Readiness check %r failed", name, exc_info=True)
            reason = "failed (see the server's log)"
        results[name] = "ok" if reason is None else reason
    return results
