"""Support's models, taken over from the `wizard` app with their tables and rows."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ["sharelink", "shareview", "note"]


def relabel(apps, schema_editor):
    """Content types (and so permissions, groups' rights and admin history) follow."""
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    content_types.filter(app_label="wizard", model__in=MOVED).update(app_label="support")


def unrelabel(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    content_types.filter(app_label="support", model__in=MOVED).update(app_label="wizard")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("wizard", "0002_staff_cases_share_links_incidents"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sellers", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables exist already (db_table keeps their names): state only.
            state_operations=[
                migrations.CreateModel(
                    name="ShareLink",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("token_hash", models.CharField(max_length=64, unique=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("is_for_support", models.BooleanField(default=False)),
                        ("expires_at", models.DateTimeField()),
                        ("revoked_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "created_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "revoked_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "session",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="links",
                                to="sellers.session",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "wizard_sharelink",
                        "ordering": ["-created_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="ShareView",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("viewed_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "link",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="views",
                                to="support.sharelink",
                            ),
                        ),
                        (
                            "viewer",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "wizard_shareview",
                        "ordering": ["-viewed_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="Note",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("text", models.TextField(blank=True)),
                        ("status", models.CharField(blank=True, max_length=12)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "author",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "session",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notes",
                                to="sellers.session",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "wizard_note",
                        "ordering": ["created_at", "id"],
                        "indexes": [
                            models.Index(fields=["session", "created_at"], name="note_session_time")
                        ],
                    },
                ),
                migrations.AddIndex(
                    model_name="sharelink",
                    index=models.Index(
                        fields=["session", "-created_at"], name="sharelink_session_recent"
                    ),
                ),
                migrations.AddIndex(
                    model_name="shareview",
                    index=models.Index(fields=["link", "-viewed_at"], name="shareview_link_recent"),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel, unrelabel, elidable=False),
    ]
