"""Claims to X12 837P (005010X222A1) and 837I (005010X223A2) files.

The claim model maps onto the 837 loops one to one: billing provider (2000A/2010AA),
subscriber and payer (2000B/2010BA/2010BB), patient when not the subscriber (2000C), claim
(2300 with dates, references, diagnoses), its providers (2310x), prior payers (2320/2330 and
2430 per line) and service lines (2400). This module produces the transaction body as
segments; ``openrcm.x12.builders.envelope`` wraps it in ISA/GS/ST with the control numbers the
caller passes in (the core keeps no counter: ``next_control_numbers`` computes them from the
last one used, and the service stores the new last).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from openrcm.claims.model import (
    SELF,
    Address,
    Adjustment,
    Claim,
    ClaimKind,
    Frequency,
    Person,
    Provider,
    ServiceLine,
)
from openrcm.x12.builders.envelope import Body, BuildError, Envelope, Rendered, interchange, render
from openrcm.x12.tokens import Delimiters

#: The delimiters ``transaction_body`` renders with when the caller names none (those of
#: ``Envelope``'s default).
_DELIMITERS_837 = Delimiters(suffix="\n")
GUIDE = {ClaimKind.PROFESSIONAL: "005010X222A1", ClaimKind.INSTITUTIONAL: "005010X223A2"}
#: Largest ISA13 / GS06 / ST02 value before numbering starts over at 1.
MAX_CONTROL = 999_999_999
#: Type-of-bill facility types (first two digits) that are inpatient stays.
INPATIENT = frozenset({"11", "12", "18", "21", "41"})


@dataclass(frozen=True, slots=True)
class Party:
    """The submitter (1000A) or receiver (1000B): name and ETIN; contact for the submitter."""

    name: str
    id: str
    contact: str = ""
    phone: str = ""


def next_control_numbers(last_used: int, count: int) -> tuple[int, ...]:
    """The ``count`` control numbers after ``last_used``, wrapping from 999999999 to 1.

    Raises:
        ValueError: ``last_used`` out of 0..999999999 or ``count`` not positive.
    """
    if not 0 <= last_used <= MAX_CONTROL:
        raise ValueError(f"last used control number must be 0..{MAX_CONTROL}")
    if count < 1:
        raise ValueError("count must be at least 1")
    return tuple((last_used + i - 1) % MAX_CONTROL + 1 for i in range(1, count + 1))


#: Amounts already written (a batch repeats the same few charges and units); keyed with the
#: sign too, so that -0 and 0 (equal Decimals) keep their own text.
_AMOUNTS: dict[tuple[Decimal, bool], str] = {}
_AMOUNTS_KEPT = 65536


def _amount(value: Decimal) -> str:
    """An X12 decimal (R): no trailing zeros, no exponent."""
    key = (value, value.is_signed())
    text = _AMOUNTS.get(key)
    if text is None:
        text = f"{value:.2f}".rstrip("0").rstrip(".") or "0"
        if len(_AMOUNTS) < _AMOUNTS_KEPT:
            _AMOUNTS[key] = text
    return text


@lru_cache(maxsize=8192)
def _d8(day: date) -> str:
    return f"{day.year:04d}{day.month:02d}{day.day:02d}"


def _trim(elements: list[str]) -> list[str]:
    """Drop trailing empty elements, as X12 requires (``elements`` is the caller's fresh
    list, cut in place)."""
    end = len(elements)
    while end > 1 and not elements[end - 1]:
        end -= 1
    del elements[end:]
    return elements


_DELIMITERS = str.maketrans("", "", "*~:^")


@lru_cache(maxsize=65536)
def _clean(text: str) -> str:
    """Upper-case text without the characters the delimiters use (names and numbers repeat
    across a batch, so each is cleaned once). X12 text is ASCII, and front ends reject any
    other byte, so accents are dropped (``Muñoz`` is sent as ``MUNOZ``)."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return text.upper().translate(_DELIMITERS).strip()


