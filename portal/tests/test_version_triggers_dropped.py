"""casenotes 0007 and training 0006 take out the kept pages' version tables and every trigger
that moved them (casenotes 0006, training 0005), on SQLite and PostgreSQL alike."""

from __future__ import annotations

from django.db import connection

DROPPED = ("casenotes_cases_version", "training_progress_version")


def _triggers() -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return [name for (name,) in cursor.fetchall()]


def _functions() -> list[str]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname FROM pg_proc JOIN pg_namespace n ON n.oid = pronamespace "
            "WHERE nspname = current_schema()"
        )
        return [name for (name,) in cursor.fetchall()]


def test_it_leaves_no_version_trigger_nor_function(db):
    left = [name for name in _triggers() + _functions() if name.startswith(DROPPED)]
    assert left == []


def test_it_leaves_no_version_table(db):
    tables = connection.introspection.table_names()
    assert "casenotes_casesversion" not in tables
    assert "training_progressversion" not in tables
