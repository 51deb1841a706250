"""The defects a security and reliability review found (issue 13), one test or more each."""

from __future__ import annotations

import datetime as dt
import logging
import os
import runpy
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from tests.conftest import answer, caches_with
from tests.environments import production_settings
from tests.staff import incident, share, signed_in, solved, staff_user
from wizard.sellers.models import Answer, FlowVersion, Incident, Session
from wizard.support.models import ShareView
from wizard.web import limits
from wizard.web.token_masking import mask_tokens

ROOT = Path(__file__).resolve().parents[2]
LOCAL_MEMORY = caches_with(
    {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "security-review-tests",
    }
)
RATES = {
    "start": "60/m",
    "unknown_token": "30/10m",
    "answer": "60/5m",
    "share": "10/h",
    "share_view": "1/10m",
    "staff_write": "120/10m",
    "workshop": "600/10m",
    "passkey_signin": "30/10m",
}


@pytest.fixture
def limited() -> Any:
    """Rate limits on, counted in this process's memory."""
    with override_settings(CACHES=LOCAL_MEMORY, RATE_LIMITS_ENABLED=True):
        cache.clear()
        yield
        cache.clear()


def english() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


# --- 1. One bad incident date must not take the site down -------------------------------


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        ("0001-01-01", ""),
        ("1899-12-31", ""),
        ("9999-12-31", ""),
        (None, "9999-12-31"),
    ],
)
def test_an_incident_date_out_of_any_sane_range_is_refused_in_the_admin(
    version: FlowVersion, starts: str | None, ends: str
) -> None:
    admin = signed_in(staff_user("editors"), HTTP_ACCEPT_LANGUAGE="en")
    response = admin.post(
        "/admin/sellers/incident/add/",
        {
            "title_indonesian": "Gangguan",
            "title_english": "Outage",
            "text_indonesian": "Tunggu.",
            "text_english": "Wait.",
            "starts_at_0": starts or timezone.localdate().isoformat(),
            "starts_at_1": "00:00:00",
            "ends_at_0": ends,
            "ends_at_1": "00:00:00" if ends else "",
        },
    )
    assert response.status_code == 200
    assert "Choose a date between 2000 and 2099." in response.content.decode()
    assert not Incident.objects.exists()


def test_the_date_range_message_is_in_bahasa_indonesia_too(version: FlowVersion) -> None:
    support = signed_in(staff_user("support"), HTTP_ACCEPT_LANGUAGE="id")
    page = support.get("/staff/cases/?active_to=9999-12-31").content.decode()
    assert "Pilih tanggal antara tahun 2000 dan 2099." in page


def test_pages_that_list_incidents_survive_a_row_they_cannot_read(session: Session) -> None:
    readable = incident(title_en="Arranging shipment fails")
    # A row written before the range was checked: a year Python cannot represent once
    # moved to UTC (a BC timestamp on PostgreSQL, year 1 in Jakarta on SQLite).
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "UPDATE wizard_incident SET starts_at = '0001-01-01 00:00:00+00 BC' WHERE id = %s",
                [readable.pk],
            )
        else:
            cursor.execute(
                "UPDATE wizard_incident SET starts_at = '0001-01-01 00:00:00' WHERE id = %s",
                [readable.pk],
            )
    incident(title_en="Seller Center is slow")
    landing = english().get("/")
    assert landing.status_code == 200
    assert "Seller Center is slow" in landing.content.decode()
    solved(session)  # the outage solution shows incidents
    assert english().get(session.step_url("outage")).status_code == 200
    admin = signed_in(staff_user("editors"))
    assert admin.get("/admin/sellers/incident/").status_code == 200
    assert admin.get("/admin/sellers/incident/?active=yes").status_code == 200
    assert admin.get("/admin/sellers/incident/?active=no").status_code == 200


def test_a_readable_incident_still_opens_in_the_admin(version: FlowVersion) -> None:
    declared = incident()
    admin = signed_in(staff_user("editors"))
    assert admin.get(f"/admin/sellers/incident/{declared.pk}/change/").status_code == 200


def test_an_incident_model_refuses_a_start_before_2000(db: None) -> None:
    declared = Incident(
        title_indonesian="a",
        title_english="a",
        text_indonesian="a",
        text_english="a",
        starts_at=dt.datetime(1, 1, 1, tzinfo=dt.UTC),
    )
    with pytest.raises(ValidationError) as raised:
        declared.full_clean()
    assert "starts_at" in raised.value.message_dict


@pytest.mark.parametrize("moment", ["0001-01-01T00:00", "9999-12-31T23:59", "1900-01-01T00:00"])
def test_a_seller_answer_with_an_impossible_date_gets_a_message(
    session: Session, moment: str
) -> None:
    answer(english(), session, "where", "ship")
    response = answer(english(), session, "placed_at", moment)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode() or "invalid-feedback" in (
        response.content.decode()
    )
    session.refresh_from_db()
    assert "placed_at" not in session.answers


