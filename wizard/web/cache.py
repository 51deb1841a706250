"""The cache of a single server without Redis: Django's file cache, culled less often."""

from __future__ import annotations

import time
from typing import Any

from django.core.cache.backends.filebased import FileBasedCache

# How often one process checks whether the cache holds more than MAX_ENTRIES files.
CULL_SECONDS = 30.0


class FileCache(FileBasedCache):
    """Django's FileBasedCache, which lists its whole directory on every write to decide
    whether to cull: every answer's rate-limit count is a write, and with the 20,000
    entries allowed that listing would grow to 20,000 names per answer (with a few dozen
    files it was already a third of the count's CPU, `python -m bench.parts`). Here each
    process (each thread's cache object) checks at most once every CULL_SECONDS, so the
    cache may pass MAX_ENTRIES by what one server writes in that time before it is
    culled; nothing else changes, and counters still live in files every worker shares."""

    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._culled_at = float("-inf")

    def _cull(self) -> None:
        now = time.monotonic()
        if now - self._culled_at < CULL_SECONDS:
            return
        self._culled_at = now
        super()._cull()  # type: ignore[misc]  # in Django, not in its stubs
