"""`make seller-timing`: what a seller on a slow phone connection feels, in Chromium.

The wizard runs under gunicorn with production settings (bench.servers) on SQLite; Debian's
Chromium, driven by Playwright, gets a phone's viewport and the network emulated through
the DevTools protocol (Network.emulateNetworkConditions) at SELLER_KBPS (400) kbit/s each
way and SELLER_RTT_MS (400) ms round trip. For each of SELLER_ROUNDS (7) rounds it opens the
first question, picks an answer, taps Next, and times the tap until the next question's
heading is on screen; it counts the requests the step sent (each at least one round trip).
Once with JavaScript (htmx swaps the next card in), once without (the form's POST, its 303
and the next page's GET). Prints the medians; asserts nothing.

    SELLER_ROUNDS=7 .venv/bin/python -m bench.seller_timing
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import CDPSession, Page, sync_playwright

from bench.servers import Server

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run"]
KBPS = float(os.environ.get("SELLER_KBPS", "400"))
RTT_MS = float(os.environ.get("SELLER_RTT_MS", "400"))
ROUNDS = int(os.environ.get("SELLER_ROUNDS", "7"))
TOKEN = re.compile(r"/s/[^/]+/")
HEADING_CHANGED = """(before) => {
  const heading = document.getElementById("step-heading");
  return heading !== null && heading.textContent.trim() !== before;
}"""


@dataclass(frozen=True)
class Step:
    """One timed step: seconds from the tap to the next question, and the requests that
    went over the network (each at least one round trip; cache hits are left out)."""

    seconds: float
    requests: list[str]


class Network:
    """The page's network as the DevTools protocol reports it, slowed to a seller's."""

    def __init__(self, page: Page) -> None:
        self.sent: dict[str, list[str]] = {}
        self.cached: set[str] = set()
        devtools = page.context.new_cdp_session(page)
        devtools.on("Network.requestWillBeSent", self._sent)
        devtools.on("Network.requestServedFromCache", self._cached)
        devtools.on("Network.responseReceived", self._received)
        devtools.send("Network.enable")
        slow_down(devtools)

    def _sent(self, event: dict[str, Any]) -> None:
        request = event["request"]
        # A redirect is a second request under the same id: a round trip of its own.
        path = request["url"].split("/", 3)[-1]
        self.sent.setdefault(event["requestId"], []).append(f"{request['method']} /{path}")

    def _cached(self, event: dict[str, Any]) -> None:
        self.cached.add(event["requestId"])

    def _received(self, event: dict[str, Any]) -> None:
        if event["response"].get("fromDiskCache") or event["response"].get("fromMemoryCache"):
            self.cached.add(event["requestId"])

    def clear(self) -> None:
        """Forget what was sent so far."""
        self.sent.clear()
        self.cached.clear()

    def round_trips(self) -> list[str]:
        """The requests sent since `clear` that the network carried."""
        return [
            line
            for request_id, lines in self.sent.items()
            if request_id not in self.cached
            for line in lines
        ]


def slow_down(devtools: CDPSession) -> None:
    """Emulate the seller's connection (the protocol counts bytes per second)."""
    devtools.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": RTT_MS,
            "downloadThroughput": KBPS * 1000 / 8,
            "uploadThroughput": KBPS * 1000 / 8,
        },
    )


def one_step(page: Page, network: Network, first_question: str) -> Step:
    """Open the first question (untimed), answer it, and time the tap to the next one."""
    page.goto(first_question)
    heading = page.locator("#step-heading").inner_text().strip()
    page.locator("form.answer-form input[type=radio]").first.check()
    network.clear()
    began = time.perf_counter()
    page.locator("form.answer-form button[type=submit]").click()
    page.wait_for_function(HEADING_CHANGED, arg=heading, polling="raf", timeout=60_000)
    seconds = time.perf_counter() - began
    page.wait_for_load_state("load")  # what the step still loads counts as its round trips
    return Step(seconds, network.round_trips())


def measure(server: Server, *, javascript: bool) -> list[Step]:
    """ROUNDS steps in one phone context, JavaScript on or off."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(
            base_url=server.url,
            java_script_enabled=javascript,
            locale="id-ID",
            viewport={"width": 390, "height": 844},
            is_mobile=True,
            has_touch=True,
        )
        page = context.new_page()
        network = Network(page)
        page.goto("/")
        page.get_by_role("button", name=re.compile("^(Mulai|Start)$")).click()
        page.wait_for_url("**/s/**")
        first_question = page.url
        steps = [one_step(page, network, first_question) for _ in range(ROUNDS + 1)][
            1:
        ]  # one warm-up
        browser.close()
    return steps


def main() -> None:
    """Start the server, time both ways, print the medians and each step's requests."""
    if not os.access(CHROMIUM, os.X_OK):
        sys.exit(f"Chromium is not at {CHROMIUM}: apt-get install chromium")
    with Server("sqlite", workers=2) as server:
        results = {js: measure(server, javascript=js) for js in (True, False)}
    print(
        f"\nA seller's step in Chromium at {KBPS:g} kbit/s and {RTT_MS:g} ms round trip "
        f"(DevTools emulation), median of {ROUNDS} steps after one warm-up:"
    )
    for javascript, steps in results.items():
        seconds = statistics.median(step.seconds for step in steps)
        spread = f"{min(s.seconds for s in steps):.2f}-{max(s.seconds for s in steps):.2f}"
        counts = sorted({len(step.requests) for step in steps})
        print(
            f"  JavaScript {'on (htmx)' if javascript else 'off      '}: {seconds:.2f} s "
            f"({spread} s), round trips per step: {', '.join(map(str, counts))}"
        )
        most = max(steps, key=lambda step: len(step.requests)).requests
        print(f"    the most: {' -> '.join(TOKEN.sub('/s/<token>/', line) for line in most)}")


if __name__ == "__main__":
    main()
