"""837P guide edits that need more than one element: the billing provider street address."""

from __future__ import annotations

import pytest

from openrcm.findings import Severity
from openrcm.x12.builders.claim import write_claim_files
from openrcm.x12.edits.x222 import is_po_box
from openrcm.x12.parser import parse

from .factories import ENVELOPE, claim, claim_file


@pytest.mark.parametrize("street", ["PO BOX 123", "P O BOX 45", "P.O. Box 5", "POB 12",
                                    "PO BX 4", "Post Office Box 9", "LOCKBOX 77", "Lock Box 1"])
def test_po_and_lock_boxes_are_recognized(street: str) -> None:
    assert is_po_box(street)


@pytest.mark.parametrize("street", ["1 POPLAR ST", "12 POBLANO WAY", "123 MAIN ST", "BOXWOOD LN",
                                    ""])
def test_street_addresses_are_not_boxes(street: str) -> None:
    assert not is_po_box(street)


def test_billing_provider_po_box_is_an_n301_error() -> None:
    text = write_claim_files([claim_file((claim("PCN1"),))], ENVELOPE)
    street = next(seg.strip() for seg in text.split("~") if seg.strip().startswith("N3*"))
    bad = text.replace(street, "N3*PO BOX 12", 1)
    findings = [f for f in parse(bad).all_findings() if f.severity is Severity.ERROR]
    assert [(f.code, f.location["loop"], f.location["element"]) for f in findings] == [
        ("X12-ELEM-EDIT", "2010AA", "N301")]
