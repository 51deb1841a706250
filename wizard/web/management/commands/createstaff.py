"""Create a staff user in the "support" or "editors" group (or add an existing one to it)."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wizard.web.roles import EDITORS, ROLES, ensure_role

PASSWORD_VARIABLE = "STAFF_PASSWORD"
# The roles whose work is (partly) in the admin.
ADMIN_ROLES = {EDITORS}


class Command(BaseCommand):
    help = (
        "Create a staff user in a role: support (cases) or editors (flows and incidents). "
        f"The password is asked for, or read from ${PASSWORD_VARIABLE} with --no-input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", choices=sorted(ROLES), required=True)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help=f"do not prompt: take the password from ${PASSWORD_VARIABLE}",
        )

    def handle(self, *args: Any, username: str, role: str, email: str, **options: Any) -> None:
        group = ensure_role(role)
        users = get_user_model()
        user = users.objects.filter(username=username).first()
        if user is not None:
            user.groups.add(group)
            if role in ADMIN_ROLES and not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
            self.stdout.write(f"{username} already exists: now in {role} (password unchanged)")
            return
        # Support works on the staff pages only; editors use the admin too.
        user = users(username=username, email=email, is_staff=role in ADMIN_ROLES)
        password = self._password(user, interactive=options["interactive"])
        user.set_password(password)
        user.save()
        user.groups.add(group)
        self.stdout.write(f"created {username} in {role}")

    def _password(self, user: Any, *, interactive: bool) -> str:
        if not interactive:
            password = os.environ.get(PASSWORD_VARIABLE, "")
            if not password:
                raise CommandError(f"set ${PASSWORD_VARIABLE}, or run without --no-input")
            self._validate(password, user)
            return password
        while True:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                self.stderr.write("The passwords differ; try again.")
                continue
            try:
                self._validate(password, user)
            except CommandError as error:
                self.stderr.write(str(error))
                continue
            return password

    def _validate(self, password: str, user: Any) -> None:
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