def _person_nm1(entity: str, p: Person, member_id: str = "") -> list[str]:
    nm1 = ["NM1", entity, "1", _clean(p.last_name), _clean(p.first_name), "", "", ""]
    if member_id:
        nm1 += ["MI", _clean(member_id)]
    return _trim(nm1)


def _provider_nm1(entity: str, p: Provider) -> list[str]:
    kind = "2" if p.is_organization or not p.first_name else "1"
    first = "" if kind == "2" else _clean(p.first_name)
    return _trim(["NM1", entity, kind, _clean(p.name), first, "", "", "", "XX", p.npi])


def _address(body: Body, addr: Address | None) -> None:
    if addr is not None:
        body.append(_trim(["N3", _clean(addr.line1), _clean(addr.line2)]))
        body.append(["N4", _clean(addr.city), addr.state.upper(), addr.zip])


def _cas(body: Body, adjustments: Iterable[Adjustment]) -> None:
    """CAS segments: one per group, up to six reason/amount/quantity triples each."""
    by_group: dict[str, list[Adjustment]] = {}
    for a in adjustments:
        by_group.setdefault(a.group, []).append(a)
    for group, items in by_group.items():
        for start in range(0, len(items), 6):
            seg = ["CAS", group]
            for a in items[start : start + 6]:
                seg += [a.reason, _amount(a.amount), _amount(a.quantity) if a.quantity else ""]
            body.append(_trim(seg))


def _procedure(line: ServiceLine) -> str:
    return ":".join(["HC", line.procedure, *line.modifiers])


def _line_dates(line: ServiceLine) -> list[str]:
    end = line.service_date_end
    if end is not None and end != line.service_date:
        return ["DTP", "472", "RD8", f"{_d8(line.service_date)}-{_d8(end)}"]
    return ["DTP", "472", "D8", _d8(line.service_date)]


def _drug(body: Body, line: ServiceLine) -> None:
    """2410: the drug's NDC and quantity (LIN, CTP), when the line is a drug."""
    if not line.ndc:
        return
    if line.ndc_quantity is None:
        raise BuildError(f"line {line.line_id}: an NDC needs its quantity (CTP04)")
    body.append(["LIN", "", "N4", line.ndc])
    body.append(["CTP", "", "", "", _amount(line.ndc_quantity), line.ndc_unit])


def _cob(body: Body, claim: Claim, comp: str) -> None:
    """2320/2330A/2330B for each prior payer, in payment order."""
    by_payer = {c.payer.payer_id: c for c in claim.other_coverages}
    for adj in sorted(claim.prior_adjudications, key=lambda a: "PST".index(a.responsibility)):
        cov = by_payer.get(adj.payer_id)
        if cov is None:
            raise BuildError(
                f"claim {claim.claim_id}: prior adjudication from payer {adj.payer_id} has no "
                "matching other coverage"
            )
        rel = SELF if cov.relationship == SELF else cov.relationship
        body.append(
            _trim(
                [
                    "SBR",
                    str(adj.responsibility),
                    rel,
                    _clean(cov.group_number),
                    "",
                    "",
                    "",
                    "",
                    "",
                    cov.payer.filing_indicator,
                ]
            )
        )
        _cas(body, adj.claim_adjustments)
        body.append(["AMT", "D", _amount(adj.paid)])
        body.append(["OI", "", "", "Y", "", "", "Y"])
        body.append(_person_nm1("IL", cov.subscriber, cov.member_id))
        body.append(
            _trim(
                ["NM1", "PR", "2", _clean(cov.payer.name), "", "", "", "", "PI", cov.payer.payer_id]
            )
        )
        if not adj.lines:
            body.append(["DTP", "573", "D8", _d8(adj.adjudicated_on)])


