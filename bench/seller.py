"""A simulated seller for the benchmark and the soak test: one keep-alive connection with
cookies, reading the wizard's real HTML forms (CSRF token, revision, answer fields)."""

from __future__ import annotations

import datetime as dt
import gzip
import html
import http.client
import random
import re
import time
import urllib.parse
from dataclasses import dataclass

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVISION = re.compile(r'name="revision" value="(\d+)"')
ANSWER_FORM = re.compile(r'<form method="post" action="(/s/[^"]+)"[^>]*class="answer-form"')
VALUE_INPUT = re.compile(r'<input\b[^>]*\bname="value"[^>]*>')
# A checklist asks each item apart: yes, no or not sure (radios named tick_<item>).
TICK_INPUT = re.compile(r'<input\b[^>]*\bname="tick_[^"]+"[^>]*>')
ATTRIBUTE = re.compile(r'([a-z-]+)="([^"]*)"')
JAKARTA = dt.timezone(dt.timedelta(hours=7))


@dataclass(frozen=True)
class Reply:
    """What the server answered, and how long it took."""

    status: int
    location: str
    body: str
    seconds: float


class Browser:
    """One seller's phone: a persistent HTTP/1.1 connection that keeps cookies."""

    def __init__(self, base_url: str, timeout: float = 15) -> None:
        self.base_url = base_url.rstrip("/")
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, str | list[str]] | None = None,
        extra_headers: dict[str, str] | None = None,
    ) -> Reply:
        """Send one request; a broken connection is dropped and raised as OSError."""
        # gzip like every browser, so the server does the compressing it does for sellers.
        headers = {
            "Accept-Language": "id",
            "Accept-Encoding": "gzip",
            "User-Agent": "pesanan-bench",
            **(extra_headers or {}),
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.connection is None:
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        began = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.close()
            raise OSError(f"{type(error).__name__}: {error}") from error
        seconds = time.perf_counter() - began
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.will_close:
            self.close()
        if response.headers.get("Content-Encoding") == "gzip":
            content = gzip.decompress(content)
        return Reply(
            response.status,
            response.headers.get("Location", ""),
            content.decode("utf-8", "replace"),
            seconds,
        )

    def close(self) -> None:
        """Drop the connection (the next request opens a new one)."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None


@dataclass(frozen=True)
class StepForm:
    """The answer form of a question page."""

    action: str
    csrf: str
    revision: int
    inputs: tuple[dict[str, str], ...]

    @property
    def key(self) -> str:
        """The question's key (the last part of the form's URL)."""
        return self.action.rstrip("/").rsplit("/", 1)[-1]

    def choices(self) -> list[str]:
        """The values of the radio buttons or checkboxes."""
        return [i["value"] for i in self.inputs if i.get("type") in ("radio", "checkbox")]

    def valid_value(self, chance: random.Random) -> str | list[str] | dict[str, str]:
        """A well-formed answer, as a seller would give it."""
        if self.inputs[0].get("name", "").startswith("tick_"):
            items: dict[str, list[str]] = {}
            for tick in self.inputs:
                items.setdefault(tick["name"], []).append(tick["value"])
            return {name: chance.choice(states) for name, states in items.items()}
        kind = self.inputs[0].get("type", "text")
        if kind == "radio":
            return chance.choice(self.choices())
        if kind == "checkbox":
            return chance.sample(self.choices(), chance.randint(0, len(self.choices())))
        if kind == "number":
            low = int(self.inputs[0].get("min", "0"))
            high = min(int(self.inputs[0].get("max", str(low + 100))), low + 100)
            return str(chance.randint(low, high))
        if kind == "datetime-local":
            when = dt.datetime.now(JAKARTA) - dt.timedelta(hours=chance.randint(1, 96))
            return when.strftime("%Y-%m-%dT%H:%M")
        return chance.choice(["43.2.1", "40.1", "38.0.5", ""])

    def post(self, value: str | list[str] | dict[str, str]) -> dict[str, str | list[str]]:
        """The form as the browser sends it (a checklist: one field per item)."""
        fields = value if isinstance(value, dict) else {"value": value}
        return {"csrfmiddlewaretoken": self.csrf, "revision": str(self.revision), **fields}


def step_form(page: str) -> StepForm | None:
    """The answer form on a page, or None on a page without one (a solution)."""
    action = ANSWER_FORM.search(page)
    csrf = CSRF.search(page)
    revision = REVISION.search(page)
    if action is None or csrf is None or revision is None:
        return None
    inputs = tuple(
        {name: html.unescape(value) for name, value in ATTRIBUTE.findall(tag)}
        for tag in VALUE_INPUT.findall(page) or TICK_INPUT.findall(page)
    )
    if not inputs:
        return None
    return StepForm(html.unescape(action.group(1)), csrf.group(1), int(revision.group(1)), inputs)


def start_session(browser: Browser) -> str:
    """Open the landing page and press Start; the first question's URL."""
    landing = browser.request("GET", "/")
    token = CSRF.search(landing.body)
    if landing.status != 200 or token is None:
        raise OSError(f"landing page answered {landing.status}")
    started = browser.request("POST", "/start/", {"csrfmiddlewaretoken": token.group(1)})
    if started.status != 303:
        raise OSError(f"start answered {started.status}")
    return started.location
