"""What a seller's request costs in queries, on the database the suite runs on."""

from django.db import connection


def answer_queries() -> int:
    """An answer: the session's read, then one statement on PostgreSQL (the update at
    the revision, the log line, insight's rollup of days and months); elsewhere those
    four in a transaction, which the test's own transaction makes a savepoint pair."""
    return 2 if connection.vendor == "postgresql" else 7
