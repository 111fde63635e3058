"""Write 837P / 837I claim files from the typed view, checking values as they are written.

Claims are regrouped into the HL hierarchy (billing provider > subscriber > patient) in the
order given; HL numbers, LX numbers, SE/GE/IEA counts are computed here, control numbers come
from the caller. A value that cannot be sent raises BuildError naming it by path
(``claims[2].lines[0].pointers``) before any X12 is produced; the finished interchange is then
parsed and validated, and any remaining error is raised too — nothing invalid leaves.
"""

from __future__ import annotations

from decimal import Decimal

from openrcm.findings import Severity
from openrcm.x12.builders.envelope import Body, BuildError, Envelope, interchange
from openrcm.x12.tokens import is_digits
from openrcm.x12.views.claim import Claim, ClaimFile, Diagnosis, HealthCode, Line, OtherPayer
from openrcm.x12.views.common import (
    Entity,
    address_segments,
    cas_segments,
    fmt,
    nm1_segment,
    trim,
)

GUIDES = {"professional": "005010X222A1", "institutional": "005010X223A2"}

_DX_FAMILY = {"ABK": "dx", "BK": "dx", "ABF": "dx", "BF": "dx", "ABJ": "admit", "BJ": "admit",
              "APR": "reason", "PR": "reason", "ABN": "cause", "BN": "cause"}
_CODE_FAMILY = {"BBR": "proc", "BBQ": "proc", "BR": "proc", "BQ": "proc", "BP": "anes",
                "BO": "anes"}
_DATE_ORDER = ("096", "434", "435", "431", "454", "304", "453", "439", "484", "455", "471",
               "314", "360", "361", "297", "296", "090", "091", "444", "050")


def _date_format(text: str) -> str:
    if "-" in text:
        return "RD8"
    return "DT" if len(text) == 12 else "D8"


def _entity(entity: Entity) -> Body:
    return [nm1_segment(entity), *address_segments(entity.address)]


def _check_entity(entity: Entity, path: str) -> None:
    if not entity.last and entity.entity not in ("PW", "45"):
        raise BuildError(f"{path}.last (name) is required")
    if entity.id_qualifier == "XX" and not (len(entity.id) == 10 and is_digits(entity.id)):
        raise BuildError(f"{path}.id must be a 10-digit NPI")


def _hi_segments(codes: list[tuple[str, list[str]]], comp: str) -> Body:
    out: Body = []
    current: list[str] = []
    family = ""
    for fam, parts in codes:
        if not current or fam != family or len(current) > 12:
            current = ["HI"]
            out.append(current)
            family = fam
        current.append(comp.join(trim(["_", *parts])[1:]))
    return out


def _diagnosis_parts(dx: Diagnosis) -> list[str]:
    return [dx.qualifier, dx.code, "", "", "", "", "", "", dx.poa]


def _code_parts(code: HealthCode) -> list[str]:
    return [code.qualifier, code.code, code.date_format, code.date, fmt(code.amount)]


def _other_payer(other: OtherPayer, path: str) -> Body:
    _check_entity(other.subscriber, f"{path}.subscriber")
    _check_entity(other.payer, f"{path}.payer")
    body: Body = [trim(["SBR", other.responsibility, other.relationship, other.group_number,
                        "", "", "", "", "", other.filing_indicator])]
    body.extend(cas_segments(other.adjustments))
    if other.paid is not None:
        body.append(["AMT", "D", fmt(other.paid)])
    if other.remaining is not None:
        body.append(["AMT", "EAF", fmt(other.remaining)])
    body.append(["OI", "", "", other.benefits_assignment, "", "", other.release])
    body.extend(_entity(other.subscriber))
    body.append(nm1_segment(other.payer))
    body.extend(address_segments(other.payer.address))
    if other.paid_date:
        body.append(["DTP", "573", "D8", other.paid_date])
    return body


