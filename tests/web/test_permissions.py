"""Who may open what: every URL against anonymous visitors, holders of a share link,
the seller (the session link), support staff and editors."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.staff import incident, share, signed_in, solved, staff_user
from wizard.editors.models import Draft
from wizard.sellers.models import FlowVersion, Session, Trial
from wizard.support.models import Note, ShareLink

ROLES = ("anonymous", "holder", "seller", "support", "editor")


@dataclass(frozen=True)
class Url:
    """One URL, the request made to it, and the status each role gets."""

    name: str
    method: str
    path: str
    expected: dict[str, int]
    data: dict[str, str] = field(default_factory=dict)


def each(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def token_holders(ok: int) -> dict[str, int]:
    """A seller's URL: the session token opens it for whoever has it; a made-up one is 404."""
    return {"anonymous": 404, "holder": 404, "seller": ok, "support": ok, "editor": ok}


def share_holders(ok: int) -> dict[str, int]:
    """A share URL: whoever holds the share token (a made-up one is 404)."""
    return {"anonymous": 404, "holder": ok, "seller": ok, "support": ok, "editor": ok}


def support_only(ok: int) -> dict[str, int]:
    """A staff URL: signed-out visitors go to the sign-in page, editors are refused."""
    return {"anonymous": 302, "holder": 302, "seller": 302, "support": ok, "editor": 403}


def signed_in_only(ok: int) -> dict[str, int]:
    """A JSON endpoint for any signed-in staff member; others are refused (403)."""
    return {"anonymous": 403, "holder": 403, "seller": 403, "support": ok, "editor": ok}


def workshop_readers(ok: int) -> dict[str, int]:
    """The workshop's versions and history: support may read them, editors too."""
    return {"anonymous": 302, "holder": 302, "seller": 302, "support": ok, "editor": ok}


def incident_keepers(ok: int) -> dict[str, int]:
    """Platform incidents on the staff pages: support and editors both keep them."""
    return {"anonymous": 302, "holder": 302, "seller": 302, "support": ok, "editor": ok}


def editors_only(ok: int) -> dict[str, int]:
    """Drafts, publishing and the audit log: editors only (support is refused)."""
    return {"anonymous": 302, "holder": 302, "seller": 302, "support": 403, "editor": ok}


def admin(support: int, editor: int) -> dict[str, int]:
    return {"anonymous": 302, "holder": 302, "seller": 302, "support": support, "editor": editor}


