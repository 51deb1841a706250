"""The staff roles: the groups "support" and "editors", and the permissions each holds."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

# Support handles cases: reads them, notes and sets their status, revokes their share
# links, and starts sessions on a seller's behalf (agent mode). Support sees an outage's
# wave first, so it declares, edits and ends platform incidents too (never deletes one).
SUPPORT = "support"
# Editors keep the content right: drafts and versions in the workshop, and incidents.
# Support may read the workshop's versions and history, not its drafts.
EDITORS = "editors"

ROLES: dict[str, tuple[str, ...]] = {
    SUPPORT: (
        "sellers.view_session",
        "sellers.add_session",
        "sellers.change_session",
        "support.view_note",
        "support.add_note",
        "support.view_sharelink",
        "support.change_sharelink",
        "support.view_shareview",
        "sellers.view_incident",
        "sellers.add_incident",
        "sellers.change_incident",
        "support.view_case",
        "support.change_case",
        "editors.read_workshop",
        "sellers.view_tally",  # insight
    ),
    EDITORS: (
        "sellers.view_flowversion",
        "editors.read_workshop",
        "editors.view_draft",
        "editors.add_draft",
        "editors.change_draft",
        "editors.publish_draft",
        "sellers.view_incident",
        "sellers.add_incident",
        "sellers.change_incident",
        "sellers.delete_incident",
        # Support leads set the team's channels and office hours, and see notifications.
        "support.view_supportchannel",
        "support.add_supportchannel",
        "support.change_supportchannel",
        "support.view_outbox",
        "sellers.view_tally",  # insight
    ),
}


def ensure_role(name: str) -> Group:
    """The group for a role, created or brought up to date with its permissions."""
    wanted = ROLES[name]
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=name)
        labelled = {tuple(permission.split(".", 1)) for permission in wanted}
        permissions = [
            permission
            for permission in Permission.objects.filter(
                codename__in={codename for _, codename in labelled}
            ).select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in labelled
        ]
        missing = {".".join(pair) for pair in labelled} - {
            f"{permission.content_type.app_label}.{permission.codename}"
            for permission in permissions
        }
        if missing:  # a renamed model, or `migrate` has not run yet
            raise LookupError(f"no such permission(s): {', '.join(sorted(missing))}")
        group.permissions.set(permissions)
    return group
