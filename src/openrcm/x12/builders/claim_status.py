"""Write a 276 claim status request (005010X212) from typed values.

A 276 asks a payer about claims already sent: it names the payer (2100A), who asks (2100B),
the billing provider (2100C), the subscriber (2000D/2100D) and, when the patient is a
dependent, the patient (2000E/2100E); each claim (2200D/2200E) is identified by a trace number
plus what the payer can match on — the patient control number (CLM01), the payer's claim
number, charge and service dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openrcm.x12.builders.eligibility import Person
from openrcm.x12.builders.envelope import Body, BuildError, Envelope, interchange
from openrcm.x12.views.common import Entity, fmt, nm1_segment, trim, ymd

GUIDE = "005010X212"


@dataclass(frozen=True, slots=True)
class ClaimQuery:
    """One claim to ask about.

    Attributes:
        trace: TRN02, echoed in the 277 to match the answer.
        patient_control: REF*EJ, the CLM01 the claim was sent with.
        payer_claim: REF*1K, the payer's claim control number when known.
        bill_type: REF*BLT institutional type of bill (837I claims).
        charge: AMT*T3 total claim charge.
        service_start / service_end: DTP*472 (D8 when equal or no end, RD8 otherwise).
    """

    trace: str
    charge: Decimal
    service_start: date
    service_end: date | None = None
    patient_control: str = ""
    payer_claim: str = ""
    bill_type: str = ""


@dataclass(frozen=True, slots=True)
class ClaimStatusInquiry:
    """Everything one 276 transaction set carries.

    Attributes:
        payer: NM1*PR (``PI`` payer id). receiver: NM1*41 (``46`` ETIN).
        provider: NM1*1P (``XX`` NPI).
        subscriber: the insured, with member id; birth date/gender go in 2000D DMG.
        dependent: the patient when not the subscriber (2000E).
        claims: the claims asked about (at least one).
        reference: BHT03. created: BHT04. time: BHT05 ``HHMM``.
    """

    payer: Entity
    receiver: Entity
    provider: Entity
    subscriber: Person
    claims: tuple[ClaimQuery, ...]
    reference: str
    created: date
    time: str
    dependent: Person | None = None


def _dmg(person: Person) -> Body:
    if person.birth_date is None:
        return []
    return [trim(["DMG", "D8", ymd(person.birth_date), person.gender])]


def _claim(claim: ClaimQuery) -> Body:
    if not claim.trace:
        raise BuildError("claim trace (TRN02) is required")
    body: Body = [["TRN", "1", claim.trace]]
    for qualifier, value in (("1K", claim.payer_claim), ("BLT", claim.bill_type),
                             ("EJ", claim.patient_control)):
        if value:
            body.append(["REF", qualifier, value])
    body.append(["AMT", "T3", fmt(claim.charge)])
    end = claim.service_end
    if end is None or end == claim.service_start:
        body.append(["DTP", "472", "D8", ymd(claim.service_start)])
    elif end < claim.service_start:
        raise BuildError("claim service_end is before service_start (DTP*472)")
    else:
        body.append(["DTP", "472", "RD8", f"{ymd(claim.service_start)}-{ymd(end)}"])
    return body


def _check(inquiry: ClaimStatusInquiry) -> None:
    if not inquiry.claims:
        raise BuildError("at least one claim is required")
    if not inquiry.subscriber.member_id or not inquiry.subscriber.last:
        raise BuildError("subscriber last name and member_id (2100D NM103/NM109) are required")
    if inquiry.dependent is not None and not inquiry.dependent.last:
        raise BuildError("dependent last name (2100E NM103) is required")
    if len(inquiry.time) != 4 or not inquiry.time.isdigit():
        raise BuildError("time must be HHMM (BHT05)")


def claim_status_body(inquiry: ClaimStatusInquiry) -> Body:
    """The ST..SE body (without ST/SE) of a 276 for one inquiry."""
    _check(inquiry)
    sub, dep = inquiry.subscriber, inquiry.dependent
    body: Body = [
        ["BHT", "0010", "13", inquiry.reference, ymd(inquiry.created), inquiry.time],
        ["HL", "1", "", "20", "1"], nm1_segment(inquiry.payer),
        ["HL", "2", "1", "21", "1"], nm1_segment(inquiry.receiver),
        ["HL", "3", "2", "19", "1"], nm1_segment(inquiry.provider),
        ["HL", "4", "3", "22", "1" if dep else "0"], *_dmg(sub),
        trim(["NM1", "IL", "1", sub.last, sub.first, sub.middle, "", sub.suffix, "MI",
              sub.member_id]),
    ]
    if dep is not None:
        body += [["HL", "5", "4", "23"], *_dmg(dep),
                 trim(["NM1", "QC", "1", dep.last, dep.first, dep.middle, "", dep.suffix])]
    for claim in inquiry.claims:
        body += _claim(claim)
    return body


def write_276(inquiry: ClaimStatusInquiry, envelope: Envelope, control: str) -> str:
    """A complete interchange holding one 276 with ST02 = ``control``."""
    return interchange(envelope, "HR", GUIDE, [("276", control, claim_status_body(inquiry))])
