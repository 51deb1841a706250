"""Bytes the browser really moved, read from Chromium's network events (DevTools protocol).

`encodedDataLength` at `Network.loadingFinished` is what came over the wire for one
request: response headers plus the body as sent (compressed when it was compressed).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import Page


@dataclass
class Transfer:
    """One request the page made and what it cost."""

    url: str
    method: str
    kind: str
    received: int = 0
    is_done: bool = False


@dataclass
class Traffic:
    """Every request of one page, from the moment it is attached."""

    page: Page
    transfers: dict[str, Transfer] = field(default_factory=dict)

    def __post_init__(self) -> None:
        cdp = self.page.context.new_cdp_session(self.page)
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.loadingFailed", self._failed)
        cdp.send("Network.enable")

    def _sent(self, event: dict[str, Any]) -> None:
        request = event["request"]
        self.transfers[event["requestId"]] = Transfer(
            url=request["url"], method=request["method"], kind=event.get("type", "")
        )

    def _finished(self, event: dict[str, Any]) -> None:
        transfer = self.transfers.get(event["requestId"])
        if transfer is not None:
            transfer.received = int(event["encodedDataLength"])
            transfer.is_done = True

    def _failed(self, event: dict[str, Any]) -> None:
        transfer = self.transfers.get(event["requestId"])
        if transfer is not None:
            transfer.is_done = True

    def settle(self, timeout: float = 5.0) -> list[Transfer]:
        """Wait until every request seen so far has finished; return them and start anew."""
        deadline = time.monotonic() + timeout
        # Events arrive while Playwright waits, so wait in short steps until all are in.
        self.page.wait_for_timeout(100)
        while any(not t.is_done for t in self.transfers.values()):
            if time.monotonic() > deadline:
                break
            self.page.wait_for_timeout(50)
        done = list(self.transfers.values())
        self.transfers = {}
        return done