def _line_cob(body: Body, claim: Claim, line: ServiceLine) -> None:
    """2430: what each prior payer did with this line. On an 837I SVD04 is the line's revenue
    code and SVD03 only there when the line has a procedure code (005010X223A2)."""
    institutional = claim.kind is ClaimKind.INSTITUTIONAL
    for adj in claim.prior_adjudications:
        for la in adj.lines:
            if la.line_id != line.line_id:
                continue
            body.append(
                _trim(
                    [
                        "SVD",
                        adj.payer_id,
                        _amount(la.paid),
                        _procedure(line) if line.procedure or not institutional else "",
                        line.revenue_code if institutional else "",
                        _amount(la.paid_units),
                    ]
                )
            )
            _cas(body, la.adjustments)
            body.append(["DTP", "573", "D8", _d8(adj.adjudicated_on)])


def _subscriber(body: Body, claim: Claim, hl: int, parent: int) -> int:
    """2000B (and 2000C when the patient is not the subscriber); returns the last HL used."""
    cov = claim.coverage
    is_self = cov.relationship == SELF
    body.append(["HL", str(hl), str(parent), "22", "0" if is_self else "1"])
    body.append(
        _trim(
            [
                "SBR",
                str(cov.responsibility),
                SELF if is_self else "",
                _clean(cov.group_number),
                "",
                "",
                "",
                "",
                "",
                cov.payer.filing_indicator,
            ]
        )
    )
    body.append(_person_nm1("IL", cov.subscriber, cov.member_id))
    if is_self:
        _address(body, cov.subscriber.address)
        body.append(["DMG", "D8", _d8(cov.subscriber.birth_date), cov.subscriber.sex])
    body.append(
        _trim(["NM1", "PR", "2", _clean(cov.payer.name), "", "", "", "", "PI", cov.payer.payer_id])
    )
    if is_self:
        return hl
    patient_hl = hl + 1
    body.append(["HL", str(patient_hl), str(hl), "23", "0"])
    body.append(["PAT", cov.relationship])
    body.append(_person_nm1("QC", claim.patient))
    _address(body, claim.patient.address)
    body.append(["DMG", "D8", _d8(claim.patient.birth_date), claim.patient.sex])
    return patient_hl


def _references(body: Body, claim: Claim) -> None:
    # TR3 order in loop 2300: referral (9F), prior authorization (G1), payer claim control
    # number (F8).
    if claim.referral_number:
        body.append(["REF", "9F", _clean(claim.referral_number)])
    if claim.prior_authorization:
        body.append(["REF", "G1", _clean(claim.prior_authorization)])
    if claim.frequency is not Frequency.ORIGINAL:
        body.append(["REF", "F8", _clean(claim.payer_claim_control_number)])


def _dx(code: str) -> str:
    return code.replace(".", "").upper()


def _professional(body: Body, claim: Claim, comp: str) -> None:
    causes = ""
    if claim.accident is not None:
        causes = comp.join([claim.accident.cause, "", "", claim.accident.state]).rstrip(comp)
    body.append(
        _trim(
            [
                "CLM",
                _clean(claim.claim_id),
                _amount(claim.total_charge),
                "",
                "",
                comp.join([claim.place_of_service, "B", str(claim.frequency)]),
                "Y",
                "A",
                "Y",
                "Y",
                "",
                causes,
            ]
        )
    )
    if claim.onset_date is not None:
        body.append(["DTP", "431", "D8", _d8(claim.onset_date)])
    if claim.accident is not None:
        body.append(["DTP", "439", "D8", _d8(claim.accident.on)])
    _references(body, claim)
    if not claim.diagnoses:
        raise BuildError(f"claim {claim.claim_id}: an 837P claim needs a diagnosis (HI)")
    body.append(
        ["HI"]
        + [
            f"{'ABK' if i == 0 else 'ABF'}{comp}{_dx(d.code)}"
            for i, d in enumerate(claim.diagnoses[:12])
        ]
    )
    if claim.referring_provider is not None:
        body.append(_provider_nm1("DN", claim.referring_provider))
    rendering = claim.rendering_provider
    if rendering is not None and rendering.npi != claim.billing_provider.npi:
        body.append(_provider_nm1("82", rendering))
        if rendering.taxonomy:
            body.append(["PRV", "PE", "PXC", rendering.taxonomy])
    fac = claim.service_facility
    if fac is not None and fac.address is not None:
        body.append(_provider_nm1("77", fac))
        _address(body, fac.address)
    _cob(body, claim, comp)
    for n, line in enumerate(claim.lines, start=1):
        body.append(["LX", str(n)])
        pos = line.place_of_service if line.place_of_service != claim.place_of_service else ""
        body.append(
            _trim(
                [
                    "SV1",
                    _procedure(line),
                    _amount(line.charge),
                    "UN",
                    _amount(line.units),
                    pos,
                    "",
                    comp.join(map(str, line.pointers[:4])),
                ]
            )
        )
        body.append(_line_dates(line))
        _drug(body, line)
        _line_cob(body, claim, line)


