"""Fetching responses takes files out of the inbox for good, so a caller who may not apply
them (post 835s and acknowledgments) is refused before anything is fetched."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from openrcm.payers.directory.adapter import DirectoryAdapter
from openrcm.security.roles import Role
from openrcm.services.errors import Forbidden
from openrcm.services.payer_loop import fetch_responses
from openrcm.store.db import Database
from tests.services.payer_loop_world import build, era, payment
from tests.store.fixtures import db

__all__ = ["db"]


def test_front_desk_cannot_fetch_and_the_inbox_keeps_its_files(
        db: Database, tmp_path: Path) -> None:
    w = build(db)
    adapter = DirectoryAdapter(tmp_path / "ch")
    (adapter.inbox / "835-1.x12").write_bytes(era(payment(
        w.claims[0].id, "99213", "150.00", "100.00", ("CO", "45", "50.00"))))
    desk = replace(w.ctx, actor=replace(w.ctx.actor, roles=frozenset({Role.FRONT_DESK})))
    with pytest.raises(Forbidden):
        fetch_responses(desk, adapter)
    assert [p.name for p in adapter.inbox.iterdir() if p.is_file()] == ["835-1.x12"]
    biller = replace(w.ctx, actor=replace(w.ctx.actor, roles=frozenset({Role.BILLER})))
    (posted,) = fetch_responses(biller, adapter).remittances
    assert posted.remittances[0].posted == 1
