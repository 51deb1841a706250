"""The flow's command-line tools: checkflow, drawflow and loadflow."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.documents import SMALL
from wizard.sellers.models import FlowVersion


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_checkflow_passes_the_shipped_flow_and_prints_its_path_statistics() -> None:
    output = run("checkflow")
    assert "median questions:" in output
    assert "longest:" in output
    assert "error:" not in output


def test_checkflow_fails_on_a_broken_document_and_names_the_step(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(SMALL.replace('{go = "stock"}', '{go = "stok"}'), encoding="utf-8")
    out = StringIO()
    with pytest.raises(CommandError, match="not publishable"):
        call_command("checkflow", str(broken), stdout=out)
    assert "question 'ordered'" in out.getvalue()


def test_drawflow_exports_svg_and_dot(tmp_path: Path) -> None:
    svg = tmp_path / "flow.svg"
    run("drawflow", "--output", str(svg), "--language", "en")
    assert ET.fromstring(svg.read_text(encoding="utf-8")).tag.endswith("svg")
    dot = run("drawflow", "--format", "dot")
    assert dot.startswith("digraph")


@pytest.mark.django_db
def test_loadflow_is_idempotent_and_pins_sessions_to_their_version(tmp_path: Path) -> None:
    first = tmp_path / "flow.toml"
    first.write_text(SMALL, encoding="utf-8")
    assert "loaded as small v1" in run("loadflow", str(first))
    assert "unchanged, small v1 stays live" in run("loadflow", str(first))
    first.write_text(SMALL.replace("Alur kecil", "Alur kecil (baru)"), encoding="utf-8")
    assert "loaded as small v2" in run("loadflow", str(first))
    assert FlowVersion.objects.count() == 2
    live = FlowVersion.live("small")
    assert live is not None
    assert live.number == 2


@pytest.mark.django_db
def test_loadflow_refuses_a_document_the_checker_refuses(tmp_path: Path) -> None:
    broken = tmp_path / "flow.toml"
    # Every answer to `everyone` now falls through: the checker finds the dead end.
    broken.write_text(SMALL.replace('  {go = "app_version"},\n', ""), encoding="utf-8")
    with pytest.raises(CommandError, match="was not loaded"):
        run("loadflow", str(broken))
    assert not FlowVersion.objects.exists()


@pytest.mark.django_db
def test_loadflow_says_clearly_when_the_file_is_missing(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read it"):
        run("loadflow", str(tmp_path / "missing.toml"))


def test_checkflow_prints_the_reachability_table_on_request(tmp_path: Path) -> None:
    path = tmp_path / "small.toml"
    path.write_text(SMALL, encoding="utf-8")
    plain = StringIO()
    call_command("checkflow", str(path), stdout=plain)
    assert "| solution |" not in plain.getvalue()
    out = StringIO()
    call_command("checkflow", str(path), "--reachability", "--language", "id", stdout=out)
    lines = out.getvalue().splitlines()
    assert "| solution | title | reached from | noted from | listed from |" in lines
    assert "| `outage` | Judul outage | open, other | — | — |" in lines