def _institutional(body: Body, claim: Claim, comp: str) -> None:
    inst = claim.institutional
    if inst is None:
        raise BuildError(f"claim {claim.claim_id}: an 837I claim needs its institutional data")
    facility = inst.type_of_bill.lstrip("0")[:2]
    if len(facility) != 2:
        raise BuildError(f"claim {claim.claim_id}: type of bill {inst.type_of_bill!r} is invalid")
    inpatient = facility in INPATIENT
    body.append(
        _trim(
            [
                "CLM",
                _clean(claim.claim_id),
                _amount(claim.total_charge),
                "",
                "",
                comp.join([facility, "A", str(claim.frequency)]),
                "",
                "A",
                "Y",
                "Y",
            ]
        )
    )
    start = inst.statement_from or claim.first_service_date
    end = inst.statement_to or claim.last_service_date
    if inpatient and inst.discharge_hour:
        body.append(["DTP", "096", "TM", inst.discharge_hour.ljust(4, "0")[:4]])
    body.append(["DTP", "434", "RD8", f"{_d8(start)}-{_d8(end)}"])
    if inst.admission_date is not None:
        if inst.admission_hour:
            stamp = _d8(inst.admission_date) + inst.admission_hour.ljust(4, "0")[:4]
            body.append(["DTP", "435", "DT", stamp])
        else:
            body.append(["DTP", "435", "D8", _d8(inst.admission_date)])
    body.append(_trim(["CL1", inst.admission_type, inst.admission_source, inst.patient_status]))
    _references(body, claim)
    if not claim.diagnoses:
        raise BuildError(f"claim {claim.claim_id}: an 837I claim needs a principal diagnosis")
    principal = claim.diagnoses[0]
    body.append(["HI", _poa(comp, "ABK", principal.code, principal.poa)])
    if inst.admitting_diagnosis and inpatient:
        body.append(["HI", f"ABJ{comp}{_dx(inst.admitting_diagnosis)}"])
    others = claim.diagnoses[1:]
    for start_at in range(0, len(others), 12):
        body.append(
            ["HI"] + [_poa(comp, "ABF", d.code, d.poa) for d in others[start_at : start_at + 12]]
        )
    coded = (
        [
            comp.join(["BI", o.code, "RD8", f"{_d8(o.start)}-{_d8(o.end)}"])
            for o in inst.occurrence_spans
        ],
        [comp.join(["BH", o.code, "D8", _d8(o.on)]) for o in inst.occurrences],
        [comp.join(["BE", v.code, "", "", _amount(v.amount)]) for v in inst.values],
    )
    for codes in coded:
        for start_at in range(0, len(codes), 12):
            body.append(["HI", *codes[start_at : start_at + 12]])
    conditions = inst.condition_codes
    for start_at in range(0, len(conditions), 12):
        body.append(["HI"] + [f"BG{comp}{c}" for c in conditions[start_at : start_at + 12]])
    if inst.attending is not None:
        body.append(_provider_nm1("71", inst.attending))
        if inst.attending.taxonomy:
            body.append(["PRV", "AT", "PXC", inst.attending.taxonomy])
    if inst.operating is not None:
        body.append(_provider_nm1("72", inst.operating))
    _cob(body, claim, comp)
    for n, line in enumerate(claim.lines, start=1):
        body.append(["LX", str(n)])
        body.append(
            _trim(
                [
                    "SV2",
                    line.revenue_code,
                    _procedure(line) if line.procedure else "",
                    _amount(line.charge),
                    "UN",
                    _amount(line.units),
                ]
            )
        )
        if not inpatient:
            body.append(_line_dates(line))
        _drug(body, line)
        _line_cob(body, claim, line)


