"""Completeness edits from the 837 implementation guides (TR3 005010X222A1 / X223A2).

These catch what a clearinghouse front end rejects before a payer ever sees the claim:
missing or malformed identifiers, addresses, relationships, pointers and line values.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from openrcm.claims.model import SELF, Address, ClaimKind, Frequency, Person, Provider
from openrcm.claims.scrub.engine import Edit, Facts, Hit, Screen
from openrcm.claims.scrub.formats import (
    STATES,
    is_po_box,
    modifier_well_formed,
    npi_valid,
    procedure_well_formed,
    tax_id_valid,
    zip_valid,
)
from openrcm.findings import Severity

TR3 = "ASC X12 005010 TR3 (837P X222A1 / 837I X223A2)"
TR3_RELEASE = "005010"

#: Service lines allowed per claim: 837P loop 2400 repeats 50 times, 837I 999 times.
MAX_LINES = {ClaimKind.PROFESSIONAL: 50, ClaimKind.INSTITUTIONAL: 999}
#: Diagnoses per claim: 12 on the 837P HI segment, 1 principal + 24 other on the 837I.
MAX_DIAGNOSES = {ClaimKind.PROFESSIONAL: 12, ClaimKind.INSTITUTIONAL: 25}
NONE: Sequence[Hit] = ()
#: SV104 / SV205 hold at most 5 digits of units (TR3 element R, max length 15, but payers
#: and the paper form allow 99999).
MAX_UNITS = Decimal("99999")
_ZERO = Decimal(0)  # Decimal to Decimal compares twice as fast as Decimal to int
#: The smallest limits of any claim kind: below them no kind lookup is needed.
_FEWEST_LINES = min(MAX_LINES.values())
_FEWEST_DX = min(MAX_DIAGNOSES.values())


def _providers(f: Facts) -> list[tuple[str, Provider]]:
    c = f.claim
    roles: list[tuple[str, Provider | None]] = [
        ("billing", c.billing_provider),
        ("rendering", c.rendering_provider),
        ("referring", c.referring_provider),
        ("service_facility", c.service_facility),
        ("attending", c.institutional.attending if c.institutional else None),
    ]
    return [(role, p) for role, p in roles if p is not None]


def no_lines(f: Facts) -> Sequence[Hit]:
    return NONE if f.claim.lines else (({}, {}),)


def too_many_lines(f: Facts) -> Sequence[Hit]:
    n = len(f.claim.lines)
    if n <= _FEWEST_LINES:
        return NONE
    limit = MAX_LINES[f.claim.kind]
    return (({}, {"n": n, "limit": limit}),) if n > limit else NONE


def no_diagnosis(f: Facts) -> Sequence[Hit]:
    return NONE if f.claim.diagnoses else (({}, {}),)


def too_many_diagnoses(f: Facts) -> Sequence[Hit]:
    n = len(f.claim.diagnoses)
    if n <= _FEWEST_DX:
        return NONE
    limit = MAX_DIAGNOSES[f.claim.kind]
    return (({}, {"n": n, "limit": limit}),) if n > limit else NONE


def claim_id_format(f: Facts) -> Sequence[Hit]:
    cid = f.claim.claim_id
    return NONE if 1 <= len(cid) <= 38 and cid.isprintable() else (({}, {}),)


def claim_id_long(f: Facts) -> Sequence[Hit]:
    return (({}, {"n": len(f.claim.claim_id)}),) if 20 < len(f.claim.claim_id) <= 38 else NONE


def npi_check(f: Facts) -> Sequence[Hit]:
    return [
        ({"provider": role}, {"role": role}) for role, p in _providers(f) if not npi_valid(p.npi)
    ]


def tax_id(f: Facts) -> Sequence[Hit]:
    p = f.claim.billing_provider
    return NONE if tax_id_valid(p.tax_id, p.tax_id_kind) else (({"provider": "billing"}, {}),)


def _address_problems(role: str, a: Address) -> list[Hit]:
    hits: list[Hit] = []
    if a.state not in STATES:
        hits.append(({"provider": role, "field": "state"}, {"role": role, "what": "state code"}))
    if not zip_valid(a.zip):
        hits.append(({"provider": role, "field": "zip"}, {"role": role, "what": "ZIP code"}))
    if not a.line1.strip() or not a.city.strip():
        hits.append(({"provider": role, "field": "line1"}, {"role": role, "what": "street/city"}))
    return hits


def _address_ok(a: Address) -> bool:
    z = a.zip
    return (
        a.state in STATES
        and len(z) in (5, 9)
        and z.isdigit()
        and bool(a.line1)
        and bool(a.city)
        and not a.line1.isspace()
        and not a.city.isspace()
    )


def address_format(f: Facts) -> Sequence[Hit]:
    c = f.claim
    hits: list[Hit] = []
    for role, p in _providers(f):
        a = p.address
        if a is not None and not _address_ok(a):
            hits.extend(_address_problems(role, a))
    for role, addr in (
        ("patient", c.patient.address),
        ("subscriber", c.coverage.subscriber.address),
    ):
        if addr is not None and not _address_ok(addr):
            hits.extend(_address_problems(role, addr))
    return hits


def billing_address_missing(f: Facts) -> Sequence[Hit]:
    return (
        NONE if f.claim.billing_provider.address is not None else (({"provider": "billing"}, {}),)
    )


def _zip5(role: str, p: Provider | None) -> Sequence[Hit]:
    """A valid five-digit ZIP where the 837 needs ZIP+4 (a wrong ZIP is ADDR-FORMAT's)."""
    a = p.address if p is not None else None
    if a is None or not zip_valid(a.zip) or len(a.zip) == 9:
        return NONE
    return (({"provider": role, "field": "zip"}, {}),)


def billing_zip9(f: Facts) -> Sequence[Hit]:
    return _zip5("billing", f.claim.billing_provider)


def facility_zip9(f: Facts) -> Sequence[Hit]:
    return _zip5("service_facility", f.claim.service_facility)


def billing_po_box(f: Facts) -> Sequence[Hit]:
    a = f.claim.billing_provider.address
    if a is None or not (is_po_box(a.line1) or is_po_box(a.line2)):
        return NONE
    return (({"provider": "billing", "field": "line1"}, {}),)


def relationship(f: Facts) -> Sequence[Hit]:
    cov = f.claim.coverage
    sub, pat = cov.subscriber, f.claim.patient
    same = sub.person_id == pat.person_id
    if cov.relationship == SELF and not same:
        return (
            (
                {"field": "relationship"},
                {"why": "is 18 (self) but the subscriber is another person"},
            ),
        )
    if cov.relationship != SELF and same:
        return (
            (
                {"field": "relationship"},
                {"why": f"is {cov.relationship} but the patient is the subscriber"},
            ),
        )
    if same and (sub.birth_date != pat.birth_date or sub.last_name != pat.last_name):
        return (
            (
                {"field": "relationship"},
                {"why": "is self but the subscriber and patient records differ"},
            ),
        )
    return NONE


def member_id(f: Facts) -> Sequence[Hit]:
    m = f.claim.coverage.member_id
    return NONE if 2 <= len(m) <= 80 and m.isprintable() else (({"field": "member_id"}, {}),)


def patient_demographics(f: Facts) -> Sequence[Hit]:
    hits: list[Hit] = []
    for role, person in (("patient", f.claim.patient), ("subscriber", f.claim.coverage.subscriber)):
        if not person.last_name.strip():
            hits.append(
                ({"person": role, "field": "last_name"}, {"role": role, "what": "last name"})
            )
        if person.sex not in ("M", "F", "U"):
            hits.append(
                ({"person": role, "field": "sex"}, {"role": role, "what": "sex (M, F or U)"})
            )
    return hits


def birth_after_service(f: Facts) -> Sequence[Hit]:
    return (({"person": "patient", "field": "birth_date"}, {}),) if f.age < 0 else NONE


def line_charge(f: Facts) -> Sequence[Hit]:
    return [({"line": i + 1}, {}) for i, ln in enumerate(f.claim.lines) if ln.charge <= 0]


def line_units(f: Facts) -> Sequence[Hit]:
    return [
        ({"line": i + 1}, {}) for i, ln in enumerate(f.claim.lines) if not 0 < ln.units <= MAX_UNITS
    ]


def line_procedure(f: Facts) -> Sequence[Hit]:
    inst = not f.professional
    return [
        ({"line": i + 1}, {"code": code or "(none)"})
        for i, code in enumerate(f.procedures)
        if not (inst and not code) and not procedure_well_formed(code)
    ]


def line_modifiers(f: Facts) -> Sequence[Hit]:
    hits: list[Hit] = []
    known = f.reference.modifiers
    for i, ln in enumerate(f.claim.lines):
        if len(ln.modifiers) > 4:
            hits.append(({"line": i + 1}, {"what": "has more than four modifiers"}))
        for m in ln.modifiers:
            # Two-digit modifiers are CPT's (licensed, not shipped): only their shape is
            # checked; the others must be on the HCPCS Level II modifier list when loaded.
            if not modifier_well_formed(m) or (known and not m.isdigit() and m not in known):
                hits.append(({"line": i + 1, "modifier": m}, {"what": f"has unknown modifier {m}"}))
    return hits


def place_of_service(f: Facts) -> Sequence[Hit]:
    if not f.professional:
        return NONE
    known = f.reference.places_of_service
    c = f.claim
    hits: list[Hit] = []
    pos = c.place_of_service
    if len(pos) != 2 or not pos.isdigit() or (known and pos not in known):
        hits.append(({"field": "place_of_service"}, {"pos": pos or "(none)"}))
    for i, ln in enumerate(c.lines):
        pos = ln.place_of_service
        if pos and (len(pos) != 2 or not pos.isdigit() or (known and pos not in known)):
            hits.append(({"line": i + 1}, {"pos": pos}))
    return hits


def service_dates(f: Facts) -> Sequence[Hit]:
    hits: list[Hit] = []
    for i, ln in enumerate(f.claim.lines):
        if ln.service_date > f.as_of:
            hits.append(({"line": i + 1}, {"why": "is in the future"}))
        elif ln.service_date_end is not None and ln.service_date_end < ln.service_date:
            hits.append(({"line": i + 1}, {"why": "ends before it starts"}))
    return hits


def _pointer_problem(ptrs: tuple[int, ...], n: int) -> str:
    if not ptrs:
        return "points to no diagnosis"
    if len(ptrs) > 4:
        return "has more than four diagnosis pointers"
    if len(set(ptrs)) != len(ptrs):
        return "repeats a diagnosis pointer"
    for p in ptrs:
        if not 1 <= p <= n:
            return f"points to diagnosis {p} of {n}"
    return ""


def pointers(f: Facts) -> Sequence[Hit]:
    n = len(f.claim.diagnoses)
    hits: list[Hit] = []
    professional = f.professional
    for i, ln in enumerate(f.claim.lines):
        ptrs = ln.pointers
        if not ptrs and not professional:
            continue
        if (
            ptrs
            and len(ptrs) <= 4
            and min(ptrs) >= 1
            and max(ptrs) <= n
            and (len(ptrs) == 1 or len(set(ptrs)) == len(ptrs))
        ):
            continue
        hits.append(({"line": i + 1}, {"why": _pointer_problem(ptrs, n)}))
    return hits


_NDC_UNITS = frozenset({"UN", "ML", "GR", "F2", "ME"})


def line_ndc(f: Facts) -> Sequence[Hit]:
    hits: list[Hit] = []
    for i, ln in enumerate(f.claim.lines):
        if not ln.ndc:
            continue
        where: dict[str, str | int] = {"line": i + 1, "field": "ndc"}
        if len(ln.ndc) != 11 or not ln.ndc.isdigit():
            hits.append((where, {"why": "is not 11 digits (5-4-2)"}))
        elif ln.ndc_quantity is None or ln.ndc_quantity <= 0:
            hits.append((where, {"why": "has no drug quantity"}))
        elif ln.ndc_unit not in _NDC_UNITS:
            hits.append((where, {"why": f"unit {ln.ndc_unit} is not UN, ML, GR, F2 or ME"}))
    return hits


def frequency_reference(f: Facts) -> Sequence[Hit]:
    c = f.claim
    if c.frequency is not Frequency.ORIGINAL and not c.payer_claim_control_number:
        return (({"field": "payer_claim_control_number"}, {"freq": str(c.frequency)}),)
    return NONE


def accident_state(f: Facts) -> Sequence[Hit]:
    acc = f.claim.accident
    if acc is not None and acc.cause == "AA" and acc.state not in STATES:
        return (({"field": "accident_state"}, {}),)
    return NONE


def institutional_fields(f: Facts) -> Sequence[Hit]:
    c = f.claim
    if c.kind is not ClaimKind.INSTITUTIONAL:
        return NONE
    inst = c.institutional
    if inst is None:
        return (({"field": "institutional"}, {"what": "type of bill and statement dates"}),)
    hits: list[Hit] = []
    tob = inst.type_of_bill
    if not (len(tob) in (3, 4) and tob.isdigit()):
        hits.append(({"field": "type_of_bill"}, {"what": "a 3-digit type of bill"}))
    elif tob.lstrip("0")[:2] in ("11", "12", "18", "21", "41") and inst.admission_date is None:
        hits.append(({"field": "admission_date"}, {"what": "an admission date (inpatient bill)"}))
    if inst.statement_from is None or inst.statement_to is None:
        hits.append(({"field": "statement_dates"}, {"what": "statement from/through dates"}))
    if not inst.patient_status:
        hits.append(({"field": "patient_status"}, {"what": "a patient discharge status"}))
    if inst.attending is None:
        hits.append(({"provider": "attending"}, {"what": "an attending provider"}))
    for i, ln in enumerate(c.lines):
        if not (len(ln.revenue_code) == 4 and ln.revenue_code.isdigit()):
            hits.append(
                ({"line": i + 1, "field": "revenue_code"}, {"what": "a 4-digit revenue code"})
            )
    return hits


def poa_indicators(f: Facts) -> Sequence[Hit]:
    c = f.claim
    inst = c.institutional
    if c.kind is not ClaimKind.INSTITUTIONAL or inst is None:
        return NONE
    if inst.type_of_bill.lstrip("0")[:2] not in ("11", "12", "18", "41"):
        return NONE
    return [
        ({"diagnosis": i + 1}, {"poa": d.poa or "(none)"})
        for i, d in enumerate(c.diagnoses)
        if d.poa not in ("Y", "N", "U", "W", "1")
    ]


# Screens: one quick pass that clears a whole group of the edits above on a clean claim
# (see ``Edit.screen``). Each must be True only when none of its group's edits can fire.


def claim_shape_clean(f: Facts) -> bool:
    """CLM-NO-LINES ... CLM-ID-LONG cannot fire."""
    c = f.claim
    cid = c.claim_id
    return (
        0 < len(c.lines) <= _FEWEST_LINES
        and 0 < len(c.diagnoses) <= _FEWEST_DX
        and 0 < len(cid) <= 20
        and cid.isprintable()
    )


#: Provider verdicts by object identity (providers are frozen and shared by many claims; the
#: provider is kept in the entry so its id cannot be reused while the entry lives).
_PROVIDER_VERDICTS: dict[int, tuple[Provider, tuple[bool, bool, bool]]] = {}
_VERDICTS_KEPT = 4096


def _verdicts(p: Provider) -> tuple[bool, bool, bool]:
    """Whether ``p`` passes every provider edit in any role, as billing provider, and as
    service facility (which also needs ZIP+4)."""
    entry = _PROVIDER_VERDICTS.get(id(p))
    if entry is not None and entry[0] is p:
        return entry[1]
    a = p.address
    any_role = npi_valid(p.npi) and (a is None or _address_ok(a))
    billing = (
        any_role
        and a is not None
        and len(a.zip) == 9
        and tax_id_valid(p.tax_id, p.tax_id_kind)
        and not is_po_box(a.line1)
        and not is_po_box(a.line2)
    )
    facility = any_role and (a is None or len(a.zip) == 9)
    if len(_PROVIDER_VERDICTS) >= _VERDICTS_KEPT:
        _PROVIDER_VERDICTS.clear()
    verdicts = any_role, billing, facility
    _PROVIDER_VERDICTS[id(p)] = (p, verdicts)
    return verdicts


def parties_clean(f: Facts) -> bool:
    """PRV-NPI-CHECKDIGIT ... ADDR-BILLING-PO-BOX cannot fire."""
    c = f.claim
    if not _verdicts(c.billing_provider)[1]:
        return False
    for p in (c.rendering_provider, c.referring_provider):
        if p is not None and not _verdicts(p)[0]:
            return False
    p = c.service_facility
    if p is not None and not _verdicts(p)[2]:
        return False
    inst = c.institutional
    if inst is not None and inst.attending is not None and not _verdicts(inst.attending)[0]:
        return False
    a = c.patient.address
    if a is not None and not _address_ok(a):
        return False
    b = c.coverage.subscriber.address
    return b is None or b is a or _address_ok(b)


def people_clean(f: Facts) -> bool:
    """SUB-RELATIONSHIP, SUB-MEMBER-ID, PAT-DEMOGRAPHICS, PAT-BIRTH-AFTER-SERVICE cannot
    fire."""
    c = f.claim
    cov = c.coverage
    sub, pat = cov.subscriber, c.patient
    if cov.relationship == SELF:
        if sub is not pat and (
            sub.person_id != pat.person_id
            or sub.birth_date != pat.birth_date
            or sub.last_name != pat.last_name
        ):
            return False
    elif sub.person_id == pat.person_id:
        return False
    m = cov.member_id
    return (
        2 <= len(m) <= 80
        and m.isprintable()
        and f.age >= 0
        and _person_clean(pat)
        and (sub is pat or _person_clean(sub))
    )


def _person_clean(p: Person) -> bool:
    return p.sex in ("M", "F", "U") and not p.last_name.isspace() and bool(p.last_name)


#: Each pointer list's highest pointer when it is well formed (1-4 distinct pointers from 1
#: up), else 0: the lines of a practice use a handful of lists.
_POINTER_TOPS: dict[tuple[int, ...], int] = {}


def _pointer_top(ptrs: tuple[int, ...]) -> int:
    top = _POINTER_TOPS.get(ptrs)
    if top is None:
        ok = ptrs and len(ptrs) <= 4 and min(ptrs) >= 1 and len(set(ptrs)) == len(ptrs)
        top = max(ptrs) if ok else 0
        if len(_POINTER_TOPS) >= _VERDICTS_KEPT:
            _POINTER_TOPS.clear()
        _POINTER_TOPS[ptrs] = top
    return top


def lines_clean(f: Facts) -> bool:
    """LINE-CHARGE ... LINE-NDC (charge, units, procedure, modifiers, place of service,
    dates, diagnosis pointers, NDC) cannot fire on any line."""
    c = f.claim
    professional = f.professional
    known_pos = f.reference.places_of_service
    known_mods = f.reference.modifiers
    if professional:
        pos = c.place_of_service
        if len(pos) != 2 or not pos.isdigit() or (known_pos and pos not in known_pos):
            return False
    n = len(c.diagnoses)
    as_of = f.as_of
    for ln, code in zip(c.lines, f.procedures, strict=True):
        if not (ln.charge > _ZERO and _ZERO < ln.units <= MAX_UNITS):
            return False
        if (code or professional) and not procedure_well_formed(code):
            return False
        day, end = ln.service_date, ln.service_date_end
        if day > as_of or (end is not None and end < day):
            return False
        ptrs = ln.pointers
        if (ptrs or professional) and not 0 < _pointer_top(ptrs) <= n:
            return False
        mods = ln.modifiers
        if len(mods) > 4:
            return False
        for m in mods:
            if not modifier_well_formed(m) or (
                known_mods and not m.isdigit() and m not in known_mods
            ):
                return False
        pos = ln.place_of_service
        if (
            pos
            and professional
            and (len(pos) != 2 or not pos.isdigit() or (known_pos and pos not in known_pos))
        ):
            return False
        ndc = ln.ndc
        if ndc and not (
            len(ndc) == 11
            and ndc.isdigit()
            and ln.ndc_quantity is not None
            and ln.ndc_quantity > 0
            and ln.ndc_unit in _NDC_UNITS
        ):
            return False
    return True


def _edit(
    id: str,
    sev: Severity,
    msg: str,
    hint: str,
    check: object,
    kind: ClaimKind | None = None,
    screen: Screen | None = None,
) -> Edit:
    assert callable(check)
    kinds = frozenset(ClaimKind) if kind is None else frozenset({kind})
    return Edit(id, sev, msg, hint, TR3, TR3_RELEASE, "core", check, kinds, screen)


E, W = Severity.ERROR, Severity.WARNING

EDITS: tuple[Edit, ...] = (
    _edit(
        "CLM-NO-LINES",
        E,
        "The claim has no service lines.",
        "Add at least one charge to the encounter.",
        no_lines,
        screen=claim_shape_clean,
    ),
    _edit(
        "CLM-TOO-MANY-LINES",
        E,
        "The claim has {n} service lines; the 837 allows {limit}.",
        "Split the claim (the builder does this by line limit).",
        too_many_lines,
        screen=claim_shape_clean,
    ),
    _edit(
        "CLM-NO-DIAGNOSIS",
        E,
        "The claim has no diagnosis code.",
        "Add the diagnoses that support the services.",
        no_diagnosis,
        screen=claim_shape_clean,
    ),
    _edit(
        "CLM-TOO-MANY-DX",
        E,
        "The claim has {n} diagnoses; the 837 allows {limit}.",
        "Split the claim so each part carries the diagnoses its lines point to.",
        too_many_diagnoses,
        screen=claim_shape_clean,
    ),
    _edit(
        "CLM-ID-FORMAT",
        E,
        "The patient control number is empty, longer than 38 characters or not printable.",
        "Use the encounter's claim number (1-38 characters).",
        claim_id_format,
        screen=claim_shape_clean,
    ),
    _edit(
        "CLM-ID-LONG",
        W,
        "The patient control number has {n} characters; many payers keep only the first 20.",
        "Keep patient control numbers to 20 characters.",
        claim_id_long,
        screen=claim_shape_clean,
    ),
    _edit(
        "PRV-NPI-CHECKDIGIT",
        E,
        "The {role} provider NPI is not 10 digits with a valid check digit.",
        "Re-enter the NPI from NPPES; a typo usually breaks the check digit.",
        npi_check,
        screen=parties_clean,
    ),
    _edit(
        "PRV-TAX-ID",
        E,
        "The billing provider tax ID is not a valid 9-digit EIN or SSN.",
        "Enter the EIN (or SSN for a sole provider) as 9 digits without the hyphen.",
        tax_id,
        screen=parties_clean,
    ),
    _edit(
        "ADDR-BILLING-MISSING",
        E,
        "The billing provider has no address.",
        "Add the billing provider's street address.",
        billing_address_missing,
        screen=parties_clean,
    ),
    _edit(
        "ADDR-FORMAT",
        E,
        "The {role} address has an invalid {what}.",
        "Use a USPS state code and a 5- or 9-digit ZIP code.",
        address_format,
        screen=parties_clean,
    ),
    _edit(
        "ADDR-BILLING-ZIP9",
        E,
        "The billing provider ZIP code must have 9 digits on an 837.",
        "Add the ZIP+4 extension.",
        billing_zip9,
        screen=parties_clean,
    ),
    _edit(
        "ADDR-FACILITY-ZIP9",
        E,
        "The service facility ZIP code must have 9 digits on an 837.",
        "Add the ZIP+4 extension to the service location's address.",
        facility_zip9,
        screen=parties_clean,
    ),
    _edit(
        "ADDR-BILLING-PO-BOX",
        E,
        "The billing provider address is a P.O. box, which the 837 does not accept.",
        "Use the street address; put a P.O. box in the pay-to address.",
        billing_po_box,
        screen=parties_clean,
    ),
    _edit(
        "SUB-RELATIONSHIP",
        E,
        "The patient relationship to the subscriber {why}.",
        "Correct the coverage's subscriber or relationship code.",
        relationship,
        screen=people_clean,
    ),
    _edit(
        "SUB-MEMBER-ID",
        E,
        "The subscriber member ID is missing or malformed.",
        "Copy the member ID from the insurance card.",
        member_id,
        screen=people_clean,
    ),
    _edit(
        "PAT-DEMOGRAPHICS",
        E,
        "The {role} {what} is missing or invalid.",
        "Complete the demographics in the patient's record.",
        patient_demographics,
        screen=people_clean,
    ),
    _edit(
        "PAT-BIRTH-AFTER-SERVICE",
        E,
        "The patient's birth date is after the date of service.",
        "Check the birth date and the service dates.",
        birth_after_service,
        screen=people_clean,
    ),
    _edit(
        "LINE-CHARGE",
        E,
        "The line charge must be more than zero.",
        "Enter the charge from the fee schedule.",
        line_charge,
        screen=lines_clean,
    ),
    _edit(
        "LINE-UNITS",
        E,
        "The line units must be between 1 and 99999.",
        "Enter the units the code's descriptor counts.",
        line_units,
        screen=lines_clean,
    ),
    _edit(
        "LINE-PROCEDURE-FORMAT",
        E,
        "The procedure code {code} is not a CPT or HCPCS code.",
        "Use a 5-character CPT or HCPCS Level II code.",
        line_procedure,
        screen=lines_clean,
    ),
    _edit(
        "LINE-MODIFIER",
        E,
        "The line {what}.",
        "Use at most four valid two-character modifiers.",
        line_modifiers,
        screen=lines_clean,
    ),
    _edit(
        "LINE-POS",
        E,
        "The place of service {pos} is not a valid CMS place-of-service code.",
        "Use the two-digit POS code where the service was performed.",
        place_of_service,
        ClaimKind.PROFESSIONAL,
        screen=lines_clean,
    ),
    _edit(
        "LINE-DATE",
        E,
        "The service date {why}.",
        "Correct the line's dates of service.",
        service_dates,
        screen=lines_clean,
    ),
    _edit(
        "DX-POINTER",
        E,
        "The line {why}.",
        "Point each line to 1-4 of the claim's diagnoses, most relevant first.",
        pointers,
        screen=lines_clean,
    ),
    _edit(
        "LINE-NDC",
        E,
        "The line's National Drug Code {why}.",
        "Enter the NDC as 11 digits without hyphens (pad the short segment with a leading "
        "zero), with the quantity and its unit.",
        line_ndc,
        screen=lines_clean,
    ),
    _edit(
        "CLM-FREQ-REFERENCE",
        E,
        "A frequency {freq} claim needs the payer's claim control number of the original.",
        "Copy the payer claim number from the 835 or 277.",
        frequency_reference,
    ),
    _edit(
        "CLM-ACCIDENT-STATE",
        E,
        "An auto accident claim needs the state where it happened.",
        "Enter the accident state code.",
        accident_state,
    ),
    _edit(
        "INST-REQUIRED",
        E,
        "The institutional claim needs {what}.",
        "Complete the UB-04 header fields.",
        institutional_fields,
        ClaimKind.INSTITUTIONAL,
    ),
    _edit(
        "INST-POA",
        E,
        "Present-on-admission indicator {poa} is not Y, N, U, W or 1.",
        "Record POA for every diagnosis of an inpatient bill (1 when exempt).",
        poa_indicators,
        ClaimKind.INSTITUTIONAL,
    ),
)
