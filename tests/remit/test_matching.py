"""Matching 835 service lines to billed lines: facility lines paid by revenue code (SVC01
``NU``) find the billed line with that revenue code, whether or not it had a procedure code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from openrcm.remit.matching import match_line
from openrcm.remit.model import ExpectedLine
from openrcm.x12.views.remittance import ServicePayment

DAY = date(2026, 1, 10)
BILLED = (
    ExpectedLine("room", "", D("2400.00"), DAY, revenue_code="0120"),
    ExpectedLine("lab", "80053", D("45.00"), date(2026, 1, 11), revenue_code="0300"),
    ExpectedLine("drug-a", "", D("61.20"), DAY, revenue_code="0250"),
    ExpectedLine("drug-b", "", D("12.00"), DAY, revenue_code="0250"),
)


def _svc(qualifier: str, code: str, charge: str, **more: object) -> ServicePayment:
    return ServicePayment(qualifier, code, D(charge), D(0), **more)  # type: ignore[arg-type]


def _found(svc: ServicePayment, taken: frozenset[str] = frozenset()) -> str | None:
    match = match_line(svc, BILLED, set(taken))
    return None if match.found is None else match.found.line_id  # type: ignore[union-attr]


def test_a_revenue_code_line_finds_the_billed_line_with_that_revenue_code() -> None:
    assert _found(_svc("NU", "0120", "2400.00")) == "room"
    assert _found(_svc("NU", "0300", "45.00")) == "lab"  # paid at revenue-code level
    assert _found(_svc("NU", "0121", "2400.00")) is None


def test_a_procedure_line_still_matches_by_procedure_and_date() -> None:
    assert _found(_svc("HC", "80053", "45.00", revenue_code="0300",
                       service_date=date(2026, 1, 11))) == "lab"
    assert _found(_svc("HC", "80053", "45.00", service_date=DAY)) is None  # another day
    assert _found(_svc("HC", "0120", "2400.00")) is None  # a revenue code is not a procedure


def test_two_lines_with_one_revenue_code_are_told_apart_by_charge_or_taken() -> None:
    assert _found(_svc("NU", "0250", "12.00")) == "drug-b"
    assert _found(_svc("NU", "0250", "99.00", service_date=DAY)) is None  # ambiguous
    assert match_line(_svc("NU", "0250", "99.00"), BILLED, set()).ambiguous
    assert _found(_svc("NU", "0250", "99.00"), frozenset({"drug-a"})) == "drug-b"


def test_the_submitted_code_decides_when_the_payer_adjudicated_another() -> None:
    recoded = _svc("HC", "80048", "45.00", submitted=("NU", "0300"))
    assert _found(recoded) == "lab"
