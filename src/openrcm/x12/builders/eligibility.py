"""Write a 270 eligibility inquiry (005010X279A1) from typed values.

One inquiry asks one payer about one member for some service types. When the patient is a
dependent without their own member id, the TR3 puts the subscriber (with the id) in 2000C and
the patient, the trace number and the EQ in 2000D; otherwise everything sits in 2000C.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from openrcm.x12.builders.envelope import Body, BuildError, Envelope, interchange
from openrcm.x12.views.common import Entity, nm1_segment, trim, ymd

GUIDE = "005010X279A1"


@dataclass(frozen=True, slots=True)
class Person:
    """A member as the 270 names them.

    Attributes:
        last / first / middle / suffix: the name (NM103..NM107).
        member_id: NM109 with NM108 ``MI``; required for the subscriber, empty for a
            dependent (the TR3 identifies dependents through the subscriber).
        birth_date: DMG02. gender: DMG03 (``F``, ``M``, ``U``).
    """

    last: str
    first: str = ""
    middle: str = ""
    suffix: str = ""
    member_id: str = ""
    birth_date: date | None = None
    gender: str = ""


@dataclass(frozen=True, slots=True)
class EligibilityInquiry:
    """Everything one 270 transaction set carries.

    Attributes:
        payer: the information source (NM1*PR; ``id_qualifier`` PI payer id).
        provider: the information receiver (NM1*1P; ``id_qualifier`` XX with the NPI).
        subscriber: the insured. dependent: the patient when not the subscriber.
        trace: TRN02, echoed by the payer in the 271 to match the answer.
        trace_originator: TRN03, ``1`` + the 9-digit EIN of whoever assigned the trace.
        service_types: EQ01 repetitions (``30`` health benefit plan coverage by default).
        service_date: DTP*291 plan date asked about (the payer's today when absent).
        reference: BHT03, the submitter's own reference for the inquiry.
        created: BHT04. time: BHT05 ``HHMM``.
    """

    payer: Entity
    provider: Entity
    subscriber: Person
    trace: str
    trace_originator: str
    reference: str
    created: date
    time: str
    service_types: tuple[str, ...] = ("30",)
    dependent: Person | None = None
    service_date: date | None = None


def _person_segments(person: Person, entity: str, with_id: bool) -> Body:
    body: Body = [trim(["NM1", entity, "1", person.last, person.first, person.middle, "",
                        person.suffix, "MI" if with_id else "",
                        person.member_id if with_id else ""])]
    if person.birth_date is not None or person.gender:
        body.append(trim(["DMG", "D8" if person.birth_date else "", ymd(person.birth_date),
                          person.gender]))
    return body


def _check(inquiry: EligibilityInquiry) -> None:
    if not inquiry.subscriber.member_id:
        raise BuildError("subscriber member_id (2100C NM109) is required")
    if not inquiry.subscriber.last:
        raise BuildError("subscriber last name (2100C NM103) is required")
    if inquiry.dependent is not None and not inquiry.dependent.last:
        raise BuildError("dependent last name (2100D NM103) is required")
    if not inquiry.payer.id or not inquiry.provider.id:
        raise BuildError("payer and provider identifiers (NM109) are required")
    if not inquiry.trace:
        raise BuildError("trace (TRN02) is required")
    if len(inquiry.trace_originator) != 10:
        raise BuildError("trace_originator must be 10 characters (TRN03)")
    if not inquiry.service_types:
        raise BuildError("at least one service type (EQ01) is required")
    if len(inquiry.time) != 4 or not inquiry.time.isdigit():
        raise BuildError("time must be HHMM (BHT05)")


def eligibility_body(inquiry: EligibilityInquiry, repetition: str) -> Body:
    """The ST..SE body (without ST/SE) of a 270 for one inquiry."""
    _check(inquiry)
    dependent = inquiry.dependent
    body: Body = [
        ["BHT", "0022", "13", inquiry.reference, ymd(inquiry.created), inquiry.time],
        ["HL", "1", "", "20", "1"], nm1_segment(inquiry.payer),
        ["HL", "2", "1", "21", "1"], nm1_segment(inquiry.provider),
        ["HL", "3", "2", "22", "1" if dependent else "0"],
    ]
    trn = ["TRN", "1", inquiry.trace, inquiry.trace_originator]
    ask: Body = []
    if inquiry.service_date is not None:
        ask.append(["DTP", "291", "D8", ymd(inquiry.service_date)])
    ask.append(["EQ", repetition.join(inquiry.service_types)])
    if dependent is None:
        body += [trn, *_person_segments(inquiry.subscriber, "IL", True), *ask]
    else:
        body += _person_segments(inquiry.subscriber, "IL", True)
        body += [["HL", "4", "3", "23", "0"], trn, *_person_segments(dependent, "03", False),
                 *ask]
    return body


def write_270(inquiry: EligibilityInquiry, envelope: Envelope, control: str) -> str:
    """A complete interchange holding one 270 with ST02 = ``control``."""
    body = eligibility_body(inquiry, envelope.delimiters.repetition)
    return interchange(envelope, "HS", GUIDE, [("270", control, body)])
