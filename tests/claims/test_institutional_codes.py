"""Facility claims' operating physician, condition codes and admitting diagnosis: in the 837I
(accepted by openrcm's validator and pyx12, read back by the typed view) and on the UB-04."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from openrcm.claims.forms import ub04_pages
from openrcm.claims.model import Claim, Provider
from openrcm.claims.x837 import Party, write_837
from openrcm.x12.builders.envelope import Envelope
from openrcm.x12.parser import parse
from openrcm.x12.views.claim import claim_file_of
from tests.claims.factories import institutional
from tests.claims.test_x837 import errors, pyx12_accepts

OPERATING = Provider("1234567893", "Surgeon", "Anna")
CONDITIONS = (*(f"{n:02d}" for n in range(1, 14)), "A1")  # 14: two HI*BG segments


def _stay(conditions: tuple[str, ...] = CONDITIONS) -> Claim:
    claim = institutional()
    assert claim.institutional is not None
    return replace(claim, institutional=replace(
        claim.institutional, operating=OPERATING, condition_codes=conditions,
        admitting_diagnosis="J18.9"))


def _write(claim: Claim) -> str:
    return write_837([claim], Envelope("SENDER1", "RECEIVER1", 7, 7, date(2025, 3, 20), "1200"),
                     Party("Billing", "SENDER1", "Desk", "5555551234"),
                     Party("Clearing", "RECEIVER1"), 7)


def test_837i_carries_operating_physician_and_condition_codes(tmp_path: Path) -> None:
    text = _write(_stay())
    assert errors(text) == []
    accepted, ack = pyx12_accepts(text, tmp_path)
    assert accepted, ack
    (tx,) = list(parse(text).transactions())
    (read,) = claim_file_of(tx).claims
    assert [c.code for c in read.other_codes if c.qualifier == "BG"] == list(CONDITIONS)
    assert [d.code for d in read.diagnoses if d.qualifier == "ABJ"] == ["J189"]
    operating = [p for p in read.providers if p.entity == "72"]
    assert [(p.id, p.last, p.first) for p in operating] == [("1234567893", "SURGEON", "ANNA")]


def test_no_condition_codes_no_hi_bg() -> None:
    text = _write(institutional())
    assert "BG:" not in text and "NM1*72" not in text


def test_ub04_prints_condition_codes_admitting_dx_and_operating() -> None:
    (page,) = ub04_pages(_stay(CONDITIONS[:11]), date(2025, 3, 20))
    boxes = page.boxes
    assert [boxes[str(n)] for n in range(18, 29)] == list(CONDITIONS[:11])
    assert boxes["69"] == "J189"
    assert boxes["77.npi"] == "1234567893" and boxes["77.name"] == "SURGEON ANNA"
