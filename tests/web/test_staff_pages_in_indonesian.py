"""Every staff page, rendered in Indonesian, says nothing in English that our code wrote.

The pages are the permission matrix's (tests/web/test_permissions.py): each staff page a
signed-in staff member or editor opens, plus the pages that only a POST shows (a wrong
password, a lockout, the checker's report on a draft full of problems). What a page shows
is read as a person reads it: its text and its accessible names, without scripts, code
(<pre>, <code>, form fields: the editor's document and the seller's words are data) and
without what the page itself marks as another language (`lang="en"`).

A leak is an English msgid of our catalogue whose Indonesian differs and which the page
shows word for word, or one of a few English words no Indonesian sentence uses.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client, override_settings

from tests.documents import SMALL
from tests.staff import signed_in
from tests.web.test_permissions import MATRIX, Url, client_and_tokens
from tests.web.test_permissions import world as world  # the permission matrix's world
from tests.web.test_translations import entries
from wizard.editors.models import Draft
from wizard.flows import load_flow

# Pages that are not pages: downloads, JSON ceremonies, the admin (Django's own catalogue).
NOT_PAGES = re.compile(r"\.(?:txt|csv|toml)$|/passkeys/|^/admin/")
# English words that no Indonesian sentence of ours contains (whole words, as written).
ENGLISH_WORDS = (
    "the",
    "and",
    "with",
    "which",
    "this",
    "Please",
    "Save",
    "Cancel",
    "Delete",
    "Search",
    "Sign in",
    "Required",
    "Error",
    "Warning",
    "None",
    "True",
    "False",
)
# Texts that stay the same in both languages whatever the catalogue says (names, keys).
SAME_IN_BOTH = {"Pesanan Lancar", "English", "Indonesia"}
SHORTEST_MSGID = 4  # "No", "OK": too short to tell a leak from a key or a name
# The small flow's keys (an option "open", a question "where"): editors see them as names.
FLOW_KEYS = {
    *load_flow(SMALL).questions,
    *load_flow(SMALL).solutions,
    *(
        option.value
        for question in load_flow(SMALL).questions.values()
        for option in question.options
    ),
}
# A flow document that loads but has many of the checker's problems: unreachable steps, a
# loop, uncovered answers, no source, a number written by hand beside its fact, a stale date…
PROBLEMS = """
[flow]
key = "small"
title = {id = "Alur kecil", en = "Small flow"}
start = "where"

[sources.manual]
title = "Seller manual"
url = "https://example.com/manual"
confidence = "partial"
checked = 2020-01-01

[facts.late_hours]
value = 24
unit = "hours"
label = {id = "Batas jam", en = "Hour limit"}
source = "manual"
checked = 2026-11-01

[questions.where]
kind = "choice"
text = {id = "Di mana masalahnya? Tunggu 24 jam ({late_hours|unit}).", en = "Where is it?"}
options = [
  {value = "ship", label = {id = "Kirim", en = "Ship"}, keywords = ["kirim", "Kirim", " "]},
  {value = "open", label = {id = "Buka", en = "Open"}, keywords = ["kirim"]},
]
routes = [
  {when = "where == ship", go = "again"},
]

[questions.again]
kind = "number"
text = {id = "Berapa?", en = "How many?"}
minimum = 0
maximum = 10
routes = [{when = "again > 2", go = "where"}]

[questions.lonely]
kind = "yesno"
text = {id = "Sendiri?", en = "Alone?"}
routes = [{go = "fix"}]

[solutions.fix]
title = {id = "Perbaiki", en = "Fix"}
cause = {id = "Sebab", en = "Cause"}
check = {id = "Cek", en = "Check"}
steps = [{id = "Atur di Seller Center.", en = "Set it in Seller Center."}]
who = ["seller"]
confidence = "solid"
sources = []
"""

# A document that does not load: the loader's problems (and a condition's) in the report.
BROKEN = """
[flow]
key = "small"
title = {id = "Alur kecil", en = ""}
start = "nowhere"

[facts.late_hours]
value = 24
unit = "hours"
label = {id = "Batas jam", en = "Hour limit"}
source = "nowhere"
checked = 2026-11-01

[questions.where]
kind = "choice"
text = {id = "Di mana? {unknown}", en = "Where?"}
options = [{value = "Ship", label = {id = "Kirim", en = "Ship"}}]
routes = [{when = "where >> ship", go = "gone"}, {when = "where == ship", note = "fix"}]

[solutions.fix]
title = {id = "Perbaiki", en = "Fix"}
cause = {id = "Sebab", en = "Cause"}
check = {id = "Cek", en = "Check"}
steps = []
who = ["seller", "cat"]
confidence = "sure"
sources = ["gone"]
tips = ["none"]
"""


class VisibleText(HTMLParser):
    """The text a person reads on a page and the names a screen reader says."""

    SKIPPED = frozenset({"script", "style", "pre", "code", "textarea", "option", "title"})
    NAMES = ("aria-label", "title", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.open: list[tuple[str, bool]] = []  # (tag, skipped) for each open element

    @property
    def skipping(self) -> bool:
        return any(skipped for _, skipped in self.open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        other_language = (found.get("lang") or "id") != "id"
        skipped = tag in self.SKIPPED or other_language or found.get("translate") == "no"
        if not skipped and not self.skipping:
            self.parts += [found[name] or "" for name in self.NAMES if found.get(name)]
            if tag == "input" and found.get("type") in ("submit", "button"):
                self.parts.append(found.get("value") or "")
        if tag not in ("input", "br", "img", "meta", "link", "hr", "source", "wbr"):
            self.open.append((tag, skipped))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


# The document's own names in a sentence: `sources`, [tips], {late_hours|unit}, 'where'.
CODE_IN_TEXT = re.compile(r"`[^`]*`|\[[a-z_]+\]|\{[^}]*\}|'[^' ]+'")


def visible_text(html: str) -> str:
    """A page's visible text, its runs of white space made one space, without the
    document's names that sentences quote."""
    reader = VisibleText()
    reader.feed(html)
    return CODE_IN_TEXT.sub("…", re.sub(r"\s+", " ", " ".join(reader.parts)))


