"""The sellers' models, taken over from the `wizard` app with their tables and rows."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import wizard.sellers.models.sessions

MOVED = ["flowversion", "session", "answer", "incident", "sighting"]


def relabel(apps, schema_editor):
    """Content types (and so permissions, groups' rights and admin history) follow."""
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    content_types.filter(app_label="wizard", model__in=MOVED).update(app_label="sellers")


def unrelabel(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    content_types.filter(app_label="sellers", model__in=MOVED).update(app_label="wizard")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("wizard", "0002_staff_cases_share_links_incidents"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables exist already (db_table keeps their names): state only.
            state_operations=[
                migrations.CreateModel(
                    name="FlowVersion",
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
                        ("key", models.CharField(max_length=50)),
                        ("number", models.PositiveIntegerField()),
                        ("document", models.TextField()),
                        ("checksum", models.CharField(max_length=64)),
                        ("loaded_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("published_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "db_table": "wizard_flowversion",
                        "ordering": ["key", "-number"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("key", "number"), name="flow_version_number"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="Incident",
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
                        (
                            "title_indonesian",
                            models.CharField(
                                max_length=200, verbose_name="title (Bahasa Indonesia)"
                            ),
                        ),
                        (
                            "title_english",
                            models.CharField(max_length=200, verbose_name="title (English)"),
                        ),
                        (
                            "text_indonesian",
                            models.TextField(
                                verbose_name="what is happening and what to do meanwhile (Bahasa Indonesia)"
                            ),
                        ),
                        (
                            "text_english",
                            models.TextField(
                                verbose_name="what is happening and what to do meanwhile (English)"
                            ),
                        ),
                        (
                            "starts_at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="starts"
                            ),
                        ),
                        (
                            "ends_at",
                            models.DateTimeField(
                                blank=True,
                                help_text="Leave empty while it lasts.",
                                null=True,
                                verbose_name="ends",
                            ),
                        ),
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
                    ],
                    options={
                        "verbose_name": "platform incident",
                        "verbose_name_plural": "platform incidents",
                        "db_table": "wizard_incident",
                        "ordering": ["-starts_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="Session",
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
                        (
                            "token",
                            models.CharField(
                                default=wizard.sellers.models.sessions.new_token,
                                max_length=64,
                                unique=True,
                            ),
                        ),
                        (
                            "code",
                            models.CharField(
                                default=wizard.sellers.models.sessions.new_code,
                                max_length=12,
                                unique=True,
                            ),
                        ),
                        ("answers", models.JSONField(blank=True, default=dict)),
                        ("revision", models.PositiveIntegerField(default=0)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("open", "open"),
                                    ("resolved", "resolved"),
                                    ("escalated", "escalated"),
                                ],
                                default="open",
                                max_length=12,
                            ),
                        ),
                        ("current_step", models.CharField(max_length=64)),
                        ("outcome", models.CharField(blank=True, max_length=64)),
                        ("helped", models.BooleanField(blank=True, null=True)),
                        (
                            "language",
                            models.CharField(
                                choices=[("id", "Bahasa Indonesia"), ("en", "English")],
                                default="id",
                                max_length=8,
                            ),
                        ),
                        ("zone", models.CharField(default="WIB", max_length=8)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "updated_at",
                            models.DateTimeField(db_index=True, default=django.utils.timezone.now),
                        ),
                        ("solved_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "flow_version",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="sellers.flowversion",
                            ),
                        ),
                        (
                            "started_by",
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
                        "db_table": "wizard_session",
                    },
                ),
                migrations.CreateModel(
                    name="Answer",
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
                        ("question", models.CharField(max_length=64)),
                        ("value", models.JSONField()),
                        ("revision", models.PositiveIntegerField()),
                        ("answered_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "answered_by",
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
                                related_name="log",
                                to="sellers.session",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "wizard_answer",
                        "ordering": ["answered_at", "id"],
                    },
                ),
                migrations.CreateModel(
                    name="Sighting",
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
                        ("seen_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("ended_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "incident",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="sightings",
                                to="sellers.incident",
                            ),
                        ),
                        (
                            "session",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="sightings",
                                to="sellers.session",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "wizard_sighting",
                        "ordering": ["seen_at", "id"],
                    },
                ),
                migrations.AddIndex(
                    model_name="incident",
                    index=models.Index(fields=["starts_at", "ends_at"], name="incident_time"),
                ),
                migrations.AddConstraint(
                    model_name="incident",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("ends_at__isnull", True),
                            ("ends_at__gt", models.F("starts_at")),
                            _connector="OR",
                        ),
                        name="incident_ends_after_start",
                        violation_error_message="An incident must end after it starts.",
                    ),
                ),
                migrations.AddIndex(
                    model_name="session",
                    index=models.Index(
                        fields=["status", "-updated_at"], name="session_status_recent"
                    ),
                ),
                migrations.AddIndex(
                    model_name="session",
                    index=models.Index(
                        fields=["outcome", "-updated_at"], name="session_outcome_recent"
                    ),
                ),
                migrations.AddIndex(
                    model_name="session",
                    index=models.Index(
                        fields=["language", "-updated_at"], name="session_language_recent"
                    ),
                ),
                migrations.AddIndex(
                    model_name="session",
                    index=models.Index(
                        fields=["flow_version", "-updated_at"], name="session_version_recent"
                    ),
                ),
                migrations.AddIndex(
                    model_name="session",
                    index=models.Index(
                        fields=["helped", "-updated_at"], name="session_helped_recent"
                    ),
                ),
                migrations.AddIndex(
                    model_name="answer",
                    index=models.Index(
                        fields=["session", "answered_at"], name="answer_session_time"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="sighting",
                    constraint=models.UniqueConstraint(
                        fields=("session", "incident"), name="sighting_once"
                    ),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel, unrelabel, elidable=False),
    ]
