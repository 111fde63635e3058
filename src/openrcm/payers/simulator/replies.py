"""What the simulated payer writes back: 999, 277CA, 835, 271 and 277 interchanges.

Each function takes the values and the envelope (control numbers and date chosen by the
caller) and returns X12 text; the 835 goes through ``openrcm.x12.builders.remittance``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openrcm.payers.simulator.config import Member, PayerRules
from openrcm.payers.simulator.intake import Rejection
from openrcm.x12.builders.envelope import Body, Envelope, interchange
from openrcm.x12.views.claim import Claim
from openrcm.x12.views.common import fmt, trim, ymd


@dataclass(frozen=True, slots=True)
class TransactionAck:
    """One received transaction set: its ST02 and the element errors found (for IK3/IK4)."""

    control: str
    errors: tuple[tuple[str, int, str], ...] = ()  # (segment id, position, message)


def ack_999(envelope: Envelope, group_control: str, guide: str,
            transactions: list[TransactionAck]) -> str:
    """A 999 accepting or rejecting each received 837 transaction set."""
    body: Body = [["AK1", "HC", group_control, guide]]
    accepted = 0
    for tx in transactions:
        body.append(["AK2", "837", tx.control, guide])
        for segment, position, _message in tx.errors[:10]:
            body.append(["IK3", segment, str(position), "", "8"])
        if tx.errors:
            body.append(["IK5", "R", "5"])
        else:
            accepted += 1
            body.append(["IK5", "A"])
    code = "A" if accepted == len(transactions) else ("R" if accepted == 0 else "P")
    body.append(["AK9", code, str(len(transactions)), str(len(transactions)), str(accepted)])
    return interchange(envelope, "FA", "005010X231A1", [("999", "0001", body)])


@dataclass(frozen=True, slots=True)
class ClaimAck:
    """The 277CA answer for one claim: accepted with the payer's number, or the rejections."""

    claim: Claim
    payer_control: str
    rejections: tuple[Rejection, ...] = ()


def ack_277ca(envelope: Envelope, payer: PayerRules | None, payer_id: str, on: date,
              acks: list[ClaimAck]) -> str:
    """A 277CA: one HL for the payer, receiver, each billing provider and each claim."""
    day = ymd(on)
    body: Body = [["BHT", "0085", "08", f"SIM{envelope.interchange_control}", day, "1200", "TH"],
                  ["HL", "1", "", "20", "1"],
                  trim(["NM1", "PR", "2", payer.name if payer else "UNKNOWN PAYER", "", "", "",
                        "", "PI", payer_id or "UNKNOWN"]),
                  ["TRN", "1", str(envelope.interchange_control)],
                  ["DTP", "050", "D8", day], ["DTP", "009", "D8", day],
                  ["HL", "2", "1", "21", "1"],
                  ["NM1", "41", "2", "OPENRCM PAYER SIMULATOR", "", "", "", "", "46", "SIM"],
                  ["TRN", "2", str(envelope.interchange_control)],
                  ["STC", "A1:19:PR", day, "WQ", fmt(sum((a.claim.charge for a in acks),
                                                         Decimal(0)))]]
    hl = 2
    by_npi: dict[str, list[ClaimAck]] = {}
    for ack in acks:
        by_npi.setdefault(ack.claim.billing_provider.entity.id, []).append(ack)
    for npi, group in by_npi.items():
        hl += 1
        provider_hl = hl
        body += [["HL", str(hl), "2", "19", "1"],
                 trim(["NM1", "85", "2", "BILLING PROVIDER", "", "", "", "", "XX", npi or "0"]),
                 ["TRN", "1", "0"]]
        for ack in group:
            hl += 1
            body += [["HL", str(hl), str(provider_hl), "PT"],
                     trim(["NM1", "QC", "1", "PATIENT", "", "", "", "", "MI",
                           ack.claim.subscriber.entity.id or "UNKNOWN"]),
                     ["TRN", "2", ack.claim.id]]
            if ack.rejections:
                for rej in ack.rejections:
                    status = ":".join(p for p in (rej.category, rej.status, rej.entity) if p)
                    body.append(["STC", status, day, "U", fmt(ack.claim.charge)])
            else:
                body += [["STC", "A2:20", day, "WQ", fmt(ack.claim.charge)],
                         ["REF", "1K", ack.payer_control]]
    return interchange(envelope, "HN", "005010X214", [("277", "0001", body)])