S = "/s/{session}"
CASE = "/staff/cases/{code}"
DRAFT = "/staff/flows/drafts/{draft}"
REVISION = {"revision": "{revision}"}
INCIDENT = {
    "title_indonesian": "Gangguan",
    "title_english": "Outage",
    "text_indonesian": "Tunggu.",
    "text_english": "Wait.",
    "starts_at": "2026-11-30T08:00",
}
MATRIX = [
    # The seller's pages.
    Url("landing", "GET", "/", each(200)),
    Url("start", "POST", "/start/", each(303)),
    Url("resume", "GET", f"{S}/", token_holders(200)),
    Url("step", "GET", f"{S}/everyone/", token_holders(200)),
    Url("step", "POST", f"{S}/everyone/", token_holders(303), {"value": "yes", **REVISION}),
    Url("restart", "POST", f"{S}/restart/", token_holders(303), REVISION),
    Url("latest_rules", "POST", f"{S}/latest/", token_holders(303), REVISION),
    Url("feedback", "POST", f"{S}/feedback/", token_holders(303), {"helped": "yes", **REVISION}),
    Url("session_language", "POST", f"{S}/language/", token_holders(303), {"language": "en"}),
    Url("share_links", "GET", f"{S}/share/", token_holders(200)),
    Url("share_links", "POST", f"{S}/share/", token_holders(200)),
    Url("revoke_share", "POST", f"{S}/share/{{link}}/revoke/", token_holders(303)),
    Url("next_cause", "GET", f"{S}/next/", token_holders(303)),
    Url("contact_support", "GET", f"{S}/summary/", token_holders(200)),
    Url("contact_support", "POST", f"{S}/summary/", token_holders(200)),
    Url("delete_answers", "GET", f"{S}/delete/", token_holders(200)),
    # Without the confirmation nothing is deleted: the form again, with its error.
    Url("delete_answers", "POST", f"{S}/delete/", token_holders(200)),
    Url("incident", "GET", f"{S}/incident/", token_holders(200)),
    Url("incident", "POST", f"{S}/incident/", token_holders(303)),
    Url("explain", "GET", f"{S}/explain/everyone/", token_holders(200)),
    Url(
        "explain", "POST", f"{S}/explain/everyone/", token_holders(303), {"words": "x", **REVISION}
    ),
    # On the live version already: nothing to move, back to the step.
    Url("latest_rules", "POST", f"{S}/latest/", token_holders(303), REVISION),
    # A question that takes no screenshot (the small flow has none that does): not found.
    Url("screenshot_question", "POST", f"{S}/screenshot/where/", each(404)),
    # A screenshot form sent without a file: the page again, saying so.
    Url("screenshot", "POST", "/screenshot/", each(200)),
    # Where an upload over the limit lands: the page that says so, as 413.
    Url("screenshot_too_large", "GET", "/screenshot/too-large/", each(413)),
    # Share links.
    Url("shared", "GET", "/share/{share}/", share_holders(200)),
    Url("shared_summary", "GET", "/share/{share}/summary.txt", share_holders(200)),
    # Staff.
    Url("staff_login", "GET", "/staff/login/", {**each(200), "support": 302, "editor": 302}),
    Url("staff_logout", "POST", "/staff/logout/", each(302)),
    Url("admin_sign_in", "GET", "/admin/login/", each(302)),
    Url("two_factor", "GET", "/staff/two-factor/", {**each(302), "support": 200, "editor": 200}),
    # Signed out: to the sign-in page; signed in: back to the set-up page (no app, no codes).
    Url("new_recovery_codes", "POST", "/staff/two-factor/recovery-codes/", each(302)),
    # Passkeys (django-otp-webauthn's JSON ceremonies): only the signed-in add one; anyone
    # may begin a sign-in, and a body that is no ceremony's answer is refused (400).
    Url(
        "credential-registration-begin",
        "POST",
        "/staff/passkeys/registration/begin/",
        signed_in_only(200),
    ),
    Url(
        "credential-registration-complete",
        "POST",
        "/staff/passkeys/registration/complete/",
        signed_in_only(400),
    ),
    Url(
        "credential-authentication-begin",
        "POST",
        "/staff/passkeys/authentication/begin/",
        each(200),
    ),
    Url(
        "credential-authentication-complete",
        "POST",
        "/staff/passkeys/authentication/complete/",
        each(400),
    ),
    Url("js-i18n-catalog", "GET", "/staff/passkeys/jsi18n/", each(200)),
    # Editors sign in on the staff page too; the queue sends them on to the workshop.
    Url("queue", "GET", "/staff/", {**support_only(200), "editor": 302}),
    Url("mine", "GET", "/staff/mine/", support_only(200)),
    Url("cases", "GET", "/staff/cases/", support_only(200)),
    Url("case_take", "POST", f"{CASE}/take/", support_only(303)),
    Url("case_live", "GET", f"{CASE}/live/", support_only(200)),
    # Agent mode on an existing case (the session's token is not stored): by its code.
    Url("case_answer", "GET", f"{CASE}/answer/where/", support_only(200)),
    Url(
        "case_answer",
        "POST",
        f"{CASE}/answer/where/",
        support_only(303),
        {"value": "open", **REVISION},
    ),
    Url("agent_start", "POST", "/staff/agent/", support_only(303), {"language": "id"}),
    Url("case", "GET", f"{CASE}/", support_only(200)),
    Url("case_note", "POST", f"{CASE}/note/", support_only(303), {"text": "hi", "status": "open"}),
    Url("case_summary", "GET", f"{CASE}/summary.txt", support_only(200)),
    Url("case_revoke", "POST", f"{CASE}/links/{{link}}/revoke/", support_only(303)),
    # Platform incidents: support sees the wave first, so support and editors keep them.
    Url("incidents", "GET", "/staff/incidents/", incident_keepers(200)),
    Url("declare_incident", "GET", "/staff/incidents/new/", incident_keepers(200)),
    Url("declare_incident", "GET", "/staff/incidents/new/?wave=x=y", incident_keepers(200)),
    Url("declare_incident", "POST", "/staff/incidents/new/", incident_keepers(303), INCIDENT),
    # An incident that cannot end before it starts: the form again, with its error.
    Url(
        "declare_incident",
        "POST",
        "/staff/incidents/new/",
        incident_keepers(200),
        {**INCIDENT, "ends_at": "2026-11-29T08:00"},
    ),
    Url("edit_incident", "GET", "/staff/incidents/{incident}/", incident_keepers(200)),
    Url("edit_incident", "POST", "/staff/incidents/{incident}/", incident_keepers(303), INCIDENT),
    Url("edit_incident", "GET", "/staff/incidents/999999/", incident_keepers(404)),
    Url("end_incident", "POST", "/staff/incidents/{incident}/end/", incident_keepers(303)),
    Url("end_incident", "GET", "/staff/incidents/{incident}/end/", each(405)),
    # The editors' workshop.
    Url("workshop", "GET", "/staff/flows/", workshop_readers(200)),
    Url("start_draft", "POST", "/staff/flows/drafts/", editors_only(303), {"version": "{version}"}),
    Url("draft", "GET", f"{DRAFT}/", editors_only(200)),
    Url("draft", "POST", f"{DRAFT}/", editors_only(200), {"revision": "x"}),
    Url("draft_fact", "GET", f"{DRAFT}/facts/late_hours/", editors_only(200)),
    Url("draft_fact", "POST", f"{DRAFT}/facts/late_hours/", editors_only(200)),
    Url("draft_question", "GET", f"{DRAFT}/questions/where/", editors_only(200)),
    Url("draft_question", "POST", f"{DRAFT}/questions/where/", editors_only(200)),
    Url("draft_solution", "GET", f"{DRAFT}/solutions/outage/", editors_only(200)),
    Url("draft_solution", "POST", f"{DRAFT}/solutions/outage/", editors_only(200)),
    Url("draft_tip", "GET", f"{DRAFT}/tips/daily/", editors_only(200)),
    Url("draft_tip", "POST", f"{DRAFT}/tips/daily/", editors_only(200)),
    Url("new_option", "GET", f"{DRAFT}/questions/where/new-option/", editors_only(200)),
    Url("new_option", "POST", f"{DRAFT}/questions/where/new-option/", editors_only(200)),
    Url("new_solution", "GET", f"{DRAFT}/new-solution/", editors_only(200)),
    Url("new_solution", "POST", f"{DRAFT}/new-solution/", editors_only(200)),
    Url("check_draft", "POST", f"{DRAFT}/check/", editors_only(200), {"document": "x"}),
    Url("draft_diff", "GET", f"{DRAFT}/diff/", editors_only(200)),
    Url("draft_paths", "GET", f"{DRAFT}/paths/", editors_only(200)),
    Url("draft_diagram", "GET", f"{DRAFT}/diagram/", editors_only(200)),
    Url("draft_diagram_svg", "GET", f"{DRAFT}/diagram.svg", editors_only(200)),
    Url("preview_draft", "POST", f"{DRAFT}/preview/", editors_only(303), {"language": "en"}),
    Url("submit_draft", "POST", f"{DRAFT}/submit/", editors_only(303)),
    Url("comment_draft", "POST", f"{DRAFT}/comment/", editors_only(303), {"text": "Why?"}),
    Url("request_changes", "POST", f"{DRAFT}/request-changes/", editors_only(303), {"text": "x"}),
    Url("approve_draft", "POST", f"{DRAFT}/approve/", editors_only(303)),
    Url("publish_draft", "GET", f"{DRAFT}/publish/", editors_only(200)),
    Url("publish_draft", "POST", f"{DRAFT}/publish/", editors_only(200), {"note": "n"}),
    Url("flow_version", "GET", "/staff/flows/versions/{version}/", workshop_readers(200)),
    Url("version_toml", "GET", "/staff/flows/versions/{version}/flow.toml", workshop_readers(200)),
    Url(
        "rollback_version",
        "POST",
        "/staff/flows/versions/{version}/rollback/",
        editors_only(303),
        {"note": "back"},
    ),
    Url("stale_facts", "GET", "/staff/flows/facts/", workshop_readers(200)),
    Url("fact_draft", "POST", "/staff/flows/facts/late_hours/draft/", editors_only(303)),
    # The editor's open draft of the live version is reused (the world has one): a GET
    # goes straight to the form.
    Url("question_draft", "GET", "/staff/flows/questions/where/draft/", editors_only(303)),
    Url("question_draft", "POST", "/staff/flows/questions/where/draft/", editors_only(303)),
    Url("solution_draft", "GET", "/staff/flows/solutions/outage/draft/", editors_only(303)),
    Url("solution_draft", "POST", "/staff/flows/solutions/outage/draft/", editors_only(303)),
    Url("workshop_log", "GET", "/staff/flows/log/", editors_only(200)),
    # Insight: support leads and editors.
    Url("insight", "GET", "/staff/insight/", admin(support=200, editor=200)),
    Url("insight_csv", "GET", "/staff/insight/questions.csv", admin(support=200, editor=200)),
    Url("insight_traffic", "GET", "/staff/insight/traffic.svg", admin(support=200, editor=200)),
    # A/B trials: support leads read them; only editors (who may publish) end one.
    Url("trials", "GET", "/staff/insight/trials/", admin(support=200, editor=200)),
    Url("trial", "GET", "/staff/insight/trials/{trial}/", admin(support=200, editor=200)),
    Url("trial_csv", "GET", "/staff/insight/trials/{trial}/arms.csv", admin(200, 200)),
    Url(
        "end_trial",
        "POST",
        "/staff/insight/trials/{trial}/end/",
        editors_only(303),
        {"keep": "live"},
    ),
    Url("keep_variant", "POST", "/staff/insight/trials/{trial}/keep/", editors_only(303)),
    # Public pages about the flow, and the operators' health check.
    Url("flow_diagram", "GET", "/flow/", each(200)),
    Url("flow_diagram_version", "GET", "/flow/{version}/", each(200)),
    Url("flow_diagram_dot", "GET", "/flow/{version}/flow.dot", each(200)),
    Url("flow_diagram_svg", "GET", "/flow/{version}/flow.svg", each(200)),
    Url("tips", "GET", "/tips/", each(200)),
    Url("healthz", "GET", "/healthz", each(200)),
    Url("readyz", "GET", "/readyz", each(200)),
    # Metrics answer only scrapers from an allowed network or with the bearer token.
    Url("metrics", "GET", "/metrics", each(200)),
    Url("set_language", "POST", "/i18n/setlang/", each(302), {"language": "en", "next": "/"}),
    # The admin: editors keep flows; support and editors incidents (logged as on the staff
    # pages), which only editors may delete.
    Url("admin:index", "GET", "/admin/", admin(support=200, editor=200)),
    Url("admin:flowversion", "GET", "/admin/sellers/flowversion/", admin(403, 200)),
    Url(
        "admin:flowversion", "GET", "/admin/sellers/flowversion/{version}/change/", admin(403, 200)
    ),
    Url(
        "admin:flowversion", "POST", "/admin/sellers/flowversion/{version}/delete/", admin(403, 403)
    ),
    Url("admin:incident", "GET", "/admin/sellers/incident/", admin(200, 200)),
    Url("admin:incident", "GET", "/admin/sellers/incident/add/", admin(200, 200)),
    Url("admin:incident", "GET", "/admin/sellers/incident/{incident}/change/", admin(200, 200)),
    # Without the confirmation, the confirmation page; support may not even see it.
    Url("admin:incident", "POST", "/admin/sellers/incident/{incident}/delete/", admin(403, 200)),
    Url(
        "admin:incident",
        "POST",
        "/admin/sellers/incident/{incident}/change/",
        admin(302, 302),
        {
            "title_indonesian": "Gangguan",
            "title_english": "Outage",
            "text_indonesian": "Tunggu.",
            "text_english": "Wait.",
            "starts_at_0": "2026-11-30",
            "starts_at_1": "08:00:00",
        },
    ),
    # Support leads (editors) set the team's channels; nobody edits the outbox by hand.
    Url("admin:supportchannel", "GET", "/admin/support/supportchannel/", admin(403, 200)),
    Url("admin:supportchannel", "GET", "/admin/support/supportchannel/add/", admin(403, 200)),
    Url("admin:outbox", "GET", "/admin/support/outbox/", admin(403, 200)),
    Url("admin:outbox", "GET", "/admin/support/outbox/add/", admin(403, 403)),
    Url("admin:session", "GET", "/admin/sellers/session/", admin(404, 404)),
    Url("admin:note", "GET", "/admin/support/note/", admin(404, 404)),
    # Bookmarks from before the apps: sent on to the admin, which then decides.
    Url("admin_moved", "GET", "/admin/wizard/incident/", each(301)),
]


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Any:
    # Each role's requests come from the same test address; limits are tested elsewhere.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(version: FlowVersion) -> dict[str, Any]:
    """A solved session with a share link and a note, an active incident, and the staff."""
    session = solved(Session.start(version, language="id"))
    token = share(session)
    support = staff_user("support")
    Note.record(session, author=support, text="first call", status="")
    editor = staff_user("editors")
    return {
        "session": session,
        "share": token,
        "link": ShareLink.objects.get().pk,
        "incident": incident().pk,
        "support": support,
        "editor": editor,
        "draft": Draft.start(version, by=editor).pk,
        "trial": _trial(version, editor).pk,
    }


