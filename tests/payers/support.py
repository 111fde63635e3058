"""Synthetic claims written as real 837P files for the payer tests (invented people)."""

from __future__ import annotations

from dataclasses import replace
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
from openrcm.claims.x837 import Party, write_837
from openrcm.x12.builders.envelope import Envelope

D = Decimal
DOS = date(2026, 3, 2)
TODAY = date(2026, 3, 10)
NPI = "1234567893"
ADDRESS = Address("1 MAIN ST", "SPRINGFIELD", "IL", "627011234")
CLINIC = Provider(NPI, "SIM CLINIC", is_organization=True, tax_id="123456789",
                  address=ADDRESS)
PATIENT = Person("PT1", "DOE", "ALEX", date(1970, 1, 1), "F", ADDRESS)
PPO = Payer("SIMPPO", "SIMULATED PPO")
SUPP = Payer("SIMSUPP", "SIMULATED SUPPLEMENT")
PRIMARY = Coverage(PPO, Responsibility.PRIMARY, PATIENT, "M100")
SECONDARY = Coverage(SUPP, Responsibility.SECONDARY, PATIENT, "S100")


def line(line_id: str, code: str, charge: str, *modifiers: str) -> ServiceLine:
    return ServiceLine(line_id, code, D(charge), DOS, modifiers=modifiers)


def claim(claim_id: str, *lines: ServiceLine, dx: str = "M17.11",
          coverage: Coverage = PRIMARY, others: tuple[Coverage, ...] = ()) -> Claim:
    return Claim(claim_id, ClaimKind.PROFESSIONAL, CLINIC, coverage, PATIENT,
                 (Diagnosis(dx),), lines or (line(f"{claim_id}L1", "99213", "150.00"),),
                 other_coverages=others)


def x837(*claims: Claim, control: int = 1) -> str:
    env = Envelope("CLINIC", "OPENRCMSIM", control, control, TODAY, "1200")
    return write_837(list(claims), env, Party("SIM CLINIC", "CLINIC", "BILLING", "5555550100"),
                     Party("OPENRCM SIM", "OPENRCMSIM"), control)


def with_npi(c: Claim, npi: str) -> Claim:
    return replace(c, billing_provider=replace(CLINIC, npi=npi))
