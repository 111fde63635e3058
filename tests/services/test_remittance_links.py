"""Which claim payment of a posted 835 paid which claim and line: stored, read back (service,
CLI, across pieces), confined to the practice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from openrcm.cli.payer_loop import payer_loop_app
from openrcm.services import payer_loop
from openrcm.services.errors import InvalidInput, NotFound
from openrcm.services.payer_loop import post_era
from openrcm.services.remittances import remittance_detail
from openrcm.store.db import Database
from openrcm.store.models import ClaimLine
from tests.services.payer_loop_world import D, World, build, cli_world, era, payment
from tests.store.fixtures import db

__all__ = ["db"]


def _line_ids(database: Database, w: World) -> dict[str, str]:
    with database.uow(w.ctx.actor.practice_id) as uow:
        return {claim: line for line, claim in uow.session.execute(
            select(ClaimLine.id, ClaimLine.claim_id))}


def test_each_claim_payment_names_the_claim_and_line_it_paid_across_pieces(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(payer_loop, "CLAIMS_PER_CHUNK", 1)  # positions run on across pieces
    w = build(db, count=2)
    first, second = w.claims
    content = era(payment(first.id, "99213", "150.00", "80.00", ("CO", "45", "40.00"),
                          ("PR", "2", "30.00")),
                  payment("NOT-OURS", "99213", "150.00", "70.00", ("CO", "45", "80.00"),
                          pcn="PCNX"),
                  payment(second.id, "99213", "150.00", "100.00", ("CO", "45", "50.00"),
                          pcn="PCN2"))
    posted = post_era(w.ctx, content).remittances[0]
    lines = _line_ids(db, w)
    detail = remittance_detail(w.ctx, posted.remittance_id)
    assert (detail.claims_total, detail.total_amount, detail.trace_number) == (
        3, posted.amount, "EFT1")
    got = [(c.position, c.claim_id, c.outcome, c.exception, c.paid, c.payer_control,
            [(ln.claim_line_id, ln.procedure, ln.paid) for ln in c.lines])
           for c in detail.claims]
    assert got == [
        (1, first.id, "posted", "", D("80.00"), "PCN1", [(lines[first.id], "99213", D(80))]),
        (2, None, "exception", "REMIT-CLAIM-UNMATCHED", D(70), "PCNX", [(None, "99213", D(70))]),
        (3, second.id, "posted", "", D(100), "PCN2", [(lines[second.id], "99213", D(100))]),
    ]
    page = remittance_detail(w.ctx, posted.remittance_id, offset=1, limit=1)
    assert [c.position for c in page.claims] == [2] and page.claims_total == 3
    assert post_era(w.ctx, content).remittances[0].remittance_id == posted.remittance_id


def test_a_reversal_and_its_repost_are_both_linked(db: Database) -> None:
    w = build(db)
    claim = w.claims[0]
    post_era(w.ctx, era(payment(claim.id, "99213", "150.00", "80.00", ("CO", "45", "40.00"),
                                ("PR", "2", "30.00")), trace="T1"))
    result = post_era(w.ctx, era(
        payment(claim.id, "99213", "-150.00", "-80.00", ("CO", "45", "-40.00"),
                ("PR", "2", "-30.00"), status="22"),
        payment(claim.id, "99213", "150.00", "90.00", ("CO", "45", "40.00"),
                ("PR", "2", "20.00"), pcn="PCN2"), trace="T2", control=2))
    detail = remittance_detail(w.ctx, result.remittances[0].remittance_id)
    assert [(c.outcome, c.claim_id, c.status) for c in detail.claims] == [
        ("reversal", claim.id, "22"), ("posted", claim.id, "1")]
    assert detail.claims[0].lines[0].claim_line_id is None  # nothing of it is paid again
    assert detail.claims[1].lines[0].claim_line_id == _line_ids(db, w)[claim.id]


def test_another_practices_remittance_is_not_found_and_pages_are_bounded(db: Database) -> None:
    w = build(db)
    other = build(db)
    posted = post_era(w.ctx, era(payment(w.claims[0].id, "99213", "150.00", "80.00",
                                         ("CO", "45", "70.00"))))
    remittance = posted.remittances[0].remittance_id
    with pytest.raises(NotFound):
        remittance_detail(other.ctx, remittance)
    with pytest.raises(NotFound):
        remittance_detail(w.ctx, "no-such-remittance")
    with pytest.raises(InvalidInput):
        remittance_detail(w.ctx, remittance, limit=0)
    with pytest.raises(InvalidInput):
        remittance_detail(w.ctx, remittance, offset=-1)


def test_era_show_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    w = cli_world(tmp_path, monkeypatch)
    path = tmp_path / "one.835"
    path.write_bytes(era(payment(w.claims[0].id, "99213", "150.00", "80.00",
                                 ("CO", "45", "70.00"))))
    runner = CliRunner()
    result = runner.invoke(payer_loop_app, ["era", "post", str(path), "--json"])
    assert result.exit_code == 0, result.output
    remittance = json.loads(result.output)[0]["remittances"][0]["remittance_id"]
    result = runner.invoke(payer_loop_app, ["era", "show", remittance, "--json"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["claims"][0]["claim_id"] == w.claims[0].id
    assert shown["claims"][0]["outcome"] == "posted"
    result = runner.invoke(payer_loop_app, ["era", "show", remittance])
    assert result.exit_code == 0, result.output
    assert f"claim {w.claims[0].id}" in result.output and "SVC 1 99213" in result.output
    result = runner.invoke(payer_loop_app, ["era", "show", "nope", "--json"])
    assert result.exit_code != 0