def _trial(live: FlowVersion, editor: Any) -> Trial:
    """A running A/B trial of a variant (stored unpublished) against the live version."""
    variant = FlowVersion.publish(live.document, by=editor, note="variant", live=False)
    return Trial.objects.create(
        key=live.key, live=live, variant=variant, share=20, started_by=editor
    )


def client_and_tokens(role: str, world: dict[str, Any]) -> tuple[Client, dict[str, Any]]:
    """Each role knows only what it was given: signed-out roles without a token guess one."""
    session: Session = world["session"]
    made_up = secrets.token_urlsafe(32)
    tokens = {
        "session": session.token if role in ("seller", "support", "editor") else made_up,
        "share": world["share"] if role != "anonymous" else made_up,
        "code": session.code,
        "link": world["link"],
        "version": session.flow_version_id,
        "incident": world["incident"],
        "revision": session.revision,
        "draft": world["draft"],
        "trial": world["trial"],
    }
    if role in ("support", "editor"):
        return signed_in(world[role]), tokens
    return Client(), tokens


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", MATRIX, ids=lambda url: f"{url.method} {url.path}")
def test_permission_matrix(url: Url, role: str, world: dict[str, Any]) -> None:
    client, tokens = client_and_tokens(role, world)
    path = url.path.format(**tokens)
    data = {key: value.format(**tokens) for key, value in url.data.items()}
    response = client.generic(url.method, path, data=_encoded(data), content_type=_FORM)
    assert response.status_code == url.expected[role], f"{role} {url.method} {path}"
    if response.status_code == 302 and url.expected[role] == 302 and path.startswith("/staff/c"):
        assert response["Location"].startswith("/staff/login/?next=")