def _line(line: Line, number: int, claim: Claim, kind: str, comp: str, path: str) -> Body:
    if line.charge < 0:
        raise BuildError(f"{path}.charge must not be negative")
    if line.quantity <= 0:
        raise BuildError(f"{path}.quantity must be positive")
    if not line.code:
        raise BuildError(f"{path}.code (procedure) is required")
    modifiers = list(line.modifiers) + [""] * (4 - len(line.modifiers))
    proc = comp.join(trim([line.qualifier, line.code, *modifiers[:4], line.description]))
    body: Body = [["LX", str(number)]]
    if kind == "professional":
        if not line.pointers:
            raise BuildError(f"{path}.pointers: at least one diagnosis pointer is required")
        for pointer in line.pointers:
            if not 1 <= pointer <= min(len(claim.diagnoses), 12):
                raise BuildError(f"{path}.pointers: {pointer} is not one of the claim's "
                                 f"{len(claim.diagnoses)} diagnoses")
        if len(line.pointers) > 4:
            raise BuildError(f"{path}.pointers: at most 4 pointers")
        body.append(trim(["SV1", proc, fmt(line.charge), line.unit, fmt(line.quantity),
                          line.place_of_service, "", comp.join(str(p) for p in line.pointers),
                          "", line.emergency, "", line.epsdt, line.family_planning]))
    else:
        if not line.revenue_code:
            raise BuildError(f"{path}.revenue_code is required on an institutional line")
        body.append(trim(["SV2", line.revenue_code, proc, fmt(line.charge), line.unit,
                          fmt(line.quantity), "", fmt(line.non_covered)]))
    if line.service_date:
        body.append(["DTP", "472", _date_format(line.service_date), line.service_date])
    elif kind == "professional":
        raise BuildError(f"{path}.service_date is required (DTP*472)")
    if line.prior_authorization:
        body.append(["REF", "G1", line.prior_authorization])
    if line.control_number:
        body.append(["REF", "6R", line.control_number])
    if line.note:
        body.append(["NTE", "ADD", line.note])
    if line.drug is not None:
        body.append(["LIN", "", line.drug.qualifier, line.drug.ndc])
        body.append(["CTP", "", "", "", fmt(line.drug.quantity), line.drug.unit])
    for n, provider in enumerate(line.providers):
        _check_entity(provider, f"{path}.providers[{n}]")
        body.extend(_entity(provider))
    for n, adj in enumerate(line.adjudications):
        svd_proc = comp.join(trim([adj.qualifier, adj.code, *adj.modifiers]))
        body.append(["SVD", adj.payer_id, fmt(adj.paid), svd_proc, "", fmt(adj.units)])
        body.extend(cas_segments(adj.adjustments))
        if not adj.paid_date:
            raise BuildError(f"{path}.adjudications[{n}].paid_date is required (DTP*573)")
        body.append(["DTP", "573", "D8", adj.paid_date])
    return body


def _claim(claim: Claim, kind: str, comp: str, path: str) -> Body:
    if not 1 <= len(claim.id) <= 38:
        raise BuildError(f"{path}.id must be 1 to 38 characters")
    if not claim.lines:
        raise BuildError(f"{path}.lines: a claim needs at least one service line")
    if not claim.diagnoses:
        raise BuildError(f"{path}.diagnoses: the principal diagnosis is required")
    if claim.diagnoses[0].qualifier not in ("ABK", "BK"):
        raise BuildError(f"{path}.diagnoses[0] must be the principal diagnosis (ABK)")
    if kind == "professional" and not (len(claim.facility_code) == 2
                                       and is_digits(claim.facility_code)):
        raise BuildError(f"{path}.facility_code must be a two-digit place of service")
    total = sum((line.charge for line in claim.lines), Decimal("0"))
    if total != claim.charge:
        raise BuildError(f"{path}.charge {claim.charge} is not the sum of the line charges "
                         f"{total}")
    for n, dx in enumerate(claim.diagnoses):
        if "." in dx.code or not dx.code:
            raise BuildError(f"{path}.diagnoses[{n}].code must be a code without a decimal point")
    causes = list(claim.related_causes) + [""] * (3 - len(claim.related_causes))
    clm11 = comp.join(trim([*causes[:3], claim.accident_state]))
    body: Body = [trim([
        "CLM", claim.id, fmt(claim.charge), "", "",
        comp.join([claim.facility_code, claim.facility_qualifier, claim.frequency]),
        claim.provider_signature, claim.assignment, claim.benefits_assignment, claim.release,
        claim.patient_signature, clm11, claim.special_program, "", "", "", "", "", "", "",
        claim.delay_reason])]
    dates = dict(claim.dates or {})
    for qualifier in sorted(dates, key=lambda q: (_DATE_ORDER.index(q)
                                                  if q in _DATE_ORDER else 99, q)):
        body.append(["DTP", qualifier, _date_format(dates[qualifier]), dates[qualifier]])
    if kind == "institutional":
        body.append(trim(["CL1", claim.admission_type, claim.admission_source,
                          claim.patient_status]))
    for qualifier, value in (("9F", claim.referral_number), ("G1", claim.prior_authorization),
                             ("F8", claim.payer_claim_control), ("EA", claim.medical_record)):
        if value:
            body.append(["REF", qualifier, value])
    if claim.note:
        body.append(["NTE", "ADD", claim.note])
    codes = [(_DX_FAMILY.get(dx.qualifier, dx.qualifier) if kind == "professional"
              else ("principal" if dx.qualifier in ("ABK", "BK")
                    else _DX_FAMILY.get(dx.qualifier, dx.qualifier)), _diagnosis_parts(dx))
             for dx in claim.diagnoses]
    body.extend(_hi_segments(codes, comp))
    body.extend(_hi_segments([(_CODE_FAMILY.get(c.qualifier, c.qualifier), _code_parts(c))
                              for c in claim.other_codes], comp))
    for n, provider in enumerate(claim.providers):
        _check_entity(provider, f"{path}.providers[{n}]")
        body.extend(_entity(provider))
    for n, other in enumerate(claim.other_payers):
        body.extend(_other_payer(other, f"{path}.other_payers[{n}]"))
    for n, line in enumerate(claim.lines):
        body.extend(_line(line, n + 1, claim, kind, comp, f"{path}.lines[{n}]"))
    return body


