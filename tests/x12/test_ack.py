"""999 / TA1 generation: verdicts and located errors, and the 999 validates itself."""

from __future__ import annotations

from datetime import date

from openrcm.findings import has_errors
from openrcm.x12.ack import acknowledge
from openrcm.x12.parser import parse

from .conftest import sample

GOOD = sample("835", "multiple-claims-single-check.edi")


def _ack(raw: bytes) -> tuple[str, str | None]:
    result = acknowledge(parse(raw), 42, date(2024, 2, 3), "0800")
    assert result.ack_999 is not None
    doc = parse(result.ack_999)
    assert not has_errors(doc.all_findings()), doc.all_findings()
    return result.ack_999, result.ta1


def _segments(text: str) -> list[str]:
    return [s for s in text.split("~") if s]


def test_clean_input_is_accepted() -> None:
    ack, ta1 = _ack(GOOD)
    segs = _segments(ack)
    assert "AK1*HP*278*005010X221A1" in segs
    assert "AK2*835*35681" in segs and "IK5*A" in segs and "AK9*A*1*1*1" in segs
    assert ta1 is None
    assert segs[0].startswith("ISA*00*          *00*          *ZZ*987654321      *ZZ*123456789")


def test_element_error_is_reported_in_ik3_ik4() -> None:
    bad = GOOD.replace(b"DTM*472*20140324~", b"DTM*472*20140332~", 1)
    segs = _segments(_ack(bad)[0])
    assert "IK3*DTM*16*2110*8" in segs
    assert "IK4*2*373*8" in segs
    assert "IK5*R*5" in segs and "AK9*R*1*1*0" in segs


def test_transaction_level_errors_fill_ik5() -> None:
    bad = GOOD.replace(b"SE*", b"SE*9", 1)
    segs = _segments(_ack(bad)[0])
    assert "IK5*R*4" in segs


def test_missing_segment_is_ik3_code_3() -> None:
    bad = GOOD.replace(b"N4*CENTERVILLE*PA*17111~", b"", 1)
    ack = _ack(bad)[0]
    assert any(s.startswith("IK3*N1*") and s.endswith("*1000A*3") for s in _segments(ack))


def test_bad_interchange_gets_a_ta1() -> None:
    bad = GOOD.replace(b"IEA*1*000000195", b"IEA*1*000000196")
    _, ta1 = _ack(bad)
    assert ta1 is not None and "TA1*000000195*140401*0820*R*001" in ta1


def test_not_x12_has_no_acknowledgment() -> None:
    result = acknowledge(parse(b"hello"), 1, date(2024, 1, 1), "0000")
    assert result.ack_999 is None and result.ta1 is None
