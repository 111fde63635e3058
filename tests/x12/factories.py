"""Synthetic typed values for builder and property tests (no real people)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openrcm.x12.builders.envelope import Envelope
from openrcm.x12.views.claim import Claim, ClaimFile, Diagnosis, Line, Provider, Subscriber
from openrcm.x12.views.common import Address, Entity

ENVELOPE = Envelope("SUBMITTER01", "RECEIVER01", 101, 7, date(2024, 5, 6), "1015")
ADDRESS = Address("1 MAIN ST", "", "SPRINGFIELD", "IL", "627010001")
BILLING = Provider(Entity("85", "GOOD HEALTH CLINIC", id_qualifier="XX", id="1234567893",
                          address=ADDRESS), "EI", "123456789", "207Q00000X")
SUBSCRIBER = Subscriber(Entity("IL", "DOE", "JANE", person=True, id_qualifier="MI",
                               id="W123456789", address=ADDRESS),
                        "P", "18", "GRP01", "", "", "CI", "19800101", "F")
PAYER = Entity("PR", "ACME HEALTH PLAN", id_qualifier="PI", id="ACME1")


def line(code: str = "99213", charge: str = "125.00", pointers: tuple[int, ...] = (1,),
         quantity: str = "1") -> Line:
    """One office-visit style service line."""
    return Line(code=code, charge=Decimal(charge), quantity=Decimal(quantity),
                place_of_service="11", pointers=pointers, service_date="20240501",
                control_number=f"L{code}")


def claim(claim_id: str = "PCN001", lines: tuple[Line, ...] | None = None,
          diagnoses: tuple[Diagnosis, ...] | None = None) -> Claim:
    """A professional claim whose charge is the sum of its lines."""
    lines = lines if lines is not None else (line(), line("36415", "15.00"))
    diagnoses = diagnoses if diagnoses is not None else (
        Diagnosis("ABK", "E119"), Diagnosis("ABF", "I10"))
    return Claim(billing_provider=BILLING, subscriber=SUBSCRIBER, payer=PAYER, id=claim_id,
                 charge=sum((ln.charge for ln in lines), Decimal("0")), facility_code="11",
                 patient_signature="P", diagnoses=diagnoses, lines=lines,
                 prior_authorization="AUTH77")


def claim_file(claims: tuple[Claim, ...] | None = None, control: str = "0001") -> ClaimFile:
    """An 837P transaction with the given claims."""
    return ClaimFile(control=control, kind="professional",
                     submitter=Entity("41", "GOOD HEALTH CLINIC", id_qualifier="46", id="S123"),
                     receiver=Entity("40", "CLEARINGHOUSE", id_qualifier="46", id="R456"),
                     claims=claims if claims is not None else (claim(),), reference="BATCH1",
                     created="20240506", time="1015",
                     submitter_contact=("BILLING DESK", "TE", "5555550100"))
