"""Configuration from the environment: safe in production, zero-setup in development."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.template.backends.django import DjangoTemplates
from django.template.loaders import cached
from django.test import Client, override_settings

from tests.environments import PRODUCTION, computed_settings, production_settings

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **environment: str) -> subprocess.CompletedProcess[str]:
    """Run manage.py in a fresh process under this environment (plus PATH and HOME)."""
    keep = {name: value for name, value in os.environ.items() if name in {"PATH", "HOME"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=keep | environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_settings_pass_the_deploy_check_at_warning_level() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, SINGLE_SERVER="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_development_defaults_would_fail_the_deploy_check() -> None:
    # The check is meaningful: without DJANGO_ENV=production it finds problems.
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0


@pytest.mark.parametrize(
    ("missing", "message"),
    [("SECRET_KEY", "SECRET_KEY"), ("ALLOWED_HOSTS", "ALLOWED_HOSTS")],
)
def test_production_refuses_to_start_without_its_required_settings(
    missing: str, message: str
) -> None:
    environment = {name: value for name, value in PRODUCTION.items() if name != missing}
    with pytest.raises(ImproperlyConfigured, match=message):
        computed_settings(**environment)


def test_production_refuses_debug_mode() -> None:
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        production_settings(DEBUG="1")


def test_an_unknown_environment_name_is_refused_rather_than_guessed() -> None:
    with pytest.raises(ImproperlyConfigured, match="DJANGO_ENV"):
        computed_settings(DJANGO_ENV="prod")


def test_production_cookies_are_secure_and_host_prefixed() -> None:
    values = production_settings()
    assert values["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert values["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert values["LANGUAGE_COOKIE_NAME"] == "__Host-language"
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["LANGUAGE_COOKIE_SECURE"] is True


def test_production_turns_on_https_hsts_referrer_policy_and_coop() -> None:
    values = production_settings()
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["DEBUG"] is False


def test_the_proxy_ssl_header_is_trusted_only_with_a_proxy_declared() -> None:
    assert "SECURE_PROXY_SSL_HEADER" not in production_settings(TRUSTED_PROXIES="")
    behind_proxy = production_settings()
    assert behind_proxy["TRUSTED_PROXIES"] == ["127.0.0.1/32", "::1/128"]
    assert behind_proxy["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")


def test_with_nothing_set_it_runs_on_sqlite_ready_for_concurrent_writers() -> None:
    values = computed_settings()
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]
    assert values["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert values["DEBUG"] is False


def test_sqlite_keeps_each_threads_connection_open_across_requests() -> None:
    database = computed_settings()["DATABASES"]["default"]
    assert database["CONN_MAX_AGE"] is None
    assert database["CONN_HEALTH_CHECKS"] is True


def test_database_url_selects_postgresql_with_a_connection_pool() -> None:
    values = computed_settings(
        DATABASE_URL="postgres://seller:s3cret@db.internal:5433/pesanan",
        DB_POOL_MAX_SIZE="20",
    )
    database = values["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["PORT"], database["NAME"]) == (
        "db.internal",
        5433,
        "pesanan",
    )
    assert (database["USER"], database["PASSWORD"]) == ("seller", "s3cret")
    assert database["OPTIONS"]["pool"] == {"min_size": 1, "max_size": 20, "timeout": 10}
    # Django refuses persistent connections beside a pool; the pool checks connections.
    assert database["CONN_MAX_AGE"] == 0
    assert database["CONN_HEALTH_CHECKS"] is True


def test_postgresql_binds_on_the_server_and_prepares_repeated_statements() -> None:
    url = "postgres://seller@db.internal/pesanan"
    options = computed_settings(DATABASE_URL=url)["DATABASES"]["default"]["OPTIONS"]
    assert (options["server_side_binding"], options["prepare_threshold"]) == (True, 5)
    # Behind a pooler that cannot carry prepared statements, or back to Django's default.
    off = computed_settings(DATABASE_URL=url, DB_PREPARE_THRESHOLD="off")
    assert off["DATABASES"]["default"]["OPTIONS"]["prepare_threshold"] is None
    client = computed_settings(DATABASE_URL=url, DB_SERVER_SIDE_BINDING="0")
    assert "server_side_binding" not in client["DATABASES"]["default"]["OPTIONS"]
    with pytest.raises(ImproperlyConfigured, match="DB_PREPARE_THRESHOLD"):
        computed_settings(DATABASE_URL=url, DB_PREPARE_THRESHOLD="often")


def test_a_database_url_other_than_postgresql_or_sqlite_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="PostgreSQL"):
        computed_settings(DATABASE_URL="mysql://root@127.0.0.1/pesanan")


def test_a_malformed_number_names_its_variable() -> None:
    with pytest.raises(ImproperlyConfigured, match="SESSION_RETENTION_DAYS"):
        computed_settings(SESSION_RETENTION_DAYS="half a year")


def test_redis_url_moves_the_cache_and_rate_limits_to_redis() -> None:
    values = computed_settings(REDIS_URL="redis://127.0.0.1:6379/2")
    cache = values["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/2"
    # A hung Redis must not hang requests.
    assert cache["OPTIONS"]["socket_timeout"] <= 1


@pytest.mark.parametrize("redis", ["", "redis://127.0.0.1:6379/2"])
def test_template_fragments_stay_in_each_process_whatever_the_cache(redis: str) -> None:
    # A shared cache would serve a deploy's new pages the old release's fragments.
    fragments = production_settings(REDIS_URL=redis)["CACHES"]["fragments"]
    assert fragments["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_production_compiles_each_template_once() -> None:
    (options,) = production_settings()["TEMPLATES"]
    assert options["BACKEND"] == "django.template.backends.django.DjangoTemplates"
    params = {name: value for name, value in options.items() if name != "BACKEND"}
    engine = DjangoTemplates({**params, "NAME": "production"}).engine
    [loader] = engine.template_loaders  # Django's default when no loaders are set
    assert isinstance(loader, cached.Loader)


def test_retention_and_expiry_come_from_the_environment() -> None:
    values = computed_settings(SESSION_RETENTION_DAYS="30", SHARE_LINK_DAYS="3")
    assert (values["SESSION_RETENTION_DAYS"], values["SHARE_LINK_DAYS"]) == (30, 3)
    assert computed_settings()["SESSION_RETENTION_DAYS"] == 180


def test_production_serves_compressed_hashed_static_files(tmp_path: Path) -> None:
    values = production_settings()
    backend = values["STORAGES"]["staticfiles"]["BACKEND"]
    assert backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    result = manage("collectstatic", "--noinput", **PRODUCTION, STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stderr
    hashed = list((tmp_path / "css").glob("app.*.css"))
    assert hashed, "collectstatic wrote no hashed app.css"
    assert Path(f"{hashed[0]}.gz").exists()
    assert (tmp_path / "staticfiles.json").exists()

    with override_settings(
        STATIC_ROOT=tmp_path,
        STORAGES=values["STORAGES"],
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
    ):
        response = Client().get(f"/static/css/{hashed[0].name}", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]


def gunicorn_settings(**environment: str) -> dict[str, object]:
    """gunicorn.conf.py's values under this environment."""
    names = (
        "GUNICORN_WORKERS",
        "WEB_CONCURRENCY",
        "GUNICORN_THREADS",
        "GUNICORN_TIMEOUT",
        "GUNICORN_ACCESS_LOG",
    )
    clean = {name: value for name, value in os.environ.items() if name not in names}
    with mock.patch.dict(os.environ, clean | environment, clear=True):
        return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_sizes_itself_from_the_cores_or_the_environment() -> None:
    assert gunicorn_settings()["workers"] == 2 * (os.cpu_count() or 1) + 1
    sized = gunicorn_settings(GUNICORN_WORKERS="3", GUNICORN_THREADS="4", GUNICORN_TIMEOUT="20")
    assert (sized["workers"], sized["threads"], sized["timeout"]) == (3, 4, 20)
    assert gunicorn_settings(WEB_CONCURRENCY="7")["workers"] == 7