# --- 2. A valid link always opens; only failed lookups are limited ----------------------


def test_a_valid_session_link_opens_after_many_failed_guesses_from_the_same_address(
    limited: None, session: Session
) -> None:
    carrier = Client(REMOTE_ADDR="198.51.100.70")
    with override_settings(RATE_LIMITS=RATES | {"unknown_token": "3/10m"}):
        for n in range(5):
            carrier.get(f"/s/guess-{n}/")
        assert carrier.get(f"/s/guess-{n}-more/").status_code == 429
        assert carrier.get(session.get_absolute_url()).status_code in (200, 302)
        assert carrier.get(session.step_url("where")).status_code == 200
        token = share(solved(session))
        assert carrier.get(f"/share/{token}/").status_code == 200


# --- 4. NUL bytes and impossible tokens are a 404 before the database --------------------


@pytest.mark.parametrize(
    "path",
    [
        "/s/a%00b/",
        "/s/a%00b/where/",
        "/s/a%00b/share/",
        "/s/a%00b/summary/",
        "/s/a%00b/next/",
        "/s/a%00b/delete/",
        "/share/a%00b/",
        "/share/a%00b/summary.txt",
        "/s/" + "x" * 300 + "/",
    ],
)
def test_a_token_that_cannot_exist_is_a_404_without_a_query(
    db: None, path: str, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        assert Client().get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/staff/cases/%00/",
        "/staff/cases/%00/summary.txt",
        "/staff/cases/a%00b/",
        "/staff/cases/%00/answer/where/",
    ],
)
def test_a_case_code_that_cannot_exist_is_a_404(db: None, path: str) -> None:
    support = signed_in(staff_user("support"))
    assert support.get(path).status_code == 404


@pytest.mark.parametrize(
    "path", ["/staff/cases/%00/take/", "/staff/cases/%00/note/", "/staff/cases/%00/answer/where/"]
)
def test_a_case_code_that_cannot_exist_is_a_404_for_a_post_too(
    db: None, path: str, django_assert_max_num_queries: Any
) -> None:
    support = signed_in(staff_user("support"))
    # The signed-in user and their rights only: never a lookup of the code.
    with django_assert_max_num_queries(4):
        assert support.post(path).status_code == 404


def test_impossible_tokens_count_as_guesses(limited: None, db: None) -> None:
    guesser = Client(REMOTE_ADDR="198.51.100.71")
    with override_settings(RATE_LIMITS=RATES | {"unknown_token": "2/10m"}):
        statuses = [guesser.get("/s/a%00b/").status_code for _ in range(3)]
    assert statuses == [404, 404, 429]


# --- 5. Case-list filters with dates out of range ----------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "active_to=9999-12-31",
        "active_from=0001-01-01",
        "active_from=1000-01-01&active_to=9999-12-30",
        "before=2026-01-01T00:00:00-23:59~5",
        "after=2026-01-01T00:00:00-23:59~5",
        "before=0001-01-01T00:00:00%2B00:00~5",
        "after=9999-12-31T23:59:59%2B00:00~5",
        "before=0001-01-01T00:00:00-23:59~5",
        "before=2026-01-01T00:00:00%2B00:00~99999999999999999999999",
    ],
)
def test_case_list_filters_out_of_range_give_a_page_not_a_500(
    version: FlowVersion, query: str
) -> None:
    support = signed_in(staff_user("support"), HTTP_ACCEPT_LANGUAGE="en")
    Session.start(version, language="id")
    assert support.get(f"/staff/cases/?{query}").status_code == 200


def test_an_out_of_range_filter_date_says_which_dates_work(version: FlowVersion) -> None:
    support = signed_in(staff_user("support"), HTTP_ACCEPT_LANGUAGE="en")
    page = support.get("/staff/cases/?active_to=9999-12-31").content.decode()
    assert "between 2000" in page


# --- 6. A token pasted into the staff search never reaches the log -----------------------

TOKEN = "k3Fq9x-Zr_2mV8bW1cT7yU0aL5sD4eH6gJ9nP3oQ2iE"


@pytest.mark.parametrize(
    "line",
    [
        f"GET /staff/?q={TOKEN} HTTP/1.1",
        f"GET /staff/?status=open&q={TOKEN}&language=id HTTP/1.1",
        f"GET /staff/?q=+{TOKEN}+ HTTP/1.1",
        f"GET /staff/?q=%20{TOKEN} HTTP/1.1",
        f"https://pesanan.example/staff/?q={TOKEN}",
    ],
)
def test_a_token_in_a_query_string_is_masked(line: str) -> None:
    assert TOKEN not in mask_tokens(line)