def eligibility_271(envelope: Envelope, payer: PayerRules, trace: str, member_id: str,
                    member: Member | None, service_type: str, deductible_met: Decimal) -> str:
    """A 271 for one subscriber: active or not, deductible and out-of-pocket, copay and
    coinsurance for the service type; AAA*75 when the member is unknown."""
    body: Body = [["BHT", "0022", "11", trace or "0", ymd(envelope.created), "1200"],
                  ["HL", "1", "", "20", "1"],
                  ["NM1", "PR", "2", payer.name, "", "", "", "", "PI", payer.payer_id],
                  ["HL", "2", "1", "21", "1"],
                  ["NM1", "1P", "2", "PROVIDER", "", "", "", "", "SV", "SIM"],
                  ["HL", "3", "2", "22", "0"]]
    if trace:
        body.append(["TRN", "2", trace, "9OPENRCMSM"])
    body.append(trim(["NM1", "IL", "1", member.last_name if member else "", member.first_name
                      if member else "", "", "", "", "MI", member_id]))
    if member is None:
        body.append(["AAA", "Y", "", "75", "C"])
        return interchange(envelope, "HB", "005010X279A1", [("271", "0001", body)])
    if not member.active:
        body.append(["EB", "6", "", "30"])
        return interchange(envelope, "HB", "005010X279A1", [("271", "0001", body)])
    met = max(member.deductible_met, deductible_met)
    oop_met = member.oop_met + met
    body += [["EB", "1", "", "30", "", payer.name],
             ["EB", "C", "IND", "30", "", "", "23", fmt(payer.deductible)],
             ["EB", "C", "IND", "30", "", "", "29", fmt(max(payer.deductible - met,
                                                            Decimal(0)))]]
    if payer.oop_max:
        body += [["EB", "G", "IND", "30", "", "", "23", fmt(payer.oop_max)],
                 ["EB", "G", "IND", "30", "", "", "29", fmt(max(payer.oop_max - oop_met,
                                                                Decimal(0)))]]
    copay = max(payer.copays.values(), default=Decimal(0))
    if copay:
        body.append(["EB", "B", "IND", service_type, "", "", "27", fmt(copay)])
    body.append(["EB", "A", "IND", service_type, "", "", "27", "", fmt(payer.coinsurance)])
    return interchange(envelope, "HB", "005010X279A1", [("271", "0001", body)])


def unknown_payer_271(envelope: Envelope, payer_id: str, trace: str) -> str:
    """The clearinghouse's 271 for a payer it does not route to: the whole inquiry rejected at
    the information source (2100A AAA 79, invalid participant identification)."""
    body: Body = [["BHT", "0022", "11", trace or "0", ymd(envelope.created), "1200"],
                  ["HL", "1", "", "20", "0"],
                  ["NM1", "PR", "2", "UNKNOWN PAYER", "", "", "", "", "PI", payer_id or "NONE"],
                  ["AAA", "N", "", "79", "C"]]
    return interchange(envelope, "HB", "005010X279A1", [("271", "0001", body)])


@dataclass(frozen=True, slots=True)
class StatusAnswer:
    """One claim's status for a 277: category:code, amounts, payer number."""

    trace: str
    claim_id: str
    status: str
    charge: Decimal
    paid: Decimal
    payer_control: str
    on: date | None


def status_277(envelope: Envelope, payer: PayerRules, answers: list[StatusAnswer]) -> str:
    """A 277 answering 276 inquiries, one HL per claim."""
    day = ymd(envelope.created)
    body: Body = [["BHT", "0010", "08", f"SIM{envelope.interchange_control}", day, "1200", "DG"],
                  ["HL", "1", "", "20", "1"],
                  ["NM1", "PR", "2", payer.name, "", "", "", "", "PI", payer.payer_id],
                  ["HL", "2", "1", "21", "1"],
                  ["NM1", "41", "2", "PRACTICE", "", "", "", "", "46", "SIM"],
                  ["HL", "3", "2", "19", "1"],
                  ["NM1", "1P", "2", "PROVIDER", "", "", "", "", "XX", "0000000000"]]
    hl = 3
    for a in answers:
        hl += 1
        body += [["HL", str(hl), "3", "22", "0"],
                 ["NM1", "IL", "1", "SUBSCRIBER", "", "", "", "", "MI", "0"],
                 ["TRN", "2", a.trace or a.claim_id],
                 trim(["STC", a.status, ymd(a.on) or day, "", fmt(a.charge), fmt(a.paid)])]
        if a.payer_control:
            body.append(["REF", "1K", a.payer_control])
        body.append(["REF", "EJ", a.claim_id])
    return interchange(envelope, "HN", "005010X212", [("277", "0001", body)])
