"""`/readyz` says whether a server should get traffic, and `check --deploy` refuses a
production setup that only holds for one server."""

from __future__ import annotations

import json
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from tests.environments import PRODUCTION
from tests.web.test_production_settings import manage
from wizard.sellers.models import FlowVersion
from wizard.web import readiness


@pytest.fixture(autouse=True)
def _migrations_read_again() -> None:
    readiness._migrated = False


def test_a_server_with_a_live_flow_is_ready_and_says_what_it_checked(
    client: Client, version: FlowVersion
) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "cache": "ok", "migrations": "ok", "flow": "ok"},
    }
    assert "no-store" in response["Cache-Control"]


def test_without_a_live_flow_the_server_is_not_ready(client: Client, db: None) -> None:
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["flow"] == "no flow version is live"
    assert response.json()["checks"]["database"] == "ok"


def test_a_pending_migration_makes_the_server_not_ready(client: Client, version: object) -> None:
    with mock.patch.object(
        MigrationExecutor, "migration_plan", return_value=[("migration", False)]
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"].startswith("1 pending")


def test_a_lost_database_is_named_without_its_secrets(client: Client, version: object) -> None:
    secret = "connection to postgres://app:hunter2@db.internal failed"
    with mock.patch.object(connection, "cursor", side_effect=OperationalError(secret)):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "the database does not answer"
    assert "hunter2" not in response.content.decode()


def test_a_cache_that_loses_what_it_is_given_is_named(client: Client, version: object) -> None:
    with mock.patch.object(cache, "get", return_value=None):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] != "ok"
    assert json.loads(response.content)["status"] == "not ready"


def test_a_ready_server_reads_the_migration_table_only_until_it_is_up_to_date(
    client: Client, version: object, django_assert_num_queries: object
) -> None:
    client.get("/readyz")
    # The database's SELECT 1 and the live flow, nothing more.
    with django_assert_num_queries(2):
        client.get("/readyz")


def test_a_production_setup_for_one_server_only_is_warned_about() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode != 0
    assert "wizard.W001" in result.stderr + result.stdout
    assert "wizard.W002" in result.stderr + result.stdout


def test_single_server_says_one_server_is_meant() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, SINGLE_SERVER="1")
    assert result.returncode == 0, result.stdout + result.stderr


def test_postgresql_and_redis_pass_the_several_servers_check() -> None:
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        **PRODUCTION,
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/test",
        REDIS_URL="redis://127.0.0.1:6379/1",
    )
    assert result.returncode == 0, result.stdout + result.stderr
