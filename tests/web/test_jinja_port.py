"""The Jinja2 port of the question page (bench.jinja2env, measured by bench.engines)
renders the bytes the Django templates render, for the same request: several questions,
both languages, prefilled or not, the full page and the htmx card. Without this the side
by side measurement would compare two different pages."""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings

from bench import jinja2env
from bench.seller import step_form
from wizard.sellers.models import FlowVersion, Session

ORDERS = Path(__file__).resolve().parents[2] / "wizard" / "content" / "orders.toml"
# Different on every response by design: the masked CSRF token and the CSP nonce.
PER_RESPONSE = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]+"')
HTMX = {"HX-Request": "true"}


def both(send: Callable[[], Any]) -> str:
    """The same request's response body by Django's templates, then by the port (each
    without what differs on every response), and Django's as it came."""
    django = send()
    with jinja2env.rendering_with_jinja2():
        jinja = send()
    assert django.status_code == jinja.status_code == 200
    assert django.headers.get("HX-Push-Url") == jinja.headers.get("HX-Push-Url")
    django_body: str = django.content.decode()
    jinja_body: str = jinja.content.decode()
    assert PER_RESPONSE.sub(r"\1…", django_body) == PER_RESPONSE.sub(r"\1…", jinja_body)
    return django_body


@pytest.mark.parametrize(("language", "seed"), [("id", 1), ("en", 2), ("id", 3)])
@override_settings(TEMPLATES=jinja2env.with_port(settings.TEMPLATES))
def test_the_port_renders_the_django_templates_bytes(db: None, language: str, seed: int) -> None:
    version, _ = FlowVersion.load(ORDERS.read_text())
    session = Session.start(version, language=language)
    client, chance = Client(), random.Random(seed)
    url, pages, cards = session.step_url(), [], 0
    for _ in range(30):
        form = step_form(both(functools.partial(client.get, url)))
        if form is None:
            break
        pages.append(url)
        sent = form.post(form.valid_value(chance))
        before = Session.objects.filter(pk=session.pk).values().get()

        def answer(
            before: Any = before,
            action: str = form.action,
            sent: Any = sent,
        ) -> Any:
            # Each engine answers from the same state: the first answer is undone.
            Session.objects.filter(pk=session.pk).update(**before)
            return client.post(action, sent, headers=HTMX)

        card = both(answer)
        cards += 1
        if 'class="step-card solution"' in card:
            break
        url = session.step_url(Session.objects.get(pk=session.pk).walk().step)
    assert len(pages) >= 2  # a short walk (seed 2) reaches its solution after two
    assert cards == len(pages)
    # Back to the first question, now prefilled.
    assert "checked" in both(lambda: client.get(session.step_url(version.flow.start)))
