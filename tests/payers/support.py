"""Synthetic claims written as real 837P files for the payer tests (invented people); the
claims themselves come from ``tests.support.claims``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from openrcm.claims import model as m
from openrcm.claims.model import Claim, Payer
from openrcm.claims.x837 import Party, write_837
from openrcm.x12.builders.envelope import Envelope
from tests.support.claims import (
    ADDRESS,
    CLINIC,
    DOS,
    NPI,
    PATIENT,
    PRIMARY,
    SECONDARY,
    D,
    claim,
    line,
)

__all__ = ["BLUE", "DOS", "NPI", "PRIMARY", "SECONDARY", "TODAY", "D", "claim", "elsewhere",
           "facility", "line", "revenue", "with_npi", "x837"]
TODAY = date(2026, 3, 10)


def x837(*claims: Claim, control: int = 1) -> str:
    env = Envelope("CLINIC", "OPENRCMSIM", control, control, TODAY, "1200")
    return write_837(list(claims), env, Party("SIM CLINIC", "CLINIC", "BILLING", "5555550100"),
                     Party("OPENRCM SIM", "OPENRCMSIM"), control)


def with_npi(c: Claim, npi: str) -> Claim:
    return replace(c, billing_provider=replace(CLINIC, npi=npi))


def elsewhere(c: Claim) -> Claim:
    """The claim sent to a payer the simulator does not have (a 277CA rejection, A3:116)."""
    return replace(c, coverage=replace(c.coverage, payer=Payer("NOPE", "NO SUCH PAYER")))


HOSPITAL = m.Provider("1245319599", "SIM HOSPITAL", is_organization=True,
                      tax_id="376543210", address=ADDRESS)
BLUE = m.Coverage(Payer("DBCB1", "DEMO BLUE CROSS"), m.Responsibility.PRIMARY, PATIENT, "BCX1")


def revenue(line_id: str, code: str, procedure: str, charge: str, units: int = 1,
            day: date = DOS) -> m.ServiceLine:
    """A facility line: revenue code, HCPCS code or none, charge and units (days for 01xx)."""
    return m.ServiceLine(line_id, procedure, D(charge), day, units=D(units), pointers=(),
                         revenue_code=code)


def facility(claim_id: str, *lines: m.ServiceLine, type_of_bill: str = "111",
             days: int = 3) -> Claim:
    """An inpatient (or, with type of bill 131, outpatient) claim of the hospital, admitted on
    ``DOS`` for ``days`` days: a room-and-board, a pharmacy and a lab line by default."""
    inst = m.Institutional(type_of_bill, admission_type="1", admission_source="1",
                           patient_status="01", admission_date=DOS, admission_hour="09",
                           discharge_hour="14", statement_from=DOS,
                           statement_to=date.fromordinal(DOS.toordinal() + days),
                           attending=m.Provider("1679576722", "CUT", first_name="RAFA"))
    return Claim(claim_id, m.ClaimKind.INSTITUTIONAL, HOSPITAL, BLUE, PATIENT,
                 (m.Diagnosis("J18.9", "Y"), m.Diagnosis("I10", "Y")),
                 lines or (revenue(f"{claim_id}R1", "0120", "", "3750.00", days),
                           revenue(f"{claim_id}R2", "0250", "", "412.50"),
                           revenue(f"{claim_id}R3", "0301", "80053", "45.00")),
                 institutional=inst)
