"""What a step's page keeps per process (`{% once %}` fragments, crispy's answer fields,
hidden inputs, URL patterns) renders exactly what a fresh render does, whoever's
session filled it: other sessions, answers, prefilled questions, both languages."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from django.test import Client

from bench.seller import step_form
from wizard.sellers.models import FlowVersion, Session
from wizard.sellers.templatetags import sellers as seller_tags
from wizard.web.templatetags import once

ORDERS = Path(__file__).resolve().parents[2] / "wizard" / "content" / "orders.toml"
# Different on every response by design: the masked CSRF token and the CSP nonce.
PER_RESPONSE = re.compile(r'(name="csrfmiddlewaretoken" value=|nonce=)"[^"]+"')


def forget_everything() -> None:
    once.clear()
    seller_tags._fields.clear()
    seller_tags._hidden.clear()


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return PER_RESPONSE.sub(r"\1…", response.content.decode())


def walked(version: FlowVersion, language: str, seed: int) -> tuple[Client, list[str]]:
    """A session answered by plausible answers up to a solution: every page it saw, and
    its first question again (now prefilled)."""
    session = Session.start(version, language=language)
    client, chance = Client(), random.Random(seed)
    urls, url = [], session.step_url()
    for _ in range(30):
        urls.append(url)
        form = step_form(client.get(url).content.decode())
        if form is None:
            break
        response = client.post(form.action, form.post(form.valid_value(chance)))
        assert response.status_code == 303
        url = response["Location"]
    urls.append(session.step_url(version.flow.start))
    return client, urls


@pytest.mark.parametrize("language", ["id", "en"])
def test_pages_from_the_caches_are_the_pages_rendered_afresh(db: None, language: str) -> None:
    version, _ = FlowVersion.load(ORDERS.read_text())
    # Another seller's walk fills the caches first, in both languages.
    for other_language, seed in (("id", 1), ("en", 2)):
        other, urls = walked(version, other_language, seed)
        for url in urls:
            page(other, url)
    client, urls = walked(version, language, 3)
    cached = [page(client, url) for url in urls]
    fresh = []
    for url in urls:
        forget_everything()
        fresh.append(page(client, url))
    assert len(urls) >= 4
    assert 'class="step-card solution"' in cached[-2]
    assert "checked" in cached[-1]  # the first question, prefilled
    for url, from_cache, afresh in zip(urls, cached, fresh, strict=True):
        assert from_cache == afresh, url


def test_an_htmx_card_from_the_caches_is_the_card_rendered_afresh(db: None) -> None:
    version, _ = FlowVersion.load(ORDERS.read_text())
    cards = []
    for fresh in (False, True):
        session = Session.start(version, language="en")
        client = Client()
        form = step_form(client.get(session.step_url()).content.decode())
        assert form is not None
        if fresh:
            forget_everything()
        response = client.post(form.action, form.post(form.choices()[0]), HTTP_HX_REQUEST="true")
        card = PER_RESPONSE.sub(r"\1…", response.content.decode())
        cards.append(card.replace(session.token, "TOKEN").replace(session.code, "CODE"))
    assert 'id="step"' in cards[0]
    assert cards[0] == cards[1]
