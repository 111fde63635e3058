"""Provider-side inquiries: a 270 eligibility request and a 276 claim status request.

Values in, X12 out; control numbers and the date come from the caller (services keeps the
counter), so the same inputs always give the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openrcm.x12.builders.envelope import Body, Envelope, interchange
from openrcm.x12.views.common import fmt, trim, ymd


@dataclass(frozen=True, slots=True)
class Inquiry:
    """Who asks whom about which member.

    Attributes:
        payer_id / payer_name: the payer (2100A). provider_npi / provider_name: the asking
        provider (2100B). member_id, last_name, first_name, birth_date: the subscriber
        (2100C). trace: our reference echoed back in the 271/277 (TRN02).
    """

    payer_id: str
    payer_name: str
    provider_npi: str
    provider_name: str
    member_id: str
    last_name: str
    first_name: str
    birth_date: date | None
    trace: str


def _parties(q: Inquiry) -> Body:
    return [["NM1", "PR", "2", q.payer_name, "", "", "", "", "PI", q.payer_id],
            ["HL", "2", "1", "21", "1"],
            ["NM1", "1P", "2", q.provider_name, "", "", "", "", "XX", q.provider_npi],
            ["HL", "3", "2", "22", "0"]]


def eligibility_270(q: Inquiry, envelope: Envelope, on: date, service_type: str = "30") -> str:
    """A 270 for one subscriber, service type ``service_type`` (30: plan coverage)."""
    body: Body = [["BHT", "0022", "13", q.trace, ymd(envelope.created), envelope.time],
                  ["HL", "1", "", "20", "1"], *_parties(q),
                  ["TRN", "1", q.trace, "9OPENRCM00"],
                  trim(["NM1", "IL", "1", q.last_name, q.first_name, "", "", "", "MI",
                        q.member_id])]
    if q.birth_date is not None:
        body.append(["DMG", "D8", ymd(q.birth_date)])
    body += [["DTP", "291", "D8", ymd(on)], ["EQ", service_type]]
    return interchange(envelope, "HS", "005010X279A1", [("270", "0001", body)])


@dataclass(frozen=True, slots=True)
class StatusQuery:
    """One claim asked about: our claim id, the payer's number if known, charge, dates."""

    claim_id: str
    charge: Decimal
    service_from: date
    service_to: date | None = None
    payer_control: str = ""


def status_276(q: Inquiry, envelope: Envelope, claims: list[StatusQuery]) -> str:
    """A 276 asking the status of ``claims`` of one subscriber."""
    body: Body = [["BHT", "0010", "13", q.trace, ymd(envelope.created), envelope.time],
                  ["HL", "1", "", "20", "1"], *_parties(q)[:1],
                  ["HL", "2", "1", "21", "1"],
                  ["NM1", "41", "2", q.provider_name, "", "", "", "", "46", q.provider_npi],
                  ["HL", "3", "2", "19", "1"],
                  ["NM1", "1P", "2", q.provider_name, "", "", "", "", "XX", q.provider_npi],
                  ["HL", "4", "3", "22", "0"],
                  ["DMG", "D8", ymd(q.birth_date)] if q.birth_date else ["DMG", "D8", ""],
                  trim(["NM1", "IL", "1", q.last_name, q.first_name, "", "", "", "MI",
                        q.member_id])]
    if q.birth_date is None:
        body.pop(-2)
    for n, claim in enumerate(claims, start=1):
        body.append(["TRN", "1", f"{q.trace}-{n}"])
        if claim.payer_control:
            body.append(["REF", "1K", claim.payer_control])
        body.append(["REF", "EJ", claim.claim_id])
        body.append(["AMT", "T3", fmt(claim.charge)])
        end = claim.service_to or claim.service_from
        body.append(["DTP", "472", "RD8", f"{ymd(claim.service_from)}-{ymd(end)}"])
    return interchange(envelope, "HR", "005010X212", [("276", "0001", body)])
