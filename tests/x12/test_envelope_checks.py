"""Envelope checks a HIPAA front end makes before reading the body: the guide named in GS08/ST03."""

from __future__ import annotations

import json
from datetime import date

import pytest

from openrcm.findings import Finding, Severity
from openrcm.x12.ack import acknowledge
from openrcm.x12.builders.claim import write_claim_files
from openrcm.x12.jsonio import document_from_json, document_to_json
from openrcm.x12.parser import parse
from openrcm.x12.views.acknowledgment import acknowledgment_of
from openrcm.x12.views.claim import claim_file_of
from openrcm.x12.writer import write_bytes

from .factories import ENVELOPE, claim, claim_file


def _claim_text() -> str:
    return write_claim_files([claim_file((claim("PCN1"),))], ENVELOPE)


def _errors(text: str) -> list[Finding]:
    return [f for f in parse(text).all_findings() if f.severity is Severity.ERROR]


def test_the_claim_factory_is_clean() -> None:
    assert _errors(_claim_text()) == []


def test_an_addendum_openrcm_does_not_hold_is_rejected_with_ik5_i6() -> None:
    text = _claim_text().replace("005010X222A1", "005010X222A2")
    errors = _errors(text)
    assert [(f.code, f.location["element"]) for f in errors] == [("X12-ST-GUIDE", "ST03")]
    # parsed against the sibling guide: body findings are still reported
    broken = text.replace("CLM*PCN1*", "CLM*PCN1*X", 1)
    assert {f.code for f in _errors(broken)} > {"X12-ST-GUIDE"}
    acks = acknowledge(parse(text), 1, date(2026, 11, 3), "1200")
    assert acks.ack_999 is not None
    result = next(r for tx in parse(acks.ack_999).transactions()
                  for r in acknowledgment_of(tx).results)
    assert not result.accepted
    assert "IK5*R*I6" in acks.ack_999


def test_a_group_version_naming_no_guide_is_i6_not_unsupported_set() -> None:
    text = _claim_text().replace("005010X222A1", "005010")
    assert [f.code for f in _errors(text)] == ["X12-ST-GUIDE"]


def _ack_999(text: str) -> str:
    acks = acknowledge(parse(text), 1, date(2026, 11, 3), "1200")
    assert acks.ack_999 is not None
    return acks.ack_999


def test_st03_must_repeat_gs08() -> None:
    text = _claim_text().replace("ST*837*0001*005010X222A1~", "ST*837*0001*005010X222~")
    assert "ST*837*0001*005010X222~" in text
    errors = _errors(text)
    assert [(f.code, f.location["element"]) for f in errors] == [
        ("X12-ELEM-CODE-NOT-USED", "ST03")]
    assert "IK3*ST*1**8~IK4*3*1705*I6" in _ack_999(text).replace("\n", "")


def test_st01_must_belong_to_the_gs01_group() -> None:
    text = _claim_text().replace("GS*HC*", "GS*HP*", 1)
    errors = _errors(text)
    assert [(f.code, f.location["element"]) for f in errors] == [("X12-ST-ID", "ST01")]
    assert "IK5*R*6" in _ack_999(text)


def test_a_byte_order_mark_before_isa_is_an_error_and_still_round_trips() -> None:
    raw = b"\xef\xbb\xbf" + _claim_text().encode()
    document = parse(raw)
    assert [(f.code, f.severity) for f in document.findings] == [
        ("X12-ISA-CONTENT", Severity.ERROR)]
    assert write_bytes(document) == raw
    tree = json.loads(json.dumps(document_to_json(document)))
    assert write_bytes(document_from_json(tree)) == raw
    assert parse("\r\n" + _claim_text()).findings == []


def test_n402_must_be_a_state_or_province_code() -> None:
    text = _claim_text()
    n4 = next(seg.strip() for seg in text.split("~") if seg.strip().startswith("N4*"))
    state = n4.split("*")[2]
    assert [f.code for f in _errors(text.replace(n4, n4.replace(f"*{state}*", "*ON*")))] == []
    bad = _errors(text.replace(n4, n4.replace(f"*{state}*", "*NP*")))
    assert bad and {(f.code, f.location["element"]) for f in bad} == {("X12-ELEM-CODE", "N402")}


@pytest.mark.parametrize(("old", "new"), [
    ("*", "|"),          # element separator
    ("~\n", "\n"),       # segment terminator (a line break)
    ("~\n", "!\r\n"),    # terminator and line break
    (":", ">"),          # ISA16 component separator
    ("^", "!"),          # ISA11 repetition separator
])
def test_a_second_interchange_with_other_delimiters_is_read_with_its_own(
        old: str, new: str) -> None:
    """Inbox files concatenate interchanges of different senders, each with its own ISA."""
    first = _claim_text()
    raw = (first + first.replace(old, new)).encode("ascii")
    document = parse(raw)
    assert [f for f in document.all_findings() if f.severity is Severity.ERROR] == []
    one, two = document.interchanges
    assert (one.delimiters.element, one.delimiters.segment, one.delimiters.component) == \
        ("*", "~", ":")
    assert two.delimiters != one.delimiters
    first_view, second_view = (claim_file_of(tx) for tx in document.transactions())
    assert first_view == second_view == claim_file_of(next(parse(first).transactions()))
    assert write_bytes(document) == raw
    tree = json.loads(json.dumps(document_to_json(document)))
    assert write_bytes(document_from_json(tree)) == raw
