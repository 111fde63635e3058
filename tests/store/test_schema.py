"""The schema on both engines: migrations agree with the models, triggers and policies hold."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from openrcm.store.db import Database, create_schema
from openrcm.store.migrate import current, drift, heads, upgrade
from openrcm.store.models import JournalEntryRow, PostingRow
from tests.store.fixtures import engine_url, new_practice
from tests.support.postgres import PostgresServer


def _entry(db: Database, practice_id: str, entry_id: str) -> None:
    with db.uow(practice_id) as uow:
        uow.session.add(JournalEntryRow(id=entry_id, practice_id=practice_id, kind="charge",
                                        effective_on=date(2026, 1, 5), created_by="u"))
        uow.session.flush()
        uow.session.add_all([
            PostingRow(practice_id=practice_id, entry_id=entry_id, account="ar:pat:X",
                       account_kind="ar:pat",
                       amount=Decimal("100.25")),
            PostingRow(practice_id=practice_id, entry_id=entry_id, account="revenue",
                       account_kind="revenue",
                       amount=Decimal("-100.25")),
        ])
        uow.commit()


def test_migrations_create_the_schema_the_models_describe(database_url: str) -> None:
    """`openrcm db upgrade` and the ORM models agree on every table, column and index."""
    database = Database(engine_url(database_url))
    assert current(database.engine) is None
    upgrade(database.engine)
    upgrade(database.engine)  # idempotent
    (head,) = heads()  # one chain: parallel migrations must be chained, not forked
    assert current(database.engine) == head
    assert drift(database.engine) == []
    practice = new_practice(database, "Migrated")
    _entry(database, practice, "E-1")
    with database.uow(practice) as uow, pytest.raises(DBAPIError, match="append-only"):
        uow.session.execute(text("UPDATE postings SET amount = 0"))
    database.dispose()


def test_money_is_exact_and_sums_in_sql(db: Database) -> None:
    """Amounts round-trip exactly and SUM over postings is exact on both engines."""
    practice = new_practice(db, "Exact")
    for i in range(3):
        _entry(db, practice, f"E-{i}")
    with db.uow(practice) as uow:
        total = uow.session.scalar(select(func.sum(PostingRow.amount))
                                   .where(PostingRow.account == "ar:pat:X"))
        amounts = uow.session.scalars(select(PostingRow.amount)).all()
    assert total == Decimal("300.75")
    assert set(amounts) == {Decimal("100.25"), Decimal("-100.25")}


@pytest.mark.parametrize("statement", [
    "UPDATE postings SET amount = 1",
    "DELETE FROM postings",
    "UPDATE journal_entries SET memo = 'x'",
    "DELETE FROM journal_entries",
])
def test_ledger_tables_refuse_update_and_delete(db: Database, statement: str) -> None:
    """Journal entries and postings are append-only: the database itself refuses changes."""
    practice = new_practice(db, "Append")
    _entry(db, practice, "E-1")
    with db.uow(practice) as uow, pytest.raises(DBAPIError, match="append-only"):
        uow.session.execute(text(statement))
        uow.session.flush()


def test_create_schema_matches_migrations(db: Database) -> None:
    """The fast test path (metadata + DDL) produces what the migrations produce."""
    assert drift(db.engine) == []


@pytest.mark.postgres
def test_row_level_security_hides_other_practices(postgres_server: PostgresServer) -> None:
    """A raw query under practice A's setting cannot see practice B's rows (second wall)."""
    database = Database(engine_url(postgres_server.create_database()))
    create_schema(database.engine)
    a, b = new_practice(database, "A"), new_practice(database, "B")
    _entry(database, a, "A-1")
    _entry(database, b, "B-1")
    with database.uow(a) as uow:
        rows = uow.session.execute(text("SELECT practice_id FROM postings")).all()
        practices = uow.session.execute(text("SELECT id FROM practices")).all()
        assert {r[0] for r in rows} == {a}
        assert [r[0] for r in practices] == [a]
        with pytest.raises(DBAPIError):
            uow.session.execute(text(
                "INSERT INTO journal_entries (id, practice_id, kind, effective_on, memo, refs, "
                "created_by, created_at) VALUES ('X', :b, 'charge', '2026-01-01', '', '{}', 'u', "
                "now())"), {"b": b})
    with database.engine.connect() as conn:  # no tenant set at all: fail closed
        assert conn.execute(text("SELECT count(*) FROM postings")).scalar() == 0
    database.dispose()
