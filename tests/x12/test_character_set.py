"""Text outside the X12 character sets: a located IK403 6 error, and the bytes still round-trip."""

from __future__ import annotations

from datetime import date

import pytest

from openrcm.findings import Severity
from openrcm.x12.ack import acknowledge
from openrcm.x12.builders.claim import write_claim_files
from openrcm.x12.parser import parse
from openrcm.x12.writer import write_bytes

from .factories import ENVELOPE, claim, claim_file


def _claim_bytes(last_name: bytes) -> bytes:
    text = write_claim_files([claim_file((claim("PCN1"),))], ENVELOPE).encode("ascii")
    assert b"*IL*1*DOE*JANE" in text
    return text.replace(b"*IL*1*DOE*JANE", b"*IL*1*" + last_name + b"*JANE", 1)


@pytest.mark.parametrize("name", ["MU\u00d1OZ".encode(), "MU\u00d1OZ".encode("latin-1"),
                                  b"DOE\x07"])
def test_a_byte_outside_the_character_set_is_a_located_error(name: bytes) -> None:
    raw = _claim_bytes(name)
    document = parse(raw)
    assert write_bytes(document) == raw
    errors = [f for f in document.all_findings() if f.severity is Severity.ERROR]
    assert [(f.code, f.location["segment_id"], f.location["element"]) for f in errors] == [
        ("X12-ELEM-CHAR", "NM1", "NM103")]
    expected = "control character" if name.endswith(b"\x07") else "non-ASCII character"
    assert expected in errors[0].message
    assert "MU" not in errors[0].message  # the value itself (PHI) is never quoted
    ack = acknowledge(document, 1, date(2026, 11, 3), "1200").ack_999
    assert ack is not None and "IK4*3*1035*6~" in ack


def test_the_extended_character_set_is_accepted() -> None:
    raw = _claim_bytes(b"o'brien-smith & sons")
    assert [f for f in parse(raw).all_findings() if f.severity is Severity.ERROR] == []