def english_sentences() -> list[tuple[str, re.Pattern[str]]]:
    """Each catalogue msgid whose Indonesian differs, as a pattern that finds it shown
    (its placeholders match anything, its tags are gone as on the page)."""
    found = []
    for msgid, msgstr, _fuzzy, _context in entries():
        shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", msgid)).strip()
        shown = CODE_IN_TEXT.sub("…", shown)  # as visible_text() shows them
        if shown.casefold() == msgstr.casefold() or shown in SAME_IN_BOTH | FLOW_KEYS:
            continue
        if len(shown) < SHORTEST_MSGID:
            continue
        parts = re.split(r"%\(\w+\)[sd]|%[sd]", shown.replace("%%", "%"))
        if sum(len(part.strip()) for part in parts) < SHORTEST_MSGID:
            continue  # "%(field)s (%(language)s)": nothing English to see
        pattern = r".{1,80}?".join(re.escape(part) for part in parts)
        found.append((msgid, re.compile(rf"(?<![\w-]){pattern}(?![\w-])")))
    return found


ENGLISH = english_sentences()
WORDS = [(word, re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])")) for word in ENGLISH_WORDS]


def leaks(html: str) -> list[str]:
    """The English our code wrote that a page shows: catalogue msgids and known words."""
    text = visible_text(html)
    return [
        f"{msgid!r} in …{text[max(0, m.start() - 40) : m.end() + 40]}…"
        for msgid, pattern in [*ENGLISH, *WORDS]
        if (m := pattern.search(text)) is not None
    ]


def staff_pages() -> list[Url]:
    """Each GET of the matrix a staff member, an editor or a signed-out visitor to the
    sign-in page opens (200): the staff side of the site."""
    return [
        url
        for url in MATRIX
        if url.method == "GET"
        and url.path.startswith("/staff/")
        and not NOT_PAGES.search(url.path)
        and 200 in (url.expected["editor"], url.expected["support"], url.expected["anonymous"])
    ]


def reader(url: Url) -> str:
    """Who opens the page: an editor where editors may, else support, else anyone."""
    return next(role for role in ("editor", "support", "anonymous") if url.expected[role] == 200)


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize("url", staff_pages(), ids=lambda url: url.path)
def test_every_staff_page_in_indonesian_shows_no_english_of_ours(
    url: Url, world: dict[str, Any]
) -> None:
    role = reader(url)
    client, tokens = client_and_tokens(role, world)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    response = client.get(url.path.format(**tokens), HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    assert leaks(response.content.decode()) == []


def test_the_checkers_report_in_indonesian_shows_no_english_of_ours(
    world: dict[str, Any],
) -> None:
    editor = signed_in(world["editor"], HTTP_ACCEPT_LANGUAGE="id")
    draft = Draft.objects.get(pk=world["draft"])
    response = editor.post(
        f"/staff/flows/drafts/{draft.pk}/check/",
        {"document": PROBLEMS, "revision": draft.revision},
    )
    page = response.content.decode()
    assert "13 masalah menghalangi penerbitan." in page
    assert page.count("<li><strong>") == 15  # and two warnings, each said in Indonesian
    assert leaks(page) == []


def test_the_loaders_problems_in_indonesian_show_no_english_of_ours(
    world: dict[str, Any],
) -> None:
    editor = signed_in(world["editor"], HTTP_ACCEPT_LANGUAGE="id")
    draft = Draft.objects.get(pk=world["draft"])
    response = editor.post(
        f"/staff/flows/drafts/{draft.pk}/check/",
        {"document": BROKEN, "revision": draft.revision},
    )
    page = response.content.decode()
    assert page.count("<li><strong>") >= 12  # each problem said in Indonesian
    assert "pertanyaan &#x27;where&#x27;, rute 1" in page
    assert leaks(page) == []


def test_a_wrong_password_and_the_lockout_in_indonesian_show_no_english_of_ours(
    world: dict[str, Any],
) -> None:
    visitor = Client(HTTP_ACCEPT_LANGUAGE="id", REMOTE_ADDR="203.0.113.70")
    wrong = visitor.post("/staff/login/", {"username": "support", "password": "guess"})
    assert wrong.status_code == 200
    assert "nama pengguna nama pengguna" not in wrong.content.decode()
    assert leaks(wrong.content.decode()) == []
    with override_settings(AXES_FAILURE_LIMIT=1):
        locked = visitor.post("/staff/login/", {"username": "support", "password": "guess"})
    assert locked.status_code == 429
    assert "Coba lagi dalam 15 menit." in locked.content.decode()
    assert leaks(locked.content.decode()) == []


def test_the_leak_finder_finds_english_of_ours() -> None:
    english = "<main><h1>Sign-in paused</h1><p>Ringkasan</p></main>"
    assert leaks(english) == [
        "'Sign-in paused' in …Sign-in paused Ringkasan…",
    ]
    # A checker message with its holes filled is found too, and "the" alone as a word.
    filled = "<p>route 2 goes to 'nowhere', which does not exist</p>"
    said = repr("route %(number)s goes to '%(go)s', which does not exist")
    assert any(leak.startswith(said) for leak in leaks(filled))
    data = '<pre>the document</pre><textarea>Sign-in paused</textarea><p lang="en">the</p>'
    assert leaks(data) == []