def test_a_cursor_or_a_code_in_a_query_string_stays_readable() -> None:
    line = "GET /staff/?q=ABCD2345&before=2026-01-01T00:00:00%2B00:00~5 HTTP/1.1"
    assert mask_tokens(line) == line


# --- 8. Without Redis the limits are shared by every worker -------------------------------


def test_without_redis_the_cache_is_shared_by_every_worker_process() -> None:
    from django.core.cache.backends.filebased import FileBasedCache
    from django.utils.module_loading import import_string

    backend = production_settings()["CACHES"]["default"]["BACKEND"]
    assert issubclass(import_string(backend), FileBasedCache)


def test_the_cache_directory_can_be_chosen(tmp_path: Path) -> None:
    cache_settings = production_settings(CACHE_DIR=str(tmp_path))["CACHES"]["default"]
    assert cache_settings["LOCATION"] == str(tmp_path)


# --- 9. A Redis outage is logged once per interval, not per request ----------------------


@override_settings(
    RATE_LIMITS_ENABLED=True,
    CACHES=caches_with(
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 0.1, "socket_timeout": 0.1},
        }
    ),
)
def test_a_cache_outage_is_logged_once_per_interval(caplog: pytest.LogCaptureFixture) -> None:
    limits.reset_outage_log()
    with caplog.at_level(logging.WARNING, logger="wizard.web.limits"):
        for _ in range(20):
            assert not limits.hit("start", "seller")
            assert not limits.is_over("start", "seller")
    outage_lines = [r for r in caplog.records if "cache is unavailable" in r.getMessage()]
    assert len(outage_lines) == 1
    assert outage_lines[0].exc_info is None or len(caplog.text) < 5000


# --- 10. Writes nobody limited are bounded --------------------------------------------------


def test_reloading_a_share_page_adds_one_view_row_not_one_per_load(
    limited: None, session: Session
) -> None:
    token = share(solved(session))
    reader = Client(REMOTE_ADDR="198.51.100.80")
    for _ in range(30):
        assert reader.get(f"/share/{token}/").status_code == 200
    assert ShareView.objects.count() == 1


def test_another_reader_of_the_same_link_is_recorded(limited: None, session: Session) -> None:
    token = share(solved(session))
    Client(REMOTE_ADDR="198.51.100.81").get(f"/share/{token}/")
    Client(REMOTE_ADDR="198.51.100.82").get(f"/share/{token}/")
    support = staff_user("support")
    signed_in(support, REMOTE_ADDR="198.51.100.81").get(f"/share/{token}/")
    assert ShareView.objects.count() == 3


def test_language_toggles_are_limited_per_session(limited: None, session: Session) -> None:
    seller = Client()
    with override_settings(RATE_LIMITS=RATES | {"answer": "3/m"}):
        statuses = [
            seller.post(
                f"/s/{session.token}/language/", {"language": ("en", "id")[n % 2]}
            ).status_code
            for n in range(4)
        ]
    assert statuses == [303, 303, 303, 429]
    session.refresh_from_db()
    assert (session.language, session.writes) == ("en", 3)  # the refused one wrote nothing


def test_revoking_share_links_is_limited_per_session(limited: None, session: Session) -> None:
    seller = Client()
    with override_settings(RATE_LIMITS=RATES | {"answer": "2/m"}):
        statuses = [
            seller.post(f"/s/{session.token}/share/999/revoke/").status_code for _ in range(4)
        ]
    assert statuses[-1] == 429


@pytest.mark.parametrize("page", ["next", "incident"])
def test_a_sellers_other_posts_are_limited_per_session(
    limited: None, session: Session, page: str
) -> None:
    """ "It solved it" after the next cause, and "I stop here" at an incident, write too."""
    seller = Client()
    with override_settings(RATE_LIMITS=RATES | {"answer": "2/m"}):
        statuses = [
            seller.post(f"/s/{session.token}/{page}/", {"helped": "yes"}).status_code
            for _ in range(3)
        ]
    assert 429 not in statuses[:2]
    assert statuses[-1] == 429


def test_staff_notes_are_limited_per_user_with_a_429_and_when_to_retry(
    limited: None, session: Session
) -> None:
    rina, budi = signed_in(staff_user("support", "rina")), signed_in(staff_user("support", "budi"))
    note = f"/staff/cases/{session.code}/note/"
    with override_settings(RATE_LIMITS=RATES | {"staff_write": "3/10m"}):
        statuses = [rina.post(note, {"text": "hi", "status": "open"}).status_code for _ in range(4)]
        refused = rina.post(note, {"text": "hi", "status": "open"})
        # Another agent (in the same office, behind the same address) is not held back.
        assert budi.post(note, {"text": "hi", "status": "open"}).status_code == 303
        # Signing out always works.
        assert rina.post("/staff/logout/").status_code == 302
    assert statuses == [303, 303, 303, 429]
    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"
    assert session.notes.count() == 4


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/staff/cases/{code}/take/", {}),
        ("/staff/cases/{code}/links/999/revoke/", {}),
        ("/staff/agent/", {"language": "id"}),
        ("/staff/cases/{code}/answer/where/", {"value": "open", "revision": "0"}),
    ],
)
def test_every_other_staff_write_is_limited_per_user(
    limited: None, session: Session, path: str, data: dict[str, str]
) -> None:
    agent = signed_in(staff_user("support", "rina"))
    with override_settings(RATE_LIMITS=RATES | {"staff_write": "2/10m"}):
        statuses = [agent.post(path.format(code=session.code), data).status_code for _ in range(3)]
    assert statuses[-1] == 429
    assert 429 not in statuses[:2]


