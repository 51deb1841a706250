"""`loadflow` after a publish in the workshop: which files it loads, which it refuses."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from tests.documents import SMALL
from tests.editors.test_workshop import approve_and_publish, run
from tests.staff import staff_user
from wizard.editors.models import Draft
from wizard.sellers.models import FlowVersion

# The editor's publish: the hour limit's label, in the browser.
EDITED = SMALL.replace('en = "Hour limit"', 'en = "Hours to ship"')


@pytest.fixture
def published(version: FlowVersion) -> FlowVersion:
    author, reviewer = staff_user("editors", "ayu"), staff_user("editors", "budi")
    draft = Draft.start(version, by=author)
    draft.save_document(EDITED, revision=1, by=author)
    return approve_and_publish(draft, reviewer, author, "label")


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "orders.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_file_with_the_live_content_changes_nothing(
    tmp_path: Path, published: FlowVersion
) -> None:
    assert "unchanged, small v2 stays live" in run("loadflow", write(tmp_path, EDITED))
    assert FlowVersion.objects.filter(is_preview=False).count() == 2


def test_a_file_with_an_older_versions_content_is_refused_and_says_why(
    tmp_path: Path, published: FlowVersion
) -> None:
    with pytest.raises(CommandError) as refusal:
        run("loadflow", "--strict", write(tmp_path, SMALL))
    message = str(refusal.value)
    assert "published in the workshop by ayu" in message
    assert "content of small v1, which small v2 replaced" in message
    assert "dumpflow" in message
    assert "--force" in message
    assert FlowVersion.live("small") == published


def test_force_loads_the_older_content_as_a_new_version(
    tmp_path: Path, published: FlowVersion
) -> None:
    assert "loaded as small v3 (now live)" in run("loadflow", "--force", write(tmp_path, SMALL))
    assert FlowVersion.live("small").number == 3  # type: ignore[union-attr]


def test_a_new_file_brought_up_to_date_with_dumpflow_loads(
    tmp_path: Path, published: FlowVersion
) -> None:
    path = tmp_path / "orders.toml"
    run("dumpflow", "--flow", "small", str(path))
    changed = path.read_text(encoding="utf-8").replace("Proses pesanan", "Kirim pesanan")
    assert "loaded as small v3" in run("loadflow", write(tmp_path, changed))


def test_a_new_file_that_lacks_the_workshops_change_is_refused_naming_it(
    tmp_path: Path, published: FlowVersion
) -> None:
    # A developer changed the repository's copy from before the editor's publish.
    changed = SMALL.replace("Proses pesanan", "Kirim pesanan")
    with pytest.raises(CommandError) as refusal:
        run("loadflow", "--strict", write(tmp_path, changed))
    message = str(refusal.value)
    assert "it is based on small v1" in message
    assert "lacks what the workshop changed in fact 'late_hours'" in message
    assert FlowVersion.live("small") == published
    assert "loaded as small v3" in run("loadflow", "--force", write(tmp_path, changed))


def test_without_a_publish_in_the_workshop_a_new_file_simply_loads(
    tmp_path: Path, version: FlowVersion, db: None
) -> None:
    assert "loaded as small v2" in run("loadflow", write(tmp_path, EDITED))


def test_the_refusal_is_documented_in_the_commands_help() -> None:
    from wizard.sellers.management.commands.loadflow import Command

    assert "published in the workshop after the version the file matches" in Command.help


def test_by_default_a_refusal_keeps_the_workshops_version_and_exits_zero(
    tmp_path: Path, published: FlowVersion
) -> None:
    out = run("loadflow", write(tmp_path, SMALL))
    assert "published in the workshop by ayu" in out
    assert "not loaded, small v2 from the workshop stays live" in out
    assert FlowVersion.live("small") == published


def test_check_writes_nothing_and_fails_on_a_file_that_would_be_refused(
    tmp_path: Path, published: FlowVersion
) -> None:
    with pytest.raises(CommandError):
        run("loadflow", "--check", write(tmp_path, SMALL))
    assert "would be loaded" in run(
        "loadflow", "--check", write(tmp_path, brought_up_to_date(EDITED))
    )
    assert FlowVersion.objects.filter(is_preview=False).count() == 2


def brought_up_to_date(text: str) -> str:
    """A file brought up to date with the workshop, then changed by a developer."""
    return text.replace("Proses pesanan", "Kirim pesanan")


def shipped_start_commands() -> list[list[str]]:
    """The manage.py commands the shipped systemd unit runs before the server starts."""
    unit = Path(__file__).parents[2] / "deploy/systemd/pesanan-lancar.service"
    commands = []
    for line in unit.read_text(encoding="utf-8").splitlines():
        if line.startswith("ExecStartPre=") and "manage.py" in line:
            argv = shlex.split(line.removeprefix("ExecStartPre="))
            commands.append(argv[argv.index("manage.py") + 1 :])
    return commands


def test_the_shipped_units_start_commands_succeed_after_a_publish_in_the_workshop(
    tmp_path: Path, published: FlowVersion, settings: object
) -> None:
    # The repository's file is the one from before the editor's publish.
    settings.FLOW_FILES = [write(tmp_path, SMALL)]  # type: ignore[attr-defined]
    commands = shipped_start_commands()
    assert ["loadflow"] in [command[:1] for command in commands]
    for command in commands:
        run(*command)  # raises CommandError (exit 1) if the start would fail
    assert FlowVersion.live("small") == published
