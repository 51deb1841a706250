"""Every interface string has its Indonesian translation, compiled and in use."""

import re
from pathlib import Path

from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "id" / "LC_MESSAGES" / "django.po"


def entries() -> list[tuple[str, str, bool, str]]:
    """(msgid, msgstr, fuzzy, context) for each entry of the .po file, read without polib."""
    found = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        msgid = _joined(block, "msgid")
        msgstr = _joined(block, "msgstr") or _joined(block, r"msgstr\[0\]")
        if msgid:
            found.append((msgid, msgstr, "#, fuzzy" in block, _joined(block, "msgctxt")))
    return found


def _joined(block: str, keyword: str) -> str:
    match = re.search(rf'^{keyword} ((?:".*"\n?)+)', block, re.MULTILINE)
    if not match:
        return ""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', match.group(1))
    return "".join(parts).encode().decode("unicode_escape").encode("latin-1").decode()


def test_every_interface_string_is_translated_into_indonesian() -> None:
    untranslated = [msgid for msgid, msgstr, fuzzy, _ in entries() if not msgstr or fuzzy]
    assert untranslated == []


def test_the_compiled_translations_match_the_po_file() -> None:
    with translation.override("id"):
        stale = [
            msgid
            for msgid, msgstr, _, context in entries()
            if "%(" not in msgid
            and (translation.pgettext(context, msgid) if context else translation.gettext(msgid))
            != msgstr
        ]
    assert stale == []
