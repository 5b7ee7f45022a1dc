"""Database triggers that move an enrollment's stamp on every write to its data.

Installed after each `migrate` for every table with a foreign key to Enrollment
(and for the enrollment table itself), on SQLite and PostgreSQL alike. A read
keyed by the stamp therefore changes with the very next write, and no code path
can forget to invalidate it.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connections, models

STAMP_TABLE = "readcache_enrollmentstamp"
TRIGGER_PREFIX = "levelup_stamp"

# Identifiers only, from this module and the models: nothing from a request.
PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {TRIGGER_PREFIX}_bump() RETURNS trigger AS $$
DECLARE
    col text := TG_ARGV[0];
    ids bigint[] := ARRAY[]::bigint[];
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        ids := ids || (to_jsonb(NEW) ->> col)::bigint;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        ids := ids || (to_jsonb(OLD) ->> col)::bigint;
    END IF;
    INSERT INTO {STAMP_TABLE} (enrollment_id, version)
    SELECT DISTINCT i, 1 FROM unnest(ids) AS i WHERE i IS NOT NULL
    ON CONFLICT (enrollment_id) DO UPDATE SET version = {STAMP_TABLE}.version + 1;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""  # noqa: S608


def stamped_tables() -> list[tuple[str, str]]:
    """(table, column holding the enrollment id) for every table whose rows belong to an
    enrollment, and the enrollment table itself."""
    from levelup.progress.models import Enrollment

    found = {(Enrollment._meta.db_table, "id")}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey) and field.related_model is Enrollment:
                found.add((model._meta.db_table, field.column))
    return sorted(found)


def _trigger_name(table: str, op: str = "") -> str:
    return f"{TRIGGER_PREFIX}_{table}{'_' + op if op else ''}"


def _sqlite_statements(table: str, column: str) -> list[str]:
    def bump(row: str, only_if: str = "") -> str:
        return (
            f"INSERT INTO {STAMP_TABLE} (enrollment_id, version) "
            f"SELECT {row}.{column}, 1 WHERE {row}.{column} IS NOT NULL{only_if} "
            "ON CONFLICT (enrollment_id) DO UPDATE SET version = version + 1;"
        )

    bodies = {
        "insert": bump("NEW"),
        # Moving a row to another enrollment changes both; otherwise bump once.
        "update": bump("NEW") + " " + bump("OLD", f" AND OLD.{column} IS NOT NEW.{column}"),
        "delete": bump("OLD"),
    }
    statements = []
    for op, body in bodies.items():
        name = _trigger_name(table, op)
        statements.append(f'DROP TRIGGER IF EXISTS "{name}"')
        statements.append(
            f'CREATE TRIGGER "{name}" AFTER {op.upper()} ON "{table}" FOR EACH ROW BEGIN {body} END'
        )
    return statements


def _postgres_statements(table: str, column: str) -> list[str]:
    name = _trigger_name(table)
    return [
        f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"',
        f'CREATE TRIGGER "{name}" AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
        f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER_PREFIX}_bump('{column}')",
    ]


def stamp_triggers_install(using: str = "default", **kwargs: Any) -> None:
    """(Re)create the triggers; safe to run any number of times (post_migrate handler)."""
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if STAMP_TABLE not in tables:
        return  # migrating towards a state before the read cache existed
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(PG_FUNCTION)
        for table, column in stamped_tables():
            if table not in tables:
                continue
            if connection.vendor == "postgresql":
                statements = _postgres_statements(table, column)
            elif connection.vendor == "sqlite":
                statements = _sqlite_statements(table, column)
            else:
                raise NotImplementedError(f"stamp triggers for {connection.vendor}")
            for statement in statements:
                cursor.execute(statement)


def installed_triggers(using: str = "default") -> set[str]:
    """Names of the stamp triggers present in the database (for checks and tests)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", [TRIGGER_PREFIX + "%"]
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [TRIGGER_PREFIX + "%"],
            )
        return {row[0] for row in cursor.fetchall()}


def expected_triggers(vendor: str) -> set[str]:
    if vendor == "postgresql":
        return {_trigger_name(table) for table, _ in stamped_tables()}
    return {
        _trigger_name(table, op)
        for table, _ in stamped_tables()
        for op in ("insert", "update", "delete")
    }
