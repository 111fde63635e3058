"""DDL the ORM cannot express: append-only triggers and PostgreSQL row-level security.

Both the Alembic migration and ``create_schema`` (tests, fresh embedded databases) apply the same
statements from here, so the two paths cannot drift.

Row-level security reads the per-transaction setting ``openrcm.practice_id`` (set by the unit of
work); a missing setting matches nothing, so a forgotten tenant fails closed. System work that
spans tenants (sign-in, demo load, key rotation) sets ``openrcm.all_practices`` to ``on``.
``FORCE ROW LEVEL SECURITY`` makes the policies apply to the table owner as well.
"""

from __future__ import annotations

from collections.abc import Sequence

PRACTICE_SETTING = "openrcm.practice_id"
ALL_PRACTICES_SETTING = "openrcm.all_practices"


def append_only_statements(dialect: str, tables: Sequence[str]) -> list[str]:
    """Triggers that make ``tables`` refuse UPDATE and DELETE on ``dialect``."""
    statements: list[str] = []
    if dialect == "postgresql":
        statements.append(
            "CREATE OR REPLACE FUNCTION openrcm_append_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME "
            "USING ERRCODE = 'insufficient_privilege'; END $$"
        )
        for table in tables:
            statements.append(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION openrcm_append_only()"
            )
            statements.append(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION openrcm_append_only()"
            )
    else:
        for table in tables:
            for op in ("UPDATE", "DELETE"):
                statements.append(
                    f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
                )
    return statements


def drop_append_only_statements(dialect: str, tables: Sequence[str]) -> list[str]:
    """The inverse of :func:`append_only_statements` (for downgrades)."""
    if dialect == "postgresql":
        out = []
        for t in tables:
            out += [f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}",
                    f"DROP TRIGGER IF EXISTS {t}_no_truncate ON {t}"]
        return [*out, "DROP FUNCTION IF EXISTS openrcm_append_only()"]
    return [f"DROP TRIGGER IF EXISTS {t}_no_{op} " for t in tables for op in ("update", "delete")]


def rls_statements(dialect: str, tables: Sequence[str]) -> list[str]:
    """Row-level security policies keyed on the per-transaction practice setting."""
    if dialect != "postgresql":
        return []
    statements: list[str] = []
    for table in tables:
        key = "id" if table == "practices" else "practice_id"
        condition = (
            f"({key} = current_setting('{PRACTICE_SETTING}', true) "
            f"OR current_setting('{ALL_PRACTICES_SETTING}', true) = 'on')"
        )
        statements += [
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
            f"CREATE POLICY {table}_tenant ON {table} USING {condition} WITH CHECK {condition}",
        ]
    return statements


def drop_rls_statements(dialect: str, tables: Sequence[str]) -> list[str]:
    """The inverse of :func:`rls_statements`."""
    if dialect != "postgresql":
        return []
    out: list[str] = []
    for table in tables:
        out += [f"DROP POLICY IF EXISTS {table}_tenant ON {table}",
                f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY",
                f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"]
    return out
