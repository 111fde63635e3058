"""The demo practice's first payer round, as a new user runs it: every ready claim goes to the
simulator, is acknowledged by the payer it was billed to (the simulator knows every demo
payer: none is rejected as sent to an unknown payer), is paid, and every 835 posts without a
person. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openrcm.payers.simulator.adapter import SimulatorAdapter
from openrcm.payers.simulator.config import default_config
from openrcm.security.phi import PhiCipher, generate_key
from openrcm.security.roles import Role
from openrcm.services import demo
from openrcm.services.context import Actor, Ctx
from openrcm.services.payer_loop import fetch_responses, kpis, submit
from openrcm.store.db import Database
from tests.store.fixtures import db

__all__ = ["db"]
SIM_DAY = date(2026, 3, 10)


def test_every_demo_payer_is_a_simulated_payer() -> None:
    routed = {code for code, _, _, _, route in demo.PAYERS if route == "simulator"}
    assert routed and routed <= set(default_config().payers)


def test_demo_claims_go_round_the_loop_without_unknown_payer_rejections(
        db: Database, tmp_path: Path) -> None:
    cipher = PhiCipher([generate_key()])
    summary = demo.load(db, cipher, patients=12)
    ctx = Ctx(db=db, cipher=cipher,
              actor=Actor(user_id="tester", practice_id=summary.practices[demo.PRACTICES[0]],
                          roles=frozenset({Role.ADMIN})))
    sim = SimulatorAdapter(tmp_path / "sim", today=lambda: SIM_DAY)
    batch = submit(ctx, sim)
    assert batch is not None and batch.claims
    acks = fetch_responses(ctx, sim).acks
    assert sum(len(a.accepted) for a in acks if a.kind == "999") == len(batch.claims)
    reasons = [r for a in acks if a.kind == "277CA" for rs in a.rejected.values() for r in rs]
    assert not any("incorrect payer" in r for r in reasons)
    assert sim.pay() >= 1
    posted = fetch_responses(ctx, sim).remittances
    assert posted and all(r.exceptions == [] for f in posted for r in f.remittances)
    out = kpis(ctx)
    assert out.claims == out.auto_posted > 0
