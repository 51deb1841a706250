"""The flow drawn in the browser, and the prevention tips page."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from django.test import Client

from wizard.sellers.models import FlowVersion


def test_the_flow_diagram_is_served_as_inline_svg_without_scripts_or_styles(
    client: Client, version: FlowVersion
) -> None:
    response = client.get("/flow/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    svg = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]
    drawing = ET.fromstring(svg)
    assert drawing.tag.endswith("svg")
    for key in version.flow.questions:
        assert f'id="step-{key}"' in svg
    assert "Where is the problem?" in svg
    assert "style=" not in svg
    assert "<script" not in svg


def test_the_diagram_follows_the_language(client: Client, version: FlowVersion) -> None:
    html = client.get("/flow/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Di mana masalahnya?" in html


def test_a_specific_version_can_be_drawn_and_downloaded_as_dot(
    client: Client, version: FlowVersion
) -> None:
    assert client.get(f"/flow/{version.pk}/").status_code == 200
    response = client.get(f"/flow/{version.pk}/flow.dot")
    assert response["Content-Type"].startswith("text/vnd.graphviz")
    assert response.content.decode().startswith("digraph")
    assert client.get("/flow/999999/").status_code == 404


def test_the_diagram_page_holds_the_flow_as_a_list_with_its_arrows_in_words(
    client: Client, version: FlowVersion
) -> None:
    html = client.get("/flow/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    listed = html[html.index('<details class="outline"') : html.index("</details>")]
    for key, question in version.flow.questions.items():
        assert f'id="flow-{key}"' in listed
        assert question.text.en in listed
    # where → placed_at by the option's label, placed_at notes `late` by a condition in words.
    assert "Cannot ship" in listed
    assert 'href="#flow-placed_at"' in listed
    assert "if: more than 24 hours ago" in listed
    assert "also check:" in listed
    assert "$late_hours" not in html
    assert ".hours_ago" not in html


def test_the_diagram_page_links_the_drawing_alone_full_size(
    client: Client, version: FlowVersion
) -> None:
    html = client.get("/flow/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert f'href="/flow/{version.pk}/flow.svg"' in html
    # Without JavaScript the drawing scrolls in a labelled box the keyboard can reach.
    assert 'class="diagram" id="flow" tabindex="0" role="region" aria-label="Diagram alur"' in html
    response = client.get(f"/flow/{version.pk}/flow.svg", HTTP_ACCEPT_LANGUAGE="id")
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    drawing = ET.fromstring(response.content)
    assert drawing.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Di mana masalahnya?" in response.content.decode()
    english = client.get(f"/flow/{version.pk}/flow.svg", HTTP_ACCEPT_LANGUAGE="en")
    assert "Where is the problem?" in english.content.decode()
    assert client.get("/flow/999999/flow.svg").status_code == 404


def test_the_diagram_page_costs_one_query_once_drawn(
    client: Client, version: FlowVersion, django_assert_num_queries: object
) -> None:
    client.get("/flow/")
    with django_assert_num_queries(1):  # the live version
        client.get("/flow/")


def test_the_tips_page_lists_every_tip(client: Client, version: FlowVersion) -> None:
    html = client.get("/tips/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for tip in version.flow.tips.values():
        assert tip.text.en in html


def test_without_a_loaded_flow_the_pages_say_so_with_404(client: Client, db: None) -> None:
    assert client.get("/flow/").status_code == 404
    assert client.get("/tips/").status_code == 404
