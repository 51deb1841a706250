"""The migration that adds review states gives each draft from before the state its
fields already said: published, approved for its text as it is, or being edited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.documents import SMALL
from tests.migrations.test_move_to_audience_apps import leaves
from wizard.editors.models import Draft
from wizard.sellers.models import FlowVersion

BEFORE = ("editors", "0002_trial_actions")


@pytest.mark.django_db(transaction=True)
def test_drafts_from_before_review_states_get_the_state_their_fields_say() -> None:
    latest = leaves()
    try:
        executor = MigrationExecutor(connection)
        executor.migrate([BEFORE])
        old = executor.loader.project_state(BEFORE).apps
        # Only the editors app went back: the others' tables are as their models say.
        version, _ = FlowVersion.load(SMALL)
        ayu = User.objects.create(username="ayu")
        draft = old.get_model("editors", "Draft")
        made = {
            name: draft.objects.create(
                key="small",
                document=SMALL,
                base_id=version.pk,
                author_id=ayu.pk,
                revision=2,
                **fields,
            ).pk
            for name, fields in {
                "editing": {},
                "approved": {"approved_by_id": ayu.pk, "approved_revision": 2},
                "saved since": {"approved_by_id": ayu.pk, "approved_revision": 1},
                "published": {"published_as_id": version.pk, "approved_revision": 2},
            }.items()
        }
        MigrationExecutor(connection).migrate(latest)
        states = {name: Draft.objects.get(pk=pk).state for name, pk in made.items()}
        assert states == {
            "editing": "editing",
            "approved": "approved",
            "saved since": "editing",
            "published": "published",
        }
        assert Draft.objects.get(pk=made["approved"]).is_approved
    finally:
        MigrationExecutor(connection).migrate(leaves())
