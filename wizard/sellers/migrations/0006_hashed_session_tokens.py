"""Sessions keep only the hash of their token: a copy of the database opens no session.

Every existing row gets the SHA-256 of its token (so every link already given out keeps
working), then the clear column goes. Going back cannot bring the old tokens back: each
row gets a new random one, and the links given out before stop opening.
"""

import hashlib
import secrets
from typing import Any

from django.db import migrations, models

BATCH = 500


def hash_tokens(apps: Any, schema_editor: Any) -> None:
    """token_hash = sha256(token) for every row, in batches (plain ORM: SQLite and
    PostgreSQL alike, no SQL function either lacks)."""
    session_model = apps.get_model("sellers", "Session")
    rows = session_model.objects.using(schema_editor.connection.alias).only("pk", "token")
    batch = []
    for session in rows.order_by("pk").iterator(chunk_size=BATCH):
        session.token_hash = hashlib.sha256(session.token.encode()).hexdigest()
        batch.append(session)
        if len(batch) == BATCH:
            session_model.objects.bulk_update(batch, ["token_hash"])
            batch = []
    session_model.objects.bulk_update(batch, ["token_hash"])


def new_tokens(apps: Any, schema_editor: Any) -> None:
    """Back to clear tokens: new random ones (the old ones are known to nobody here)."""
    session_model = apps.get_model("sellers", "Session")
    rows = list(session_model.objects.using(schema_editor.connection.alias).only("pk"))
    for session in rows:
        session.token = secrets.token_urlsafe(32)
    session_model.objects.bulk_update(rows, ["token"], batch_size=BATCH)


class Migration(migrations.Migration):
    dependencies = [
        ("sellers", "0005_trials"),
    ]

    operations = [
        migrations.AddField(
            model_name="session",
            name="token_hash",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="session",
            name="token_hash",
            field=models.CharField(max_length=64, unique=True),
        ),
        # Unique and with a default no longer, so that going back can add the column to
        # rows that exist and fill it (one default for every row would not be unique).
        migrations.AlterField(
            model_name="session",
            name="token",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(migrations.RunPython.noop, new_tokens),
        migrations.RemoveField(model_name="session", name="token"),
    ]
