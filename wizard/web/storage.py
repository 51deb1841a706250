"""Static files as production serves them, with each file's URL worked out once."""

from __future__ import annotations

from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage  # type: ignore[import-untyped]


class RememberedManifestStorage(CompressedManifestStaticFilesStorage):  # type: ignore[misc]
    """WhiteNoise's hashed, compressed files; a URL is computed once per process.

    The manifest is read once when the process starts and never changes while it runs,
    so a `{% static %}` name always gives the same URL. Looking it up again (manifest,
    hashed name, urljoin, quoting) cost about 0.06 ms per tag, five tags a page.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return str(super().url(name, force))
        if name not in self._urls:
            self._urls[name] = str(super().url(name))
        return self._urls[name]
