"""999 typed view: per-set verdicts, IK3/IK4 locations, group totals."""

from __future__ import annotations

from pathlib import Path

from openrcm.x12.parser import parse
from openrcm.x12.views.acknowledgment import acknowledgment_of

CORPUS = Path(__file__).parent / "conformance" / "fixtures"


def test_partial_acceptance_with_located_errors() -> None:
    (tx,) = parse((CORPUS / "999/fail/staedi--simple999.edi").read_bytes()).transactions()
    ack = acknowledgment_of(tx)
    assert (ack.functional_group, ack.group_control, ack.version) == ("HC", "17456",
                                                                        "005010X222")
    assert ack.group_status == "P"
    assert (ack.included, ack.received, ack.accepted_count) == (3, 3, 1)
    first, second, third = ack.results
    assert first.accepted and first.set_id == "837" and first.control == "0001"
    assert not second.accepted and second.codes == ("5",)
    (clm,) = second.errors
    assert (clm.segment_id, clm.position, clm.code) == ("CLM", 22, "8")
    (element,) = clm.elements
    assert (element.position, element.reference, element.code) == (2, "782", "1")
    (ref,) = third.errors
    assert (ref.segment_id, ref.position, ref.code, ref.elements) == ("REF", 57, "3", ())
    assert ack.result_for("0003") is third and ack.result_for("9999") is None
