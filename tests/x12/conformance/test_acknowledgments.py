"""The 999 openrcm writes for each known-bad sample, read back: IK3/IK4 where the manifest says.

This closes the loop a submitter sees: the file goes out, the 999 comes back, and the IK3
segment position, IK4 element position and codes point at the error the TR3 names.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from openrcm.x12.ack import acknowledge
from openrcm.x12.parser import parse
from openrcm.x12.views.acknowledgment import SetResult, acknowledgment_of
from tests.x12.conformance.corpus import Expected, data_of, entries, expected_errors, params


def _in_999(expected: Expected) -> bool:
    """Errors a 999 can point at: a segment position, or a transaction set code (IK502)."""
    return expected.position is not None or (expected.level == "transaction"
                                              and bool(expected.codes))


def _located(entry: dict[str, Any]) -> bool:
    return bool(entry["parses"]) and any(_in_999(e) for e in expected_errors(entry))


def _element_position(element: str) -> tuple[int, int | None]:
    """``N403`` -> (3, None); ``STC01-3`` -> (1, 3)."""
    found = re.fullmatch(r"[A-Z0-9]{2,3}?(\d{2})(?:-(\d+))?", element)
    assert found, element
    return int(found.group(1)), int(found.group(2)) if found.group(2) else None


def _reported(expected: Expected, results: list[SetResult]) -> bool:
    """True when the 999 reports the error: IK502..IK506 for a transaction-level error (a set
    has no IK3 for its own ST/SE envelope problems), else an IK3 and, for an element, its IK4."""
    if expected.level == "transaction":
        return any(code in expected.codes for r in results for code in r.codes)
    for ik3 in (e for r in results for e in r.errors):
        if ik3.position != expected.position or ik3.segment_id != expected.segment_id:
            continue
        if expected.element is None:
            return not expected.codes or ik3.code in expected.codes
        position, component = _element_position(expected.element)
        for ik4 in ik3.elements:
            if ik4.position == position and component in (None, ik4.component):
                return not expected.codes or ik4.code in expected.codes
    return False


@pytest.mark.parametrize("entry", params("ack", [e for e in entries() if _located(e)]))
def test_999_locates_the_expected_errors(entry: dict[str, Any]) -> None:
    acks = acknowledge(parse(data_of(entry)), 1, date(2026, 11, 3), "1200")
    assert acks.ack_999 is not None
    results = [r for tx in parse(acks.ack_999).transactions()
               for r in acknowledgment_of(tx).results]
    assert results and not all(r.accepted for r in results)
    located = [e for e in expected_errors(entry) if _in_999(e)]
    missing = [f"{e.segment_id}@{e.position} {e.element} {e.codes}" for e in located
               if not _reported(e, results)]
    assert not missing, (missing, [(r.codes, [(e.segment_id, e.position, e.code,
                                               [(i.position, i.component, i.code)
                                                for i in e.elements]) for e in r.errors])
                                   for r in results])
