"""store.bulk writes exactly the rows the ORM would, on both engines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from openrcm.store import bulk
from openrcm.store.bulk import insert_rows, update_rows
from openrcm.store.db import Database
from openrcm.store.models import JournalEntryRow, PostingRow, WorkItem
from tests.store.fixtures import new_practice

NOW = datetime(2026, 4, 1, 12, 30, tzinfo=UTC)


def test_insert_and_update_round_trip_through_the_orm(db: Database) -> None:
    practice = new_practice(db)
    with db.uow(practice) as uow:
        connection = uow.session.connection()
        insert_rows(connection, JournalEntryRow, ("id", "kind", "effective_on", "refs"),
                    [("E1", "charge", date(2026, 3, 2), "{}"),
                     ("E2", "charge", date(2026, 3, 3), "{}")],
                    {"practice_id": practice, "memo": "m", "created_by": "u",
                     "created_at": NOW})
        insert_rows(connection, PostingRow, ("entry_id", "account", "amount", "account_kind"),
                    [("E1", "cash", Decimal("150.25"), "cash"),
                     ("E1", "revenue", Decimal("-150.25"), "revenue")],
                    {"practice_id": practice})
        insert_rows(connection, WorkItem, ("id", "kind", "status", "summary", "due_on"),
                    [("W1", "denial", "open", "s", date(2026, 5, 1))],
                    {"practice_id": practice, "created_at": NOW})
        update_rows(connection, WorkItem, ("status", "due_on"), "id",
                    [("done", date(2026, 6, 1), "W1")])
        uow.commit()
    with db.uow(practice) as uow:
        entries = list(uow.session.scalars(select(JournalEntryRow).order_by(JournalEntryRow.id)))
        assert [(e.id, e.effective_on, e.created_at, e.memo) for e in entries] == [
            ("E1", date(2026, 3, 2), NOW, "m"), ("E2", date(2026, 3, 3), NOW, "m")]
        amounts = list(uow.session.scalars(select(PostingRow.amount).order_by(PostingRow.seq)))
        assert amounts == [Decimal("150.25"), Decimal("-150.25")]
        item = uow.session.scalars(select(WorkItem)).one()
        assert (item.status, item.due_on, item.created_at) == ("done", date(2026, 6, 1), NOW)


def test_bad_columns_and_rows_are_refused_before_anything_is_sent(db: Database) -> None:
    practice = new_practice(db)
    with db.uow(practice) as uow:
        connection = uow.session.connection()
        with pytest.raises(ValueError, match="no column nope"):
            insert_rows(connection, WorkItem, ("id", "nope"), [("W1", "x")])
        with pytest.raises(ValueError, match="row 1 has 1 values for 2 columns"):
            insert_rows(connection, WorkItem, ("id", "kind"), [("W1", "x"), ("W2",)])
        with pytest.raises(ValueError, match="at most two decimal places"):
            insert_rows(connection, PostingRow, ("entry_id", "account", "amount",
                                                 "account_kind"),
                        [("E1", "cash", Decimal("1.001"), "cash")], {"practice_id": practice})
        with pytest.raises(TypeError, match="not float"):
            insert_rows(connection, PostingRow, ("entry_id", "account", "amount",
                                                 "account_kind"),
                        [("E1", "cash", 1.5, "cash")], {"practice_id": practice})
        insert_rows(connection, WorkItem, ("id",), [])  # nothing to write is not an error
        assert uow.session.scalars(select(WorkItem)).all() == []


@pytest.mark.parametrize(("per", "limit"), [(3, 30_000), (500, 10), (1, 30_000)])
def test_rows_are_written_in_chunks_in_order(db: Database, monkeypatch: pytest.MonkeyPatch,
                                             per: int, limit: int) -> None:
    """Multi-row statements of ``per`` rows (fewer when the parameter limit says so), the rest
    in one shorter statement: every row written once, in the order given."""
    monkeypatch.setattr(bulk, "ROWS_PER_STATEMENT", per)
    monkeypatch.setattr(bulk, "_MAX_PARAMETERS", limit)
    practice = new_practice(db)
    legs = [(f"E{n // 2}", f"acct{n}", Decimal(n + 1) / 100, "cash") for n in range(8)]
    with db.uow(practice) as uow:
        connection = uow.session.connection()
        insert_rows(connection, JournalEntryRow, ("id", "kind", "effective_on", "refs"),
                    [(f"E{n}", "charge", date(2026, 3, 2), "{}") for n in range(4)],
                    {"practice_id": practice, "memo": "m", "created_by": "u",
                     "created_at": NOW})
        insert_rows(connection, PostingRow, ("entry_id", "account", "amount", "account_kind"),
                    legs, {"practice_id": practice})
        uow.commit()
    with db.uow(practice) as uow:
        stored = uow.session.execute(select(
            PostingRow.entry_id, PostingRow.account, PostingRow.amount, PostingRow.account_kind,
            PostingRow.practice_id).order_by(PostingRow.seq)).all()
    assert [tuple(row) for row in stored] == [(*leg, practice) for leg in legs]
