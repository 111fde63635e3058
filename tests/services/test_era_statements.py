"""ERA posting talks to the database a fixed number of times per piece, however many claims a
piece holds: no statement per claim or row (what made 100,000-claim files slow), and no
payer-claim-number query when every CLP01 names a claim."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from openrcm.services import payer_loop
from openrcm.services.payer_loop import post_era
from openrcm.store.db import Database
from tests.services.payer_loop_world import build, era, payment
from tests.store.fixtures import db

__all__ = ["db"]


@contextmanager
def _statements(database: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(database.engine, "before_cursor_execute", record)


def _post(database: Database, claims: int, per_piece: int,
          monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(payer_loop, "CLAIMS_PER_CHUNK", per_piece)
    w = build(database, count=claims)
    content = era(*(payment(c.id, "99213", "150.00", "80.00", ("CO", "45", "40.00"),
                            ("PR", "2", "30.00"), pcn=f"PCN{n}")
                    for n, c in enumerate(w.claims)), trace=f"T{claims}")
    with _statements(database) as seen:
        result = post_era(w.ctx, content)
    assert result.remittances[0].posted == claims
    return seen


def test_statements_per_piece_do_not_grow_with_the_claims_in_it(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    small = _post(db, 3, 1, monkeypatch)  # three pieces of one claim
    large = _post(db, 9, 3, monkeypatch)  # three pieces of three claims
    assert len(large) == len(small)
    assert not any("payer_claim_control_number IN" in s for s in large)
