"""Fill Indonesian translations into a .po file from a JSON table {msgid: msgstr}.

Usage: .venv/bin/python scripts/translate.py locale/id/LC_MESSAGES/django.po table.json
(needs `pip install polib`, a tool for translators, not a dependency of the app).
"""

import json
import sys

import polib  # type: ignore[import-untyped,import-not-found,unused-ignore]


def main() -> None:
    """Apply the table and list the entries still untranslated."""
    po = polib.pofile(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as file:
        table = json.load(file)
    missing = []
    for entry in po:
        if entry.msgid in table:
            if entry.msgid_plural:
                entry.msgstr_plural = {0: table[entry.msgid]}
            else:
                entry.msgstr = table[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not (entry.msgstr or any(entry.msgstr_plural.values())):
            missing.append(entry.msgid)
    po.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    po.metadata["Language"] = "id"
    po.save()
    print("still untranslated:", json.dumps(missing, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
