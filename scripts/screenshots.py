"""PNG screenshots of every page type, at phone and desktop width, in both languages.

`make screenshots` runs this against the production-like sample site
(scripts/sample_site.py) with Debian's Chromium, and writes
screenshots/<language>/<phone|desktop>/<page>.png (git-ignored) for people to review:
the landing page, the first question of each kind, a question with an error, a
solution with and without "also check", the resume page, the 404 page, the share-link
pages (the seller's list, the read-only case as anyone and as staff), "not solved"
(next cause, contact support), the tips page, and the staff pages: sign-in, the queue,
case list and case page, insight and its A/B trials, the workshop (its list, a draft, a
solution's form, the stale facts).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sample_site
from playwright.sync_api import Browser, Page, sync_playwright

OUT = sample_site.ROOT / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARGS += ["--disable-component-update", "--disable-sync", "--no-first-run"]
DEVICES: dict[str, dict[str, Any]] = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}
LOCALES = {"id": "id-ID", "en": "en-US"}


def shoot(page: Page, path: str, name: str, folder: Path) -> None:
    """Open `path` and save the whole page."""
    page.goto(path)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=folder / f"{name}.png", full_page=True)


def with_error(page: Page, path: str, folder: Path) -> None:
    """The version question after an answer it refuses, as htmx swaps it in."""
    page.goto(path)
    page.locator("#id_value").fill("versi baru")
    page.locator("#step button[type=submit]").click()
    page.locator(".invalid-feedback").first.wait_for()
    page.screenshot(path=folder / "question-version-error.png", full_page=True)


def main() -> None:
    """Serve the sample site and photograph it."""
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"Chromium is not at {CHROMIUM}: apt-get install chromium.")
    with tempfile.TemporaryDirectory() as workdir:
        sample_site.prepare(Path(workdir))
        samples = sample_site.samples(languages=tuple(LOCALES))
        with sample_site.serving() as site, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for language in LOCALES:
                for device in DEVICES:
                    photograph(browser, site, language, device, samples)
            browser.close()
    print(f"Screenshots in {OUT}/ ({sum(1 for _ in OUT.rglob('*.png'))} files)")


def photograph(
    browser: Browser, site: str, language: str, device: str, samples: list[sample_site.Sample]
) -> None:
    """Every page type in one language at one size."""
    folder = OUT / language / device
    folder.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=site, locale=LOCALES[language], **DEVICES[device])
    page = context.new_page()
    shoot(page, "/", "landing", folder)
    shoot(page, "/s/no-such-session/", "not-found", folder)
    for sample in samples:
        if sample.language == language and not sample.is_for_staff:
            shoot(page, sample.path, sample.name, folder)
            if sample.name == "question-version":
                with_error(page, sample.path, folder)
    shoot(page, "/staff/login/", "staff-login", folder)
    sign_in(page)
    for sample in samples:
        if sample.language == language and sample.is_for_staff:
            shoot(page, sample.path, sample.name, folder)
    context.close()


def sign_in(page: Page) -> None:
    """Sign in as the sample site's staff member, through the form."""
    page.goto("/staff/login/")
    page.locator("input[name=username]").fill(sample_site.STAFF_USERNAME)
    page.locator("input[name=password]").fill(sample_site.STAFF_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/")


if __name__ == "__main__":
    main()
