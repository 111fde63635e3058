"""Facility claims' operating physician, condition codes and admitting diagnosis: in the 837I
(accepted by openrcm's validator and pyx12, read back by the typed view) and on the UB-04."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from openrcm.claims.forms import ub04_pages
from openrcm.claims.forms.values import FormError
from openrcm.claims.model import (
    Accident,
    Claim,
    Occurrence,
    OccurrenceSpan,
    Provider,
    ValueCode,
)
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


OCCURRENCES = (Occurrence("11", date(2025, 3, 1)), Occurrence("A1", date(2025, 3, 2)))
SPANS = (OccurrenceSpan("70", date(2025, 2, 1), date(2025, 2, 5)),)
VALUES = tuple(ValueCode(f"{n:02d}", Decimal(n) + Decimal("0.50")) for n in range(1, 14))


def _coded() -> Claim:
    claim = _stay(("A1",))
    assert claim.institutional is not None
    return replace(claim, institutional=replace(
        claim.institutional, occurrences=OCCURRENCES, occurrence_spans=SPANS, values=VALUES))


def test_837i_carries_occurrence_span_and_value_codes(tmp_path: Path) -> None:
    text = _write(_coded())
    assert errors(text) == []
    accepted, ack = pyx12_accepts(text, tmp_path)
    assert accepted, ack
    (tx,) = list(parse(text).transactions())
    (read,) = claim_file_of(tx).claims
    codes = {q: [c for c in read.other_codes if c.qualifier == q] for q in ("BH", "BI", "BE")}
    assert [(c.code, c.date_format, c.date) for c in codes["BH"]] == [
        ("11", "D8", "20250301"), ("A1", "D8", "20250302")]
    assert [(c.code, c.date_format, c.date) for c in codes["BI"]] == [
        ("70", "RD8", "20250201-20250205")]
    assert [(c.code, c.amount) for c in codes["BE"]] == [(v.code, v.amount) for v in VALUES]
    # 13 value codes: two HI*BE segments (12 a segment); span, occurrence, value, condition.
    segments = (seg.strip() for seg in text.split("~"))
    his = [seg.split("*")[1][:2] for seg in segments if seg.startswith("HI*")]
    assert his[-5:] == ["BI", "BH", "BE", "BE", "BG"]


def test_ub04_prints_occurrence_span_and_value_codes() -> None:
    claim = _coded()
    assert claim.institutional is not None
    fitting = replace(claim, institutional=replace(claim.institutional, values=VALUES[:12]))
    (page,) = ub04_pages(fitting, date(2025, 3, 20))
    boxes = page.boxes
    assert (boxes["31a.code"], boxes["31a.date"]) == ("11", "030125")
    assert (boxes["32a.code"], boxes["32a.date"]) == ("A1", "030225")
    assert (boxes["35a.code"], boxes["35a.from"], boxes["35a.to"]) == ("70", "020125", "020525")
    assert (boxes["39a.code"], boxes["39a.amount"]) == ("01", "1 50")
    assert (boxes["40a.code"], boxes["41d.code"], boxes["41d.amount"]) == ("02", "12", "12 50")


def test_ub04_refuses_more_value_codes_than_it_holds() -> None:
    with pytest.raises(FormError, match="13 value codes, the UB-04 holds 12"):
        ub04_pages(_coded(), date(2025, 3, 20))


def test_ub04_accident_is_an_occurrence_code_before_the_others() -> None:
    claim = replace(_coded(), accident=Accident("AA", date(2025, 2, 28), "IL"))
    assert claim.institutional is not None
    claim = replace(claim, institutional=replace(claim.institutional, values=()))
    (page,) = ub04_pages(claim, date(2025, 3, 20))
    assert [page.boxes[f"{b}a.code"] for b in ("31", "32", "33")] == ["01", "11", "A1"]
    assert "34a.code" not in page.boxes
