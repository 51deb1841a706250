"""The single server's file cache: counters in files, culled at most every CULL_SECONDS."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.web import cache as file_cache
from wizard.web.cache import FileCache


def files(directory: Path) -> int:
    return len(list(directory.glob("*.djcache")))


def test_it_culls_past_max_entries_but_not_on_every_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr("wizard.web.cache.time.monotonic", lambda: clock[0])
    cache = FileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    for number in range(10):
        cache.set(f"key-{number}", number)
    # The first write checked (and found 0 files); the next ones within CULL_SECONDS do not.
    cache.set("one-more", 1)
    assert files(tmp_path) == 11
    clock[0] += file_cache.CULL_SECONDS
    cache.set("and-another", 2)
    # Culled: half of the 11 files went before the new one was written.
    assert files(tmp_path) == 11 - 11 // 2 + 1


def test_counts_are_shared_through_the_directory(tmp_path: Path) -> None:
    one, other = FileCache(str(tmp_path), {}), FileCache(str(tmp_path), {})
    one.add("hits", 0)
    one.incr("hits")
    assert other.incr("hits") == 2