def test_gunicorn_reloads_gracefully_and_loads_the_app_in_each_worker() -> None:
    values = gunicorn_settings()
    assert values["wsgi_app"] == "wizard.wsgi:application"
    # With preload off, a HUP loads new code; no connection is shared across a fork.
    assert values["preload_app"] is False
    assert values["graceful_timeout"] == 30
    assert values["max_requests"] > 0
    assert values["worker_class"] == "gthread"


def test_gunicorns_access_log_can_be_turned_off_at_no_cost() -> None:
    assert gunicorn_settings()["accesslog"] == "-"
    assert gunicorn_settings(GUNICORN_ACCESS_LOG="/var/log/pesanan/access.log")["accesslog"] == (
        "/var/log/pesanan/access.log"
    )
    # Off is None, which gunicorn skips before formatting a line; /dev/null would still
    # format every line and write it nowhere.
    for off in ("off", "", "/dev/null", "OFF"):
        assert gunicorn_settings(GUNICORN_ACCESS_LOG=off)["accesslog"] is None


def test_a_sqlite_database_url_gets_the_same_concurrency_settings(tmp_path: Path) -> None:
    database = computed_settings(DATABASE_URL=f"sqlite:///{tmp_path}/pesanan.sqlite3")["DATABASES"][
        "default"
    ]
    assert database["NAME"] == f"{tmp_path}/pesanan.sqlite3"
    assert database["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert database["TEST"]["NAME"].endswith(".sqlite3")