def test_the_matrix_covers_every_url_of_the_app() -> None:
    names = {url.name.split(":")[0] if ":" in url.name else url.name for url in MATRIX}
    assert set(_url_names(get_resolver())) - {"bench_bare"} <= names | {"admin"}


def test_signed_out_staff_pages_send_to_the_sign_in_page(world: dict[str, Any]) -> None:
    response = Client().get("/staff/")
    assert response["Location"] == "/staff/login/?next=/staff/"


def test_staff_sign_in_and_out(world: dict[str, Any]) -> None:
    support = world["support"]
    support.set_password("a long enough password 42")
    support.save()
    client = Client()
    response = client.post(
        "/staff/login/?next=/staff/",
        {"username": "support", "password": "a long enough password 42", "next": "/staff/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    client.post("/staff/logout/")
    assert client.get("/staff/").status_code == 302


def test_editors_signing_in_land_in_the_workshop(world: dict[str, Any]) -> None:
    response = signed_in(world["editor"]).get("/staff/")
    assert response["Location"] == "/staff/flows/"


def test_a_share_holder_cannot_use_the_share_token_as_a_session_token(
    world: dict[str, Any],
) -> None:
    client = Client()
    token = world["share"]
    assert client.get(f"/s/{token}/").status_code == 404
    assert client.post(f"/s/{token}/share/").status_code == 404


def test_agents_and_editors_only_where_their_group_allows(world: dict[str, Any]) -> None:
    editor = world["editor"]
    assert not editor.has_perm("sellers.view_session")
    assert editor.has_perm("sellers.change_incident")
    support = world["support"]
    assert support.has_perm("sellers.view_session")
    assert support.has_perm("support.add_note")
    assert support.has_perm("sellers.change_incident")
    assert not support.has_perm("sellers.delete_incident")


_FORM = "application/x-www-form-urlencoded"


def _encoded(data: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return urlencode(data)


def _url_names(resolver: URLResolver, namespace: str = "") -> list[str]:
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                names.append("admin")
                continue
            names += _url_names(pattern, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(pattern.name)
    return names
