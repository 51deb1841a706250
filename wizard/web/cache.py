"""The cache of a single server without Redis: Django's file cache, with counts that hold
under a burst and culled less often."""

from __future__ import annotations

import fcntl
import os
import pickle
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

# How often one process checks whether the cache holds more than MAX_ENTRIES files.
CULL_SECONDS = 30.0
# Counters are locked in this many stripes: one lock file each, a fixed number of files.
LOCK_STRIPES = 64


class FileCache(FileBasedCache):
    """Django's FileBasedCache, whose `add` and `incr` read a file and then write it, so
    that two workers counting at once both see the same count and one event is lost (a
    burst of starts went far past a limit). Here both run under an exclusive lock on a
    file every worker shares, so a count is exact on one server.

    It also lists its whole directory to decide whether to cull at most once every
    CULL_SECONDS per process, not on every write (every count is a write); the cache may
    pass MAX_ENTRIES by what one server writes in that time before it is culled."""

    def __init__(self, dir: str, params: dict[str, Any]) -> None:
        super().__init__(dir, params)
        self._culled_at = float("-inf")

    @contextmanager
    def _locked(self, key: str, version: int | None) -> Iterator[None]:
        """Hold the lock of `key`'s stripe (across threads and processes) meanwhile."""
        stripe = zlib.crc32(self.make_and_validate_key(key, version).encode()) % LOCK_STRIPES
        locks = os.path.join(self._dir, "locks")  # type: ignore[attr-defined]
        os.makedirs(locks, exist_ok=True)
        with open(os.path.join(locks, f"{stripe}.lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def add(
        self,
        key: str,
        value: Any,
        timeout: float | None = DEFAULT_TIMEOUT,
        version: int | None = None,
    ) -> bool:
        """Store `value` unless `key` is there, in one step for every worker."""
        with self._locked(key, version):
            return super().add(key, value, timeout, version)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        """Add `delta` to the count in `key`, in one step for every worker, keeping the
        key's expiry (Django's `incr` writes it back with the default timeout, so a count
        kept for an hour would vanish after five minutes)."""
        with self._locked(key, version):
            try:
                with open(self._key_to_file(key, version), "rb") as file:  # type: ignore[attr-defined]
                    # The file cache's own layout: the expiry, then the compressed value.
                    expiry = pickle.load(file)
                    value = pickle.loads(zlib.decompress(file.read()))
            except (FileNotFoundError, EOFError):
                raise ValueError(f"Key '{key}' not found") from None
            if expiry is not None and expiry < time.time():
                raise ValueError(f"Key '{key}' not found")
            timeout = None if expiry is None else max(expiry - time.time(), 0.001)
            self.set(key, value + delta, timeout, version)
            return int(value + delta)

    def _cull(self) -> None:
        now = time.monotonic()
        if now - self._culled_at < CULL_SECONDS:
            return
        self._culled_at = now
        super()._cull()  # type: ignore[misc]  # in Django, not in its stubs
