"""A fuzz run over every form and URL parameter a seller, support and an editor can reach:
malformed input gets a page or a clear message, never a 5xx.

The suite sends a few examples per form; `FUZZ_EXAMPLES=50 pytest tests/web/test_fuzz.py -s`
sends more and prints the figures, on whichever database DATABASE_URL names.
"""

from __future__ import annotations

import os
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.staff import signed_in, staff_user
from wizard.sellers.models import FlowVersion

SHIPPED = Path(__file__).parents[2] / "wizard" / "content" / "orders.toml"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "1"))
MAX_PAGES = int(os.environ.get("FUZZ_MAX_PAGES", "15"))
# Values people, scripts and scanners send: empty, huge, out of range, control characters.
VALUES = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "NaN",
    "9" * 400,
    "x" * 5000,
    "\x00",
    "<script>alert(1)</script>",
    "%00",
    "0001-01-01",
    "9999-12-31T23:59",
    "2026-02-30",
    "2026-12-07T12:00+23:59",
    "\u202e",
    "🙂" * 50,
    "a,b",
    "true",
    "../../etc/passwd",
    "1.2.3.4.5",
    "43.3.0",
    "' OR 1=1 --",
]
# Links that end the actor's visit or leave the site are not followed.
SKIPPED = re.compile(r"logout|/static/|^https?:|^mailto:|^tel:|^#|/metrics|wa\.me")


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)


class Page(HTMLParser):
    """The links and forms of one page."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.links: list[str] = []
        self.forms: list[Form] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "a" and attributes.get("href", "").startswith("/"):
            self.links.append(attributes["href"])
        elif tag == "form":
            action = attributes.get("action") or self.url
            self.forms.append(Form(action, attributes.get("method", "get").lower()))
        elif tag in ("input", "select", "textarea", "button") and self.forms:
            name = attributes.get("name")
            if name and name != "csrfmiddlewaretoken":
                values = self.forms[-1].fields.setdefault(name, [])
                if attributes.get("value"):
                    values.append(attributes["value"])
        elif tag == "option" and self.forms and self.forms[-1].fields:
            last = list(self.forms[-1].fields)[-1]
            if attributes.get("value"):
                self.forms[-1].fields[last].append(attributes["value"])


@dataclass
class Run:
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)

    def send(self, client: Client, method: str, url: str, data: dict[str, object]) -> None:
        sender = client.post if method == "post" else client.get
        response = sender(url, data)
        self.requests += 1
        self.statuses[response.status_code] += 1
        if response.status_code >= 500:
            self.errors.append(f"{response.status_code} {method.upper()} {url} {data!r:.300}")


def crawl(client: Client, start: list[str]) -> list[Page]:
    """Every same-site page reachable from `start`, at most MAX_PAGES."""
    seen: set[str] = set()
    pages: list[Page] = []
    queue = list(start)
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        path = urlsplit(url).path
        if url in seen or SKIPPED.search(url):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = Page(path)
        page.feed(response.content.decode())
        pages.append(page)
        queue.extend(link for link in page.links if link not in seen)
    return pages


def fuzz_forms(client: Client, pages: list[Page], run: Run, chance: random.Random) -> None:
    for page in pages:
        for form in page.forms:
            if SKIPPED.search(form.action):
                continue
            for _ in range(EXAMPLES):
                data: dict[str, object] = {}
                for name, known in form.fields.items():
                    if known and chance.random() < 0.4:
                        data[name] = chance.choice(known)
                    elif chance.random() < 0.1:
                        data[name] = [chance.choice(VALUES), chance.choice(VALUES)]
                    else:
                        data[name] = chance.choice(VALUES)
                run.send(client, form.method, form.action, data)


def fuzz_paths(client: Client, pages: list[Page], run: Run, chance: random.Random) -> None:
    for page in pages:
        segments = page.url.strip("/").split("/")
        for _ in range(EXAMPLES):
            mutated = list(segments)
            mutated[chance.randrange(len(mutated))] = quote(chance.choice(VALUES), safe="")
            run.send(client, "get", "/" + "/".join(mutated) + "/", {})
            names = [name for form in page.forms for name in form.fields] or ["q", "page"]
            run.send(client, "get", page.url, {chance.choice(names): chance.choice(VALUES)})


def actors(version: FlowVersion) -> dict[str, tuple[Client, list[str]]]:
    seller = Client(HTTP_ACCEPT_LANGUAGE="id")
    started = seller.post("/start/", {"flow": version.key}, follow=False)
    first = started.get("Location", "/")
    support: User = staff_user("support", "fuzz-support")
    editor: User = staff_user("editors", "fuzz-editor")
    return {
        "seller": (seller, ["/", first]),
        "support": (signed_in(support, HTTP_ACCEPT_LANGUAGE="en"), ["/staff/", "/staff/cases/"]),
        "editor": (
            signed_in(editor, HTTP_ACCEPT_LANGUAGE="id"),
            ["/staff/flows/", "/staff/insight/", "/staff/insight/trials/"],
        ),
    }


@pytest.mark.django_db
def test_no_form_or_url_parameter_gives_a_server_error() -> None:
    version, _ = FlowVersion.load(SHIPPED.read_text(encoding="utf-8"))
    chance = random.Random(int(os.environ.get("FUZZ_SEED", "7")))
    run = Run()
    forms = 0
    for client, start in actors(version).values():
        pages = crawl(client, start)
        forms += sum(len(page.forms) for page in pages)
        fuzz_forms(client, pages, run, chance)
        fuzz_paths(client, pages, run, chance)
    print(
        f"\nfuzz: {run.requests} requests over {forms} forms, "
        f"5xx: {len(run.errors)}, statuses: {dict(sorted(run.statuses.items()))}"
    )
    assert forms > 10, "the crawl found too few forms to mean anything"
    assert not run.errors, "\n".join(run.errors[:20])
