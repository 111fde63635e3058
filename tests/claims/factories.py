"""Synthetic claims for the claims tests: one clean claim and small variations of it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

from openrcm.claims.model import (
    Address,
    Claim,
    ClaimKind,
    Coverage,
    Diagnosis,
    Institutional,
    Payer,
    Person,
    Provider,
    Responsibility,
    ServiceLine,
)

DOS = date(2025, 3, 10)
AS_OF = date(2025, 3, 20)

BILLING = Provider(
    npi="1234567893",
    name="Maple Family Practice",
    is_organization=True,
    tax_id="123456789",
    tax_id_kind="EI",
    taxonomy="207Q00000X",
    address=Address("100 Main St", "Springfield", "IL", "627011234"),
)
RENDERING = Provider(npi="1111111112", name="Rivera", first_name="Ana", taxonomy="207Q00000X")
PATIENT = Person(
    "P1",
    "Testperson",
    "Alex",
    date(1980, 5, 17),
    "F",
    Address("12 Oak Ave", "Springfield", "IL", "62702"),
)
PAYER = Payer(
    "ACME1",
    "Acme Health",
    filing_indicator="CI",
    timely_filing_days=90,
    address=Address("PO Box 1", "Chicago", "IL", "60601"),
)
COVERAGE = Coverage(
    PAYER,
    Responsibility.PRIMARY,
    PATIENT,
    "ACM123456",
    group_number="G77",
    effective=date(2025, 1, 1),
)


def line(procedure: str = "99213", **kw: Any) -> ServiceLine:
    base: dict[str, Any] = {
        "line_id": f"L-{procedure}",
        "procedure": procedure,
        "charge": Decimal("120.00"),
        "service_date": DOS,
    }
    base.update(kw)
    return ServiceLine(**base)


def claim(**kw: Any) -> Claim:
    """A clean professional claim; keyword arguments replace fields."""
    base = Claim(
        claim_id="ENC1001",
        kind=ClaimKind.PROFESSIONAL,
        billing_provider=BILLING,
        rendering_provider=RENDERING,
        coverage=COVERAGE,
        patient=PATIENT,
        diagnoses=(Diagnosis("E11.9"), Diagnosis("I10")),
        lines=(line("99213", pointers=(1, 2)), line("81002", charge=Decimal("15.00"))),
    )
    return replace(base, **kw)


def institutional(**kw: Any) -> Claim:
    """A clean inpatient institutional claim."""
    attending = Provider(npi="1999999992", name="Chen", first_name="Li")
    base = claim(
        kind=ClaimKind.INSTITUTIONAL,
        diagnoses=(Diagnosis("J18.9", "Y"), Diagnosis("E11.9", "Y")),
        lines=(
            line("", revenue_code="0120", charge=Decimal("3000.00"), units=Decimal(3), pointers=()),
            line("80053", revenue_code="0300", charge=Decimal("90.00"), pointers=()),
        ),
        institutional=Institutional(
            type_of_bill="111",
            admission_type="1",
            admission_source="7",
            patient_status="01",
            admission_date=DOS,
            admission_hour="10",
            discharge_hour="14",
            statement_from=DOS,
            statement_to=date(2025, 3, 13),
            attending=attending,
        ),
    )
    return replace(base, **kw)
