"""Synthetic billed claims (``openrcm.claims.model.Claim``) for the tests of any package: one
clinic, one patient (invented), a primary PPO and a secondary supplement."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openrcm.claims.model import (
    Address,
    Claim,
    ClaimKind,
    Coverage,
    Diagnosis,
    Payer,
    Person,
    Provider,
    Responsibility,
    ServiceLine,
)

D = Decimal
DOS = date(2026, 3, 2)
NPI = "1234567893"
ADDRESS = Address("1 MAIN ST", "SPRINGFIELD", "IL", "627011234")  # ZIP+4, as 837P 2010AA wants
CLINIC = Provider(NPI, "SIM CLINIC", is_organization=True, tax_id="123456789",
                  address=ADDRESS)
PATIENT = Person("PT1", "DOE", "ALEX", date(1970, 1, 1), "F", ADDRESS)
PPO = Payer("SIMPPO", "SIMULATED PPO")
SUPP = Payer("SIMSUPP", "SIMULATED SUPPLEMENT")
PRIMARY = Coverage(PPO, Responsibility.PRIMARY, PATIENT, "M100")
SECONDARY = Coverage(SUPP, Responsibility.SECONDARY, PATIENT, "S100")


def line(line_id: str, code: str, charge: str, *modifiers: str) -> ServiceLine:
    """A service line on the usual date of service."""
    return ServiceLine(line_id, code, D(charge), DOS, modifiers=modifiers)


def claim(claim_id: str, *lines: ServiceLine, dx: str = "M17.11",
          coverage: Coverage = PRIMARY, others: tuple[Coverage, ...] = ()) -> Claim:
    """A professional claim of the clinic for the patient (one 99213 line by default)."""
    return Claim(claim_id, ClaimKind.PROFESSIONAL, CLINIC, coverage, PATIENT,
                 (Diagnosis(dx),), lines or (line(f"{claim_id}L1", "99213", "150.00"),),
                 other_coverages=others)
