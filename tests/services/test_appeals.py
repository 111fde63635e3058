"""Appeal letters of denial work items: the stored claim facts, rendered as a real PDF."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from openrcm.cli.main import app
from openrcm.security.roles import Role
from openrcm.services import practice as p
from openrcm.services import records
from openrcm.services import schemas as s
from openrcm.services.appeals import appeal_letter_pdf
from openrcm.services.context import Actor, Ctx
from openrcm.services.errors import Forbidden, InvalidInput, NotFound
from openrcm.services.payer_loop import post_era
from openrcm.store.db import Database
from openrcm.store.models import WorkItem
from tests.services.payer_loop_world import World, build, cli_world, era, payment
from tests.store.fixtures import db

__all__ = ["db"]


def pdf_text(pdf: bytes, tmp: Path) -> str:
    """The text of a PDF as pdftotext (poppler) extracts it."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.fail("pdftotext (poppler-utils) is needed to read the letter back")
    path = tmp / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run([tool, "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def denied(db: Database) -> tuple[World, str]:
    """A world whose first claim was denied CO-50 by an 835; the denial work item's id."""
    w = build(db)
    post_era(w.ctx, era(payment(w.claims[0].id, "99213", "150.00", "0", ("CO", "50", "150.00"),
                                status="4", pcn="PAYERCN77")))
    with db.uow(w.ctx.actor.practice_id) as uow:
        item = uow.session.scalar(select(WorkItem.id).where(WorkItem.kind == "denial"))
    assert item is not None
    return w, item


def test_letter_of_a_posted_denial_has_the_claim_facts(db: Database, tmp_path: Path) -> None:
    w, item = denied(db)
    text = pdf_text(appeal_letter_pdf(w.ctx, item), tmp_path)
    for fact in (f"Claim: {w.claims[0].id}", "Payer claim number: PAYERCN77",
                 "Patient: Quenby Zorovich", "Member id: M100", "Date of service: 2026-03-02",
                 "Service: 99213, billed 150.00", "CO-50", "1 Main St, Springfield, IL 62701-1234",
                 "Request for reconsideration"):
        assert fact in text, fact


def test_only_denials_of_this_practice_have_letters(db: Database) -> None:
    w, _ = denied(db)
    other = records.create(w.ctx, p.WORK_ITEMS, s.WorkItemIn(
        kind="follow_up", claim_id=w.claims[0].id, summary="call payer")).id
    with pytest.raises(InvalidInput, match="not the denial of a claim"):
        appeal_letter_pdf(w.ctx, other)
    odd = records.create(w.ctx, p.WORK_ITEMS, s.WorkItemIn(
        kind="denial", claim_id=w.claims[0].id, summary="denied, no code")).id
    with pytest.raises(InvalidInput, match="does not name a CARC denial"):
        appeal_letter_pdf(w.ctx, odd)
    with pytest.raises(NotFound):
        appeal_letter_pdf(w.ctx, "00000000-0000-4000-8000-000000000000")


def test_front_desk_may_not_read_letters(db: Database) -> None:
    w, item = denied(db)
    desk = Ctx(db=w.ctx.db, cipher=w.ctx.cipher, actor=Actor(
        user_id="desk", practice_id=w.ctx.actor.practice_id,
        roles=frozenset({Role.FRONT_DESK})))
    with pytest.raises(Forbidden):
        appeal_letter_pdf(desk, item)


def test_cli_writes_the_letter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``openrcm appeal letter --work-item W -o FILE`` writes the PDF; --json says where."""
    w = cli_world(tmp_path, monkeypatch)
    post_era(w.ctx, era(payment(w.claims[0].id, "99213", "150.00", "0", ("CO", "50", "150.00"),
                                status="4")))
    with w.ctx.db.uow(w.ctx.actor.practice_id) as uow:
        item = uow.session.scalar(select(WorkItem.id).where(WorkItem.kind == "denial"))
    out = tmp_path / "appeal.pdf"
    result = CliRunner().invoke(app, ["appeal", "letter", "--practice", w.ctx.actor.practice_id,
                                      "--work-item", str(item), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["file"] == str(out)
    assert "Patient: Quenby Zorovich" in pdf_text(out.read_bytes(), tmp_path)
    refused = CliRunner().invoke(app, ["appeal", "letter", "--practice",
                                       w.ctx.actor.practice_id, "--work-item", "nope", "-o",
                                       str(tmp_path / "x.pdf"), "--json"])
    assert refused.exit_code == 1 and json.loads(refused.output)["error"] == "not_found"
    assert not (tmp_path / "x.pdf").exists()
