"""The staff roles: the groups "support" and "editors", and the permissions each holds."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

# Support handles cases: reads them, notes and sets their status, revokes their share
# links, and starts sessions on a seller's behalf (agent mode).
SUPPORT = "support"
# Editors keep the content right: flow versions (read-only for now) and incidents.
EDITORS = "editors"

ROLES: dict[str, tuple[str, ...]] = {
    SUPPORT: (
        "wizard.view_session",
        "wizard.add_session",
        "wizard.change_session",
        "wizard.view_note",
        "wizard.add_note",
        "wizard.view_sharelink",
        "wizard.change_sharelink",
        "wizard.view_shareview",
        "wizard.view_incident",
    ),
    EDITORS: (
        "wizard.view_flowversion",
        "wizard.view_incident",
        "wizard.add_incident",
        "wizard.change_incident",
        "wizard.delete_incident",
    ),
}


def ensure_role(name: str) -> Group:
    """The group for a role, created or brought up to date with its permissions."""
    wanted = ROLES[name]
    with transaction.atomic():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="wizard",
            codename__in=[permission.split(".", 1)[1] for permission in wanted],
        )
        missing = {permission.split(".", 1)[1] for permission in wanted} - {
            permission.codename for permission in permissions
        }
        if missing:  # a renamed model, or `migrate` has not run yet
            raise LookupError(f"no such permission(s): {', '.join(sorted(missing))}")
        group.permissions.set(permissions)
    return group