def _poa(comp: str, qualifier: str, code: str, poa: str) -> str:
    parts = [qualifier, _dx(code)]
    if poa:
        parts += [""] * 6 + [poa]
    return comp.join(parts)


def transaction_body(
    claims: Sequence[Claim],
    submitter: Party,
    receiver: Party,
    batch_id: str,
    created: date,
    time: str,
    delimiters: Delimiters = _DELIMITERS_837,
    first: int = 4,
) -> Rendered:
    """The segments between ST and SE for claims of one kind (837P or 837I), as text.

    Each claim's segments are rendered as soon as they are built, so a large batch is held as
    strings; segment numbers in errors count from ``first``, the body's place in the
    interchange (after ISA, GS and ST).
    """
    comp = delimiters.component
    if not claims:
        raise BuildError("an 837 needs at least one claim")
    kind = claims[0].kind
    if any(c.kind is not kind for c in claims):
        raise BuildError("837P and 837I claims go in separate files")
    body: Body = [
        ["BHT", "0019", "00", _clean(batch_id), _d8(created), time, "CH"],
        _trim(["NM1", "41", "2", _clean(submitter.name), "", "", "", "", "46", submitter.id]),
        _trim(
            [
                "PER",
                "IC",
                _clean(submitter.contact) or _clean(submitter.name),
                "TE",
                submitter.phone,
            ]
        ),
        _trim(["NM1", "40", "2", _clean(receiver.name), "", "", "", "", "46", receiver.id]),
    ]
    if not submitter.phone:
        raise BuildError("the submitter needs a contact phone number (1000A PER)")
    pieces: list[str] = []
    number = first  # of body[0]
    groups: dict[str, list[Claim]] = {}
    for c in claims:
        groups.setdefault(c.billing_provider.npi, []).append(c)
    hl = 0
    for members in groups.values():
        bp = members[0].billing_provider
        hl += 1
        provider_hl = hl
        body.append(["HL", str(provider_hl), "", "20", "1"])
        if bp.taxonomy:
            body.append(["PRV", "BI", "PXC", bp.taxonomy])
        body.append(_provider_nm1("85", bp))
        if bp.address is None:
            raise BuildError(f"billing provider {bp.npi} has no address (2010AA N3/N4)")
        if not bp.tax_id:
            raise BuildError(f"billing provider {bp.npi} has no tax id (2010AA REF*EI/SY)")
        _address(body, bp.address)
        body.append(["REF", "EI" if bp.tax_id_kind == "EI" else "SY", bp.tax_id])
        for claim in members:
            hl = _subscriber(body, claim, hl + 1, provider_hl)
            if kind is ClaimKind.PROFESSIONAL:
                _professional(body, claim, comp)
            else:
                _institutional(body, claim, comp)
            pieces.append(render(body, delimiters, number))
            number += len(body)
            body.clear()
    return Rendered("".join(pieces), number - first)


def write_837(
    claims: Sequence[Claim],
    envelope: Envelope,
    submitter: Party,
    receiver: Party,
    transaction_control: int,
    batch_id: str = "",
) -> str:
    """A complete 837 interchange for ``claims`` (all professional or all institutional).

    Control numbers come from the caller (``envelope`` ISA13/GS06 and ``transaction_control``
    for ST02): see ``next_control_numbers``.
    """
    if not 1 <= transaction_control <= MAX_CONTROL:
        raise BuildError(f"transaction control number must be 1..{MAX_CONTROL}")
    envelope.check()
    body = transaction_body(
        claims,
        submitter,
        receiver,
        batch_id or str(transaction_control),
        envelope.created,
        envelope.time,
        envelope.delimiters,
    )
    guide = GUIDE[claims[0].kind]
    return interchange(envelope, "HC", guide, [("837", f"{transaction_control:04d}", body)])