def claim_file_body(view: ClaimFile, comp: str = ":") -> Body:
    """The ST..SE body (without ST/SE) of an 837 for ``view``."""
    if view.kind not in GUIDES:
        raise BuildError("kind must be professional or institutional")
    if not view.claims:
        raise BuildError("claims: a claim file needs at least one claim")
    _check_entity(view.submitter, "submitter")
    _check_entity(view.receiver, "receiver")
    body: Body = [
        trim(["BHT", "0019", view.purpose, view.reference, view.created, view.time,
              view.claim_type]),
        nm1_segment(view.submitter),
        trim(["PER", "IC", *view.submitter_contact]),
        nm1_segment(view.receiver),
    ]
    hl = 0
    provider_key: object = None
    subscriber_key: object = None
    provider_hl = subscriber_hl = 0
    patient_key: object = None
    claims = view.claims
    for index, claim in enumerate(claims):
        path = f"claims[{index}]"
        if (claim.billing_provider, claim.pay_to) != provider_key:
            provider_key = (claim.billing_provider, claim.pay_to)
            subscriber_key = None
            hl += 1
            provider_hl = hl
            bp = claim.billing_provider
            _check_entity(bp.entity, f"{path}.billing_provider.entity")
            if not bp.tax_id:
                raise BuildError(f"{path}.billing_provider.tax_id (REF*EI) is required")
            if bp.entity.address is None:
                raise BuildError(f"{path}.billing_provider.entity.address is required")
            body.append(["HL", str(hl), "", "20", "1"])
            if bp.taxonomy:
                body.append(["PRV", "BI", "PXC", bp.taxonomy])
            body.extend(_entity(bp.entity))
            body.append(["REF", bp.tax_id_qualifier or "EI", bp.tax_id])
            if bp.contact:
                body.append(trim(["PER", "IC", *bp.contact]))
            if claim.pay_to is not None:
                body.extend(_entity(claim.pay_to))
        if (claim.subscriber, claim.payer) != subscriber_key:
            subscriber_key = (claim.subscriber, claim.payer)
            hl += 1
            subscriber_hl = hl
            sub = claim.subscriber
            _check_entity(sub.entity, f"{path}.subscriber.entity")
            _check_entity(claim.payer, f"{path}.payer")
            has_child = any(c.patient is not None and (c.subscriber, c.payer) == subscriber_key
                            for c in claims[index:])
            body.append(["HL", str(hl), str(provider_hl), "22", "1" if has_child else "0"])
            body.append(trim(["SBR", sub.responsibility, sub.relationship, sub.group_number,
                              sub.group_name, sub.insurance_type, "", "", "",
                              sub.filing_indicator]))
            body.extend(_entity(sub.entity))
            if sub.birth_date:
                body.append(trim(["DMG", "D8", sub.birth_date, sub.gender]))
            body.extend(_entity(claim.payer))
            patient_key = None
        if claim.patient is not None and claim.patient != patient_key:
            patient_key = claim.patient
            hl += 1
            pat = claim.patient
            _check_entity(pat.entity, f"{path}.patient.entity")
            body.append(["HL", str(hl), str(subscriber_hl), "23", "0"])
            body.append(["PAT", pat.relationship])
            body.extend(_entity(pat.entity))
            body.append(trim(["DMG", "D8", pat.birth_date, pat.gender]))
        body.extend(_claim(claim, view.kind, comp, path))
    return body


def write_claim_files(views: list[ClaimFile], envelope: Envelope) -> str:
    """An interchange with one 837 per view, validated before it is returned.

    Raises:
        BuildError: a value cannot be written, or the result fails validation (the message
            lists the first problems with their locations).
    """
    if not views:
        raise BuildError("at least one claim file is required")
    kinds = {v.kind for v in views}
    if len(kinds) != 1:
        raise BuildError("professional and institutional claims go in separate interchanges")
    kind = kinds.pop()
    comp = envelope.delimiters.component
    text = interchange(envelope, "HC", GUIDES.get(kind, ""),
                       [("837", v.control, claim_file_body(v, comp)) for v in views])
    from openrcm.x12.parser import parse

    errors = [f for f in parse(text).all_findings() if f.severity is Severity.ERROR]
    if errors:
        details = "; ".join(f"{f.message} ({f.where()})" for f in errors[:5])
        raise BuildError(f"the written 837 does not validate: {details}")
    return text
