"""What a seller does in the browser, written once for every end-to-end test."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from functools import cache

from playwright.sync_api import Locator, Page, expect

from tests.documents import SMALL
from wizard.flows import Flow, load_flow

NEXT = re.compile(r"^(Lanjut|Next)$")
START = re.compile(r"^(Mulai|Start)$")
JAKARTA = zoneinfo.ZoneInfo("Asia/Jakarta")
SHOWS_HEADING = """(text) => {
  const heading = document.getElementById("step-heading");
  return heading !== null && heading.textContent.trim() === text;
}"""


@cache
def small() -> Flow:
    """The small test flow, parsed, to read its texts from."""
    return load_flow(SMALL)


def question(key: str, language: str = "id") -> str:
    """A question's heading in the small flow."""
    flow = small()
    return flow.render(flow.questions[key].text, language)


def solution(key: str, language: str = "id") -> str:
    """A solution's heading in the small flow."""
    flow = small()
    return flow.render(flow.solutions[key].title, language)


def heading(page: Page) -> Locator:
    """The current step's heading."""
    return page.locator("#step-heading")


def start(page: Page) -> None:
    """From the landing page, tap Start and land on the first question."""
    page.goto("/")
    page.get_by_role("button", name=START).click()
    page.wait_for_url(re.compile(r"/s/[\w-]+/\w+/$"))
    expect(heading(page)).to_be_visible()


def submit(page: Page, lands_on: str, heading_text: str) -> None:
    """Tap Next and wait for the step `lands_on` (by URL and heading) to be shown."""
    page.locator("#step").get_by_role("button", name=NEXT).click()
    arrived(page, lands_on, heading_text)


def arrived(page: Page, key: str, heading_text: str) -> None:
    """Wait until the page shows step `key` with its heading."""
    page.wait_for_url(re.compile(rf"/s/[\w-]+/{key}/$"))
    # Checked on every frame: quicker than expect()'s back-off, as each test waits often.
    page.wait_for_function(SHOWS_HEADING, arg=heading_text, polling="raf", timeout=5_000)
    expect(heading(page)).to_have_text(heading_text)


def tick(page: Page, item: str, answer: str = "Ya") -> None:
    """Answer one checklist item (a group named by the item): Ya, Tidak or Tidak yakin
    (Yes, No, Not sure)."""
    group = page.locator("#step").get_by_role("group", name=item, exact=True)
    group.get_by_label(answer, exact=True).check()


def back(page: Page) -> None:
    """The browser's Back button.

    After an htmx swap, htmx answers Back by reloading the page at the earlier URL
    (its history cache is off), which aborts the navigation Playwright's go_back()
    waits for; the caller waits for the page it expects with `arrived` instead.
    """
    page.evaluate("() => { setTimeout(() => history.back()); }")


def forward(page: Page) -> None:
    """The browser's Forward button (see `back`)."""
    page.evaluate("() => { setTimeout(() => history.forward()); }")


def hours_ago(hours: int) -> str:
    """A time in Jakarta as a datetime-local field takes it."""
    when = dt.datetime.now(JAKARTA) - dt.timedelta(hours=hours)
    return when.strftime("%Y-%m-%dT%H:%M")


def walk_ship_path(page: Page, language: str = "id") -> None:
    """Answer the small flow's longest path: every kind of question but yes/no and version.

    Placed 30 hours ago (past the 24-hour fact: a finding), 5 ordered, 2 in stock
    (another finding), address and bank set up: the walk ends on `out_of_stock`.
    """
    page.get_by_label("Tidak bisa kirim" if language == "id" else "Cannot ship").check()
    submit(page, "placed_at", question("placed_at", language))
    page.locator("#step input[type=datetime-local]").fill(hours_ago(30))
    submit(page, "ordered", question("ordered", language))
    page.locator("#step input[type=number]").fill("5")
    submit(page, "stock", question("stock", language))
    page.locator("#step input[type=number]").fill("2")
    submit(page, "settings", question("settings", language))
    yes = "Ya" if language == "id" else "Yes"
    tick(page, "Alamat" if language == "id" else "Address", yes)
    tick(page, "Rekening" if language == "id" else "Bank account", yes)
    submit(page, "out_of_stock", solution("out_of_stock", language))
