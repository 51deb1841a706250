"""Page weight, from what Chromium really transferred: first visit ≤ 60 KB, htmx step ≤ 4 KB.

Sizes are Chromium's `encodedDataLength` (headers + body as sent). Responses are gzipped
by the test server as production's WhiteNoise and reverse proxy would (see `site` in
conftest.py), so these are compressed sizes; `make lighthouse` reports the same from a
production-like server.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from wizard.sellers.models import FlowVersion

from .seller import hours_ago, question, solution, start, submit, tick
from .traffic import Traffic, Transfer

pytestmark = pytest.mark.browser

FIRST_VISIT_BUDGET = 60 * 1024
STEP_BUDGET = 4 * 1024


def breakdown(transfers: list[Transfer]) -> str:
    """One line per request, for a failure message."""
    return "\n".join(f"{t.received:>7} B  {t.method} {t.url}" for t in transfers)


def foreign(transfers: list[Transfer], site: str) -> list[str]:
    """URLs of requests that went anywhere but the server's own origin."""
    return [
        t.url
        for t in transfers
        if not t.url.startswith(f"{site}/") and not t.url.startswith(("data:", "blob:"))
    ]


@pytest.fixture
def fresh_page(
    site: str, small_flow: FlowVersion, open_context: Callable[..., BrowserContext]
) -> Page:
    """A phone with an empty cache, as on a seller's first visit."""
    return open_context(base_url=site).new_page()


def test_the_first_visit_to_the_landing_page_is_at_most_60_kb(fresh_page: Page, site: str) -> None:
    traffic = Traffic(fresh_page)

    fresh_page.goto("/", wait_until="networkidle")
    transfers = traffic.settle()

    total = sum(t.received for t in transfers)
    print(f"first visit to the landing page: {total} B")  # shown with `pytest -s`
    assert total <= FIRST_VISIT_BUDGET, f"{total} B:\n{breakdown(transfers)}"
    assert {t.url.rsplit(".", 1)[-1] for t in transfers if "/static/" in t.url} >= {"css", "js"}
    assert foreign(transfers, site) == []


def test_each_htmx_step_is_at_most_4_kb_and_fetches_nothing_else(
    fresh_page: Page, site: str
) -> None:
    start(fresh_page)
    traffic = Traffic(fresh_page)
    steps: list[tuple[Callable[[], None], str]] = [
        (lambda: fresh_page.get_by_label("Tidak bisa kirim").check(), "placed_at"),
        (lambda: fresh_page.locator("#id_value").fill(hours_ago(30)), "ordered"),
        (lambda: fresh_page.locator("#id_value").fill("5"), "stock"),
        (lambda: fresh_page.locator("#id_value").fill("2"), "settings"),
    ]
    sizes = {}
    for fill, lands_on in steps:
        fill()
        submit(fresh_page, lands_on, question(lands_on))
        sizes[lands_on] = step_cost(traffic, site)
    tick(fresh_page, "Alamat")
    tick(fresh_page, "Rekening", "Tidak")
    submit(fresh_page, "out_of_stock", solution("out_of_stock"))
    sizes["out_of_stock"] = step_cost(traffic, site)
    fresh_page.get_by_role("button", name="Ya", exact=True).click()
    expect(fresh_page.locator("#feedback-reply")).to_be_visible()
    sizes["feedback"] = step_cost(traffic, site)

    print(f"htmx steps, bytes each: {sizes}")  # shown with `pytest -s`
    assert {key: size for key, size in sizes.items() if size > STEP_BUDGET} == {}, sizes


def step_cost(traffic: Traffic, site: str) -> int:
    """The bytes of the one request an htmx step may make (its POST and the new card).

    Bootstrap's inline `data:` images cost no request, and Chromium fetches the tab's
    icon whenever it likes (type "Other"): neither is the step's doing.
    """
    transfers = traffic.settle()
    assert foreign(transfers, site) == []
    made = [
        t
        for t in transfers
        if not t.url.startswith("data:") and not (t.kind == "Other" and t.url.endswith(".svg"))
    ]
    assert [(t.method, t.kind) for t in made] == [("POST", "XHR")], breakdown(transfers)
    return made[0].received


def test_a_whole_walk_sends_nothing_outside_the_servers_origin(fresh_page: Page, site: str) -> None:
    traffic = Traffic(fresh_page)
    requested: list[str] = []
    fresh_page.on("request", lambda request: requested.append(request.url))
    start(fresh_page)
    fresh_page.get_by_label("Tidak bisa buka").check()
    submit(fresh_page, "everyone", question("everyone"))
    fresh_page.get_by_label("Tidak", exact=True).check()
    submit(fresh_page, "app_version", question("app_version"))
    fresh_page.locator("#id_value").fill("43.3.0")
    submit(fresh_page, "network", solution("network"))
    fresh_page.get_by_role("button", name="English").click()
    expect(fresh_page.locator("html")).to_have_attribute("lang", "en")

    transfers = traffic.settle()
    assert len(transfers) >= 6
    assert foreign(transfers, site) == []
    assert [url for url in requested if not url.startswith(f"{site}/")] == []
