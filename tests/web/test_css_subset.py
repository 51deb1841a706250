"""The Bootstrap subset the pages load still has every Bootstrap class the code uses."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BOOTSTRAP = ROOT / "static" / "vendor" / "bootstrap" / "bootstrap.min.css"
SUBSET = ROOT / "static" / "css" / "bootstrap-subset.css"

TEMPLATE_TAG = re.compile(r"\{[%{#].*?[%}#]\}", re.DOTALL)
CLASS_ATTRIBUTE = re.compile(r'\bclass="([^"]*)"')
PYTHON_CLASS = re.compile(r"""["']class["']\s*:\s*["']([^"']*)["']""")
JS_CLASS = re.compile(r"""classList\.(?:add|toggle|replace)\(([^)]*)\)""")


def defined(css: Path) -> set[str]:
    """Class names that a stylesheet's selectors mention."""
    text = re.sub(r"/\*.*?\*/", "", css.read_text(encoding="utf-8"), flags=re.DOTALL)
    return set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", text))


def used() -> dict[str, set[str]]:
    """Class names written in templates, Python widget attrs and scripts, by file."""
    found: dict[str, set[str]] = {}
    sources = [
        *((path, CLASS_ATTRIBUTE) for path in (ROOT / "templates").rglob("*.html")),
        *((path, PYTHON_CLASS) for path in (ROOT / "wizard").rglob("*.py")),
        *((path, JS_CLASS) for path in (ROOT / "static" / "js").rglob("*.js")),
    ]
    for path, pattern in sources:
        text = path.read_text(encoding="utf-8")
        names = {
            name.strip("'\"")
            for value in pattern.findall(text)
            for name in re.split(r"[\s,]+", TEMPLATE_TAG.sub(" ", value))
        }
        found[str(path.relative_to(ROOT))] = {name for name in names if name}
    return found


def test_every_bootstrap_class_the_code_uses_is_in_the_subset() -> None:
    bootstrap, subset = defined(BOOTSTRAP), defined(SUBSET)
    missing = {
        path: sorted(names & bootstrap - subset)
        for path, names in used().items()
        if names & bootstrap - subset
    }
    assert missing == {}, "Run `make css` to rebuild static/css/bootstrap-subset.css."


def test_the_subset_is_a_fraction_of_bootstrap() -> None:
    assert SUBSET.stat().st_size < BOOTSTRAP.stat().st_size / 4