def test_workshop_saves_are_limited_per_editor_apart_from_support_work(
    limited: None, version: FlowVersion
) -> None:
    editor = signed_in(staff_user("editors", "ayu"))
    with override_settings(RATE_LIMITS=RATES | {"workshop": "2/10m", "staff_write": "1/10m"}):
        statuses = [
            editor.post("/staff/flows/drafts/", {"version": version.pk}).status_code
            for _ in range(3)
        ]
    assert statuses == [303, 303, 429]


# --- 11. Version answers: anchored, with digits normalised --------------------------------


def _on_version_question(session: Session) -> Client:
    seller = english()
    answer(seller, session, "where", "open")
    answer(seller, session, "everyone", "no")
    return seller


@pytest.mark.parametrize("typed", ["43,2,1", "v43.2", "43.2a", "43..2"])
def test_a_version_with_other_characters_gets_the_specific_message(
    session: Session, typed: str
) -> None:
    seller = _on_version_question(session)
    page = answer(seller, session, "app_version", typed).content.decode()
    assert "Ketik angka dan titik saja" in page  # the session is in Bahasa Indonesia


@pytest.mark.parametrize(
    ("typed", "stored"), [("\uff14\uff13.\uff12.\uff11", "43.2.1"), ("\u0664\u0663.\u0662", "43.2")]
)
def test_full_width_and_other_digits_are_stored_as_ascii(
    session: Session, typed: str, stored: str
) -> None:
    seller = _on_version_question(session)
    assert answer(seller, session, "app_version", typed).status_code == 303
    session.refresh_from_db()
    assert session.answers["app_version"] == stored


# --- 12. Headers, cookies and the secret key ---------------------------------------------


def test_every_page_denies_browser_features_it_does_not_use(db: None) -> None:
    response = Client().get("/")
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    # Passkeys sign staff in: this origin only, never a frame of another.
    assert "publickey-credentials-get=(self)" in response["Permissions-Policy"]
    assert "publickey-credentials-create=(self)" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def test_the_csrf_cookie_is_http_only() -> None:
    assert production_settings()["CSRF_COOKIE_HTTPONLY"] is True


@pytest.mark.parametrize("key", ["short", "a" * 60, "django-insecure-" + "x1y2z3" * 10])
def test_production_refuses_a_weak_secret_key_at_start(key: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        production_settings(SECRET_KEY=key)


def test_gunicorn_sends_no_server_banner() -> None:
    with mock.patch.dict(os.environ, {}, clear=False):
        runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    from gunicorn.http import wsgi

    response = wsgi.Response(mock.Mock(version=(1, 1)), mock.Mock(), mock.Mock())
    assert not any(line.lower().startswith("server:") for line in response.default_headers())


# --- 13. Who answered, who viewed -----------------------------------------------------------


def test_an_editor_answering_a_session_is_not_recorded_as_the_answerer(session: Session) -> None:
    editor = signed_in(staff_user("editors"))
    answer(editor, session, "where", "open")
    assert list(Answer.objects.values_list("answered_by", flat=True)) == [None]


def test_only_support_counts_as_a_staff_viewer_of_a_share_link(
    limited: None, session: Session
) -> None:
    token = share(solved(session))
    signed_in(staff_user("editors"), REMOTE_ADDR="198.51.100.90").get(f"/share/{token}/")
    assert list(ShareView.objects.values_list("viewer", flat=True)) == [None]


def test_support_staff_are_made_without_admin_access(db: None) -> None:
    from django.contrib.auth.models import User
    from django.core.management import call_command

    with mock.patch.dict(os.environ, {"STAFF_PASSWORD": "a-long-and-unusual-passphrase-42"}):
        call_command("createstaff", "siti", "--role", "support", "--no-input")
        call_command("createstaff", "eko", "--role", "editors", "--no-input")
    assert not User.objects.get(username="siti").is_staff
    assert User.objects.get(username="eko").is_staff
    support = Client()
    support.force_login(User.objects.get(username="siti"))
    assert support.get("/staff/").status_code == 200
    assert support.get("/admin/").status_code == 302
