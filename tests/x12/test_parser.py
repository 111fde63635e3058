"""Parser + validator: samples are clean; each kind of damage gives its located finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from openrcm.findings import Finding, Severity, has_errors
from openrcm.x12.parser import iter_transactions, parse
from openrcm.x12.writer import write_bytes

from .conftest import sample, samples

GOOD = "multiple-claims-single-check.edi"


def _errors(raw: bytes) -> list[Finding]:
    return [f for f in parse(raw).all_findings() if f.severity is Severity.ERROR]


def _codes(raw: bytes) -> set[str]:
    return {f.code for f in _errors(raw)}


@pytest.mark.parametrize("path", samples("835") + samples("837p"), ids=lambda p: p.name)
def test_tr3_samples_parse_round_trip_and_validate_clean(path: Path) -> None:
    raw = path.read_bytes()
    doc = parse(raw)
    assert write_bytes(doc) == raw
    assert not has_errors(doc.all_findings()), [f.message for f in doc.all_findings()]


def test_835_loop_tree() -> None:
    tx = next(parse(sample("835", GOOD)).transactions())
    assert tx.guide is not None and tx.guide.id == "005010X221A1"
    claims = list(tx.body.loops("2100"))
    assert len(claims) == sample("835", GOOD).count(b"~CLP*") == 9
    assert [len(list(c.loops("2110"))) for c in claims][:3] == [5, 2, 5]
    assert [loop.id for loop in tx.body.children if not hasattr(loop, "elements")][:2] == [
        "1000A", "1000B"]


def test_837p_hierarchy_nests_subscriber_claims_and_lines() -> None:
    tx = next(parse(sample("837p", "commercial-health-insurance.edi")).transactions())
    billing = next(tx.body.loops("2000A"))
    subscriber = next(billing.loops("2000B"))
    claim = next(subscriber.loops("2300"))
    assert claim.first("CLM") is not None
    assert len(list(claim.loops("2400"))) >= 1


def test_se_count_and_control_mismatch() -> None:
    raw = sample("835", GOOD).replace(b"SE*", b"SE*9", 1)
    codes = _codes(raw)
    assert "X12-SE-COUNT" in codes
    raw = sample("835", GOOD).replace(b"*35681~GE", b"*35682~GE")
    assert "X12-SE-CONTROL" in _codes(raw)


def test_group_and_interchange_trailers() -> None:
    raw = sample("835", GOOD).replace(b"GE*1*278", b"GE*2*279")
    assert {"X12-GE-COUNT", "X12-GE-CONTROL"} <= _codes(raw)
    raw = sample("835", GOOD).replace(b"IEA*1*000000195", b"IEA*3*000000196")
    assert {"X12-IEA-COUNT", "X12-IEA-CONTROL"} <= _codes(raw)


def test_missing_trailers_are_reported() -> None:
    raw = sample("835", GOOD)
    cut = raw[: raw.index(b"SE*")]
    assert {"X12-SE-MISSING", "X12-GE-MISSING", "X12-IEA-MISSING"} <= _codes(cut)


def test_isa_fixed_widths_and_date() -> None:
    raw = sample("835", GOOD).replace(b"*140401*0820*", b"*140431*0820*", 1)
    assert "X12-ISA-DATE" in _codes(raw)
    raw = sample("835", GOOD).replace(b"*ZZ*123456789      *", b"*ZZ*123456789 *", 1)
    assert "X12-ISA-SENDER" in _codes(raw)


def test_unexpected_segment_stays_in_tree_and_parsing_goes_on() -> None:
    raw = sample("835", GOOD).replace(b"LX*1~", b"LX*1~CLM*X*1~", 1)
    doc = parse(raw)
    errors = [f for f in doc.all_findings() if f.code == "X12-SEG-UNEXPECTED"]
    assert errors and errors[0].location["segment_id"] == "CLM"
    assert write_bytes(doc) == raw
    assert len(list(next(doc.transactions()).body.loops("2100"))) == 9


def test_unrecognized_segment_id() -> None:
    raw = sample("835", GOOD).replace(b"LX*1~", b"LX*1~ZZZ*1~", 1)
    assert "X12-SEG-UNRECOGNIZED" in _codes(raw)


def test_missing_required_segment_is_located_in_its_loop() -> None:
    raw = sample("835", GOOD).replace(b"N4*CENTERVILLE*PA*17111~", b"", 1)
    raw = raw.replace(b"SE*", b"SE*", 1)
    missing = [f for f in _errors(raw) if f.code == "X12-SEG-MISSING"]
    assert missing and missing[0].location["loop"] == "1000A"


def test_element_errors_are_located() -> None:
    raw = sample("835", GOOD).replace(b"DTM*472*20140324~", b"DTM*472*20140332~", 1)
    bad = [f for f in _errors(raw) if f.code == "X12-ELEM-DATE"]
    assert bad and bad[0].location["element"] == "DTM02" and bad[0].location["loop"] == "2110"
    raw = sample("835", GOOD).replace(b"CAS*CO*131*21~", b"CAS*QQ*131*21~", 1)
    assert "X12-ELEM-CODE" in _codes(raw)
    raw = sample("835", GOOD).replace(b"TRN*1*12345*1512345678~", b"TRN*1**1512345678~", 1)
    assert "X12-ELEM-MISSING" in _codes(raw)


def test_835_balancing_edits() -> None:
    raw = sample("835", GOOD).replace(b"BPR*I*810.8*", b"BPR*I*810.9*", 1)
    bpr = [f for f in _errors(raw) if f.location.get("element") == "BPR02"]
    assert bpr and "BPR02" in bpr[0].message
    raw = sample("835", GOOD).replace(b"CAS*CO*131*21~", b"CAS*CO*131*20~", 1)
    elements = {f.location.get("element") for f in _errors(raw) if f.code == "X12-ELEM-EDIT"}
    assert {"SVC03", "CLP04"} <= elements


def test_837p_situational_edits() -> None:
    raw = sample("837p", "commercial-health-insurance.edi")
    tx_text = raw.decode("latin-1")
    clm_start = tx_text.index("CLM*")
    clm_end = tx_text.index("~", clm_start)
    clm = tx_text[clm_start:clm_end].split("*")
    clm[2] = str(float(clm[2]) + 1)
    broken = (tx_text[:clm_start] + "*".join(clm) + tx_text[clm_end:]).encode("latin-1")
    assert any(f.location.get("element") == "CLM02" for f in _errors(broken))


def test_streaming_keeps_no_transactions() -> None:
    raw = sample("835", GOOD)
    txs = list(iter_transactions(raw))
    assert len(txs) == 1 and txs[0].set_id == "835"


def test_garbage_is_a_finding_not_an_exception() -> None:
    doc = parse(b"this is not x12")
    assert [f.code for f in doc.all_findings()] == ["X12-ISA-STRUCTURE"]
