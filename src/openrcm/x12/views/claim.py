"""Typed view of the 837 claim (professional 005010X222A1 and institutional 005010X223A2).

A claim file is read as a flat list of claims, each carrying its full context (billing
provider, subscriber, payer, patient): that is what claim tracking and the scrubber need, and
the builder regroups claims into the HL hierarchy when writing. Money is Decimal; dates keep
the X12 text of DTP03 (``CCYYMMDD`` or ``CCYYMMDD-CCYYMMDD``) keyed by the DTP qualifier so
that a range survives the round trip.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from openrcm.x12.tokens import Segment, is_digits
from openrcm.x12.tree import Loop, Transaction
from openrcm.x12.views.common import (
    Adjustment,
    Entity,
    adjustments_of,
    amount,
    entity_of,
    money_of,
)

DIAGNOSIS_QUALIFIERS = frozenset({"ABK", "ABF", "BK", "BF", "ABJ", "BJ", "APR", "PR", "ABN", "BN"})


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """One HI diagnosis: qualifier (ABK principal, ABF other, ABJ admitting, APR reason for
    visit, ABN external cause; BK/BF... for ICD-9), code without the decimal point, and the
    present-on-admission indicator (837I, HIxx-9)."""

    qualifier: str
    code: str
    poa: str = ""


@dataclass(frozen=True, slots=True)
class HealthCode:
    """Any other HI code (condition BG, value BE, occurrence BH, span BI, procedure BBR/BBQ,
    DRG DR, anesthesia BP/BO...): qualifier, code, date format and date, amount."""

    qualifier: str
    code: str
    date_format: str = ""
    date: str = ""
    amount: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Provider:
    """A billing provider: its name/NPI/address plus tax id (REF*EI or SY) and taxonomy."""

    entity: Entity
    tax_id_qualifier: str = ""
    tax_id: str = ""
    taxonomy: str = ""
    contact: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Subscriber:
    """SBR + 2010BA: who holds the policy and how the payer is responsible.

    Attributes:
        responsibility: SBR01 (P primary, S secondary, T tertiary...).
        relationship: SBR02, ``18`` when the subscriber is the patient.
        group_number / group_name: SBR03 / SBR04. insurance_type: SBR05.
        filing_indicator: SBR09 (MB Medicare B, CI commercial, MC Medicaid...).
        birth_date / gender: DMG02 / DMG03.
    """

    entity: Entity
    responsibility: str = "P"
    relationship: str = ""
    group_number: str = ""
    group_name: str = ""
    insurance_type: str = ""
    filing_indicator: str = ""
    birth_date: str = ""
    gender: str = ""


@dataclass(frozen=True, slots=True)
class Patient:
    """2000C/2010CA, present when the patient is not the subscriber."""

    entity: Entity
    relationship: str
    birth_date: str = ""
    gender: str = ""


@dataclass(frozen=True, slots=True)
class OtherPayer:
    """2320/2330: a payer that already adjudicated (or will) this claim, for COB.

    Attributes:
        responsibility: SBR01. relationship: SBR02. filing_indicator: SBR09.
        paid: AMT*D payer paid amount. remaining: AMT*EAF patient liability.
        adjustments: the prior payer's claim-level CAS.
        subscriber / payer: 2330A / 2330B. benefits_assignment: OI03. release: OI06.
    """

    subscriber: Entity
    payer: Entity
    responsibility: str = "S"
    relationship: str = "18"
    group_number: str = ""
    filing_indicator: str = ""
    paid: Decimal | None = None
    remaining: Decimal | None = None
    adjustments: tuple[Adjustment, ...] = ()
    benefits_assignment: str = "Y"
    release: str = "Y"
    paid_date: str = ""


@dataclass(frozen=True, slots=True)
class Drug:
    """2410 LIN/CTP: the NDC and quantity of a drug given on the line."""

    ndc: str
    quantity: Decimal
    unit: str
    qualifier: str = "N4"


@dataclass(frozen=True, slots=True)
class LineAdjudication:
    """2430 SVD/CAS: how a prior payer adjudicated this line."""

    payer_id: str
    paid: Decimal
    qualifier: str
    code: str
    units: Decimal
    paid_date: str
    modifiers: tuple[str, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()


@dataclass(frozen=True, slots=True)
class Line:
    """One service line (SV1 professional or SV2 institutional) with what hangs off it.

    Attributes:
        qualifier / code / modifiers: the procedure (HC CPT/HCPCS...).
        description: SV101-7 / SV202-7, for unlisted codes.
        charge: SV102 / SV203. unit: SV103 / SV204 (UN units, MJ minutes, DA days).
        quantity: SV104 / SV205. place_of_service: SV105.
        pointers: SV107 diagnosis pointers (1-based into the claim's diagnoses).
        revenue_code: SV201 (institutional). non_covered: SV207.
        service_date: DTP*472 text. control_number: REF*6R. prior_authorization: REF*G1.
        drug: 2410. providers: 2420 loops (rendering 82, ordering DK, referring DN...).
    """

    code: str
    charge: Decimal
    quantity: Decimal
    qualifier: str = "HC"
    modifiers: tuple[str, ...] = ()
    description: str = ""
    unit: str = "UN"
    place_of_service: str = ""
    pointers: tuple[int, ...] = ()
    emergency: str = ""
    epsdt: str = ""
    family_planning: str = ""
    revenue_code: str = ""
    non_covered: Decimal | None = None
    service_date: str = ""
    control_number: str = ""
    prior_authorization: str = ""
    note: str = ""
    drug: Drug | None = None
    providers: tuple[Entity, ...] = ()
    adjudications: tuple[LineAdjudication, ...] = ()


@dataclass(frozen=True, slots=True)
class Claim:
    """One CLM claim with its context.

    Attributes:
        id: CLM01 patient control number (comes back as CLP01 on the 835).
        charge: CLM02. facility_code: CLM05-1 (place of service, or facility type for 837I).
        facility_qualifier: CLM05-2 (B professional, A institutional).
        frequency: CLM05-3 (1 original, 7 replacement, 8 void).
        provider_signature / assignment / benefits_assignment / release / patient_signature:
            CLM06..CLM10. related_causes: CLM11-1..3. accident_state: CLM11-4.
        special_program: CLM12. delay_reason: CLM20.
        dates: DTP03 text by DTP01 qualifier (431 onset, 435 admission, 434 statement...).
        prior_authorization: REF*G1. referral_number: REF*9F. payer_claim_control: REF*F8.
        medical_record: REF*EA. note: NTE02.
        admission_type / admission_source / patient_status: CL1 (837I).
        providers: 2310 loops. other_payers: 2320/2330.
    """

    billing_provider: Provider
    subscriber: Subscriber
    payer: Entity
    id: str
    charge: Decimal
    facility_code: str
    frequency: str = "1"
    facility_qualifier: str = "B"
    pay_to: Entity | None = None
    patient: Patient | None = None
    provider_signature: str = "Y"
    assignment: str = "A"
    benefits_assignment: str = "Y"
    release: str = "Y"
    patient_signature: str = ""
    related_causes: tuple[str, ...] = ()
    accident_state: str = ""
    special_program: str = ""
    delay_reason: str = ""
    dates: dict[str, str] | None = None
    prior_authorization: str = ""
    referral_number: str = ""
    payer_claim_control: str = ""
    medical_record: str = ""
    note: str = ""
    admission_type: str = ""
    admission_source: str = ""
    patient_status: str = ""
    diagnoses: tuple[Diagnosis, ...] = ()
    other_codes: tuple[HealthCode, ...] = ()
    providers: tuple[Entity, ...] = ()
    other_payers: tuple[OtherPayer, ...] = ()
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimFile:
    """One 837 transaction set: header parties and the claims.

    Attributes:
        control: ST02. kind: ``professional`` or ``institutional``.
        purpose: BHT02 (00 original, 18 reissue). reference: BHT03. created: BHT04 text.
        time: BHT05. claim_type: BHT06 (CH chargeable, RP reporting, 31 subrogation).
        submitter / submitter_contact: 1000A NM1 and PER (elements after PER01).
        receiver: 1000B.
    """

    control: str
    kind: str
    submitter: Entity
    receiver: Entity
    claims: tuple[Claim, ...]
    reference: str = ""
    created: str = ""
    time: str = ""
    purpose: str = "00"
    claim_type: str = "CH"
    submitter_contact: tuple[str, ...] = ()


def _entity_loop(loop: Loop) -> Entity:
    nm1 = loop.children[0]
    assert isinstance(nm1, Segment)
    return entity_of(nm1, loop)


def _provider(loop: Loop) -> Provider:
    taxonomy = ""
    for seg in loop.all("PRV"):
        taxonomy = seg.get(3)
    entity = Entity("85", "")
    tax_q = tax = ""
    contact: tuple[str, ...] = ()
    for sub in loop.children:
        if isinstance(sub, Loop) and sub.id == "2010AA":
            entity = _entity_loop(sub)
            for ref in sub.all("REF"):
                if ref.get(1) in ("EI", "SY"):
                    tax_q, tax = ref.get(1), ref.get(2)
            per = sub.first("PER")
            contact = tuple(per.elements[2:]) if per is not None else ()
    return Provider(entity, tax_q, tax, taxonomy, contact)


def _subscriber(loop: Loop) -> tuple[Subscriber, Entity]:
    sbr = loop.first("SBR") or Segment(["SBR"])
    entity = Entity("IL", "")
    payer = Entity("PR", "")
    birth = gender = ""
    for sub in loop.children:
        if isinstance(sub, Loop) and sub.id == "2010BA":
            entity = _entity_loop(sub)
            dmg = sub.first("DMG")
            if dmg is not None:
                birth, gender = dmg.get(2), dmg.get(3)
        elif isinstance(sub, Loop) and sub.id == "2010BB":
            payer = _entity_loop(sub)
    return Subscriber(entity, sbr.get(1), sbr.get(2), sbr.get(3), sbr.get(4), sbr.get(5),
                      sbr.get(9), birth, gender), payer


def _patient(loop: Loop) -> Patient:
    pat = loop.first("PAT") or Segment(["PAT"])
    entity = Entity("QC", "", person=True)
    birth = gender = ""
    for sub in loop.children:
        if isinstance(sub, Loop) and sub.id == "2010CA":
            entity = _entity_loop(sub)
            dmg = sub.first("DMG")
            if dmg is not None:
                birth, gender = dmg.get(2), dmg.get(3)
    return Patient(entity, pat.get(1), birth, gender)


def _procedure(value: str, comp: str) -> tuple[str, str, tuple[str, ...]]:
    parts = value.split(comp)
    modifiers = list(parts[2:6])
    while modifiers and not modifiers[-1]:
        modifiers.pop()
    return parts[0], parts[1] if len(parts) > 1 else "", tuple(modifiers)


def _description(value: str, comp: str) -> str:
    parts = value.split(comp)
    return parts[6] if len(parts) > 6 else ""


def _other_payer(loop: Loop) -> OtherPayer:
    sbr = loop.first("SBR") or Segment(["SBR"])
    subscriber = payer = Entity("", "")
    paid_date = ""
    for sub in loop.children:
        if isinstance(sub, Loop) and sub.id == "2330A":
            subscriber = _entity_loop(sub)
        elif isinstance(sub, Loop) and sub.id == "2330B":
            payer = _entity_loop(sub)
            dtp = sub.first("DTP", e1="573")
            paid_date = dtp.get(3) if dtp is not None else ""
    oi = loop.first("OI") or Segment(["OI"])
    paid = loop.first("AMT", e1="D")
    remaining = loop.first("AMT", e1="EAF")
    return OtherPayer(
        subscriber=subscriber, payer=payer, responsibility=sbr.get(1), relationship=sbr.get(2),
        group_number=sbr.get(3), filing_indicator=sbr.get(9),
        paid=amount(paid.get(2)) if paid is not None else None,
        remaining=amount(remaining.get(2)) if remaining is not None else None,
        adjustments=adjustments_of([c.elements for c in loop.all("CAS")]),
        benefits_assignment=oi.get(3), release=oi.get(6), paid_date=paid_date)


def _line(loop: Loop, comp: str) -> Line:
    sv = loop.first("SV1")
    institutional = sv is None
    if sv is None:
        sv = loop.first("SV2") or Segment(["SV2"])
    description = _description(sv.get(2 if institutional else 1), comp)
    if institutional:
        qualifier, code, modifiers = _procedure(sv.get(2), comp)
        charge, unit, quantity = money_of(sv.get(3)), sv.get(4), money_of(sv.get(5))
        pos, pointers = "", tuple[int, ...]()
    else:
        qualifier, code, modifiers = _procedure(sv.get(1), comp)
        charge, unit, quantity = money_of(sv.get(2)), sv.get(3), money_of(sv.get(4))
        pos = sv.get(5)
        pointers = tuple(int(p) for p in sv.get(7).split(comp) if is_digits(p))
    dtp = loop.first("DTP", e1="472")
    ref6r = loop.first("REF", e1="6R")
    g1 = loop.first("REF", e1="G1")
    nte = loop.first("NTE")
    drug = None
    providers: list[Entity] = []
    adjudications: list[LineAdjudication] = []
    for sub in loop.children:
        if not isinstance(sub, Loop):
            continue
        if sub.id == "2410":
            lin = sub.first("LIN") or Segment(["LIN"])
            ctp = sub.first("CTP") or Segment(["CTP"])
            drug = Drug(lin.get(3), money_of(ctp.get(4)), ctp.get(5).split(comp)[0], lin.get(2))
        elif sub.id == "2430":
            svd = sub.first("SVD") or Segment(["SVD"])
            q, c, mods = _procedure(svd.get(3), comp)
            date = sub.first("DTP", e1="573")
            adjudications.append(LineAdjudication(
                svd.get(1), money_of(svd.get(2)), q, c, money_of(svd.get(5)),
                date.get(3) if date is not None else "", mods,
                adjustments_of([c.elements for c in sub.all("CAS")])))
        elif sub.id.startswith("2420"):
            providers.append(_entity_loop(sub))
    return Line(
        code=code, charge=charge, quantity=quantity, qualifier=qualifier, modifiers=modifiers,
        description=description, unit=unit, place_of_service=pos, pointers=pointers,
        emergency="" if institutional else sv.get(9),
        epsdt="" if institutional else sv.get(11),
        family_planning="" if institutional else sv.get(12),
        revenue_code=sv.get(1) if institutional else "",
        non_covered=amount(sv.get(7)) if institutional else None,
        service_date=dtp.get(3) if dtp is not None else "",
        control_number=ref6r.get(2) if ref6r is not None else "",
        prior_authorization=g1.get(2) if g1 is not None else "",
        note=nte.get(2) if nte is not None else "", drug=drug, providers=tuple(providers),
        adjudications=tuple(adjudications))


def _codes(claim: Loop, comp: str) -> tuple[tuple[Diagnosis, ...], tuple[HealthCode, ...]]:
    diagnoses: list[Diagnosis] = []
    others: list[HealthCode] = []
    for hi in claim.all("HI"):
        for value in hi.elements[1:]:
            if not value:
                continue
            parts = value.split(comp) + [""] * 9
            if parts[0] in DIAGNOSIS_QUALIFIERS:
                diagnoses.append(Diagnosis(parts[0], parts[1], parts[8]))
            else:
                others.append(HealthCode(parts[0], parts[1], parts[2], parts[3], amount(parts[4])))
    return tuple(diagnoses), tuple(others)


def _ref(loop: Loop, qualifier: str) -> str:
    ref = loop.first("REF", e1=qualifier)
    return ref.get(2) if ref is not None else ""


def _claim(loop: Loop, comp: str, provider: Provider, pay_to: Entity | None,
           subscriber: Subscriber, payer: Entity, patient: Patient | None) -> Claim:
    clm = loop.first("CLM") or Segment(["CLM"])
    facility = [*clm.get(5).split(comp), "", "", ""]
    causes = [*clm.get(11).split(comp), "", "", "", "", ""]
    dates = {d.get(1): d.get(3) for d in loop.all("DTP")}
    cl1 = loop.first("CL1") or Segment(["CL1"])
    nte = loop.first("NTE")
    diagnoses, others = _codes(loop, comp)
    providers: list[Entity] = []
    other_payers: list[OtherPayer] = []
    lines: list[Line] = []
    for sub in loop.children:
        if not isinstance(sub, Loop):
            continue
        if sub.id == "2400":
            lines.append(_line(sub, comp))
        elif sub.id == "2320":
            other_payers.append(_other_payer(sub))
        elif sub.id.startswith("2310"):
            providers.append(_entity_loop(sub))
    return Claim(
        billing_provider=provider, subscriber=subscriber, payer=payer, id=clm.get(1),
        charge=money_of(clm.get(2)), facility_code=facility[0], frequency=facility[2],
        facility_qualifier=facility[1], pay_to=pay_to, patient=patient,
        provider_signature=clm.get(6), assignment=clm.get(7), benefits_assignment=clm.get(8),
        release=clm.get(9), patient_signature=clm.get(10),
        related_causes=tuple(c for c in causes[:3] if c), accident_state=causes[3],
        special_program=clm.get(12), delay_reason=clm.get(20), dates=dates or None,
        prior_authorization=_ref(loop, "G1"), referral_number=_ref(loop, "9F"),
        payer_claim_control=_ref(loop, "F8"), medical_record=_ref(loop, "EA"),
        note=nte.get(2) if nte is not None else "", admission_type=cl1.get(1),
        admission_source=cl1.get(2), patient_status=cl1.get(3), diagnoses=diagnoses,
        other_codes=others, providers=tuple(providers), other_payers=tuple(other_payers),
        lines=tuple(lines))


def claim_file_of(tx: Transaction) -> ClaimFile:
    """The typed 837 of a parsed transaction (tolerant: missing parts become empty values)."""
    if tx.set_id != "837":
        raise ValueError(f"transaction set {tx.set_id[:3]!r} is not an 837")
    comp = tx.delimiters.component
    kind = "institutional" if "X223" in tx.guide_id else "professional"
    bht = tx.body.first("BHT") or Segment(["BHT"])
    submitter = receiver = Entity("", "")
    contact: tuple[str, ...] = ()
    claims: list[Claim] = []
    for child in tx.body.children:
        if not isinstance(child, Loop):
            continue
        if child.id == "1000A":
            submitter = _entity_loop(child)
            per = child.first("PER")
            contact = tuple(per.elements[2:]) if per is not None else ()
        elif child.id == "1000B":
            receiver = _entity_loop(child)
        elif child.id == "2000A":
            provider = _provider(child)
            pay_to = next((_entity_loop(s) for s in child.children
                           if isinstance(s, Loop) and s.id == "2010AB"), None)
            for sub_loop in child.loops("2000B"):
                subscriber, payer = _subscriber(sub_loop)
                for item in sub_loop.children:
                    if not isinstance(item, Loop):
                        continue
                    if item.id == "2300":
                        claims.append(_claim(item, comp, provider, pay_to, subscriber, payer,
                                             None))
                    elif item.id == "2000C":
                        patient = _patient(item)
                        for claim in item.loops("2300"):
                            claims.append(_claim(claim, comp, provider, pay_to, subscriber,
                                                 payer, patient))
    return ClaimFile(
        control=tx.control, kind=kind, submitter=submitter, receiver=receiver,
        claims=tuple(claims), reference=bht.get(3), created=bht.get(4), time=bht.get(5),
        purpose=bht.get(2), claim_type=bht.get(6), submitter_contact=contact)
