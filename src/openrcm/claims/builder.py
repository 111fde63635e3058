"""From a coded encounter to the claims that bill it.

The services layer loads a ``ClaimContext`` from the store (practice providers, the patient's
coverages in payment order, the encounter, its ranked diagnoses and its charges, and any prior
payers' adjudication) and hands it here; this module never touches a database. Building picks
the coverage to bill, splits the charges into as many claims as the limits and the payer's
rules require (837P: 50 lines and 12 diagnoses; 837I: 999 lines and 25 diagnoses; paper
CMS-1500: 6 lines), and gives every line pointers to at most four of its claim's diagnoses.
``corrected_claim`` and ``void_claim`` make frequency 7 and 8 claims from an original.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from openrcm.claims.model import (
    Accident,
    Claim,
    ClaimKind,
    Coverage,
    Diagnosis,
    Frequency,
    Institutional,
    Person,
    PriorAdjudication,
    Provider,
    Responsibility,
    ServiceLine,
)

#: Service lines per claim: 837P, 837I, and the paper CMS-1500 (six lines per form).
MAX_LINES_837P = 50
MAX_LINES_837I = 999
MAX_LINES_CMS1500 = 6
#: Diagnosis codes per claim: 837P / CMS-1500 (A-L), 837I (principal + 24 other).
MAX_DX_PROFESSIONAL = 12
MAX_DX_INSTITUTIONAL = 25
#: Diagnosis pointers per service line.
MAX_POINTERS = 4


class BuildError(ValueError):
    """The encounter cannot be billed as given; the message says what is missing or wrong."""


@dataclass(frozen=True, slots=True)
class Charge:
    """One charge of the encounter, with the diagnoses it is for (codes, most relevant first)."""

    line_id: str
    procedure: str
    charge: Decimal
    service_date: date
    units: Decimal = Decimal(1)
    modifiers: tuple[str, ...] = ()
    diagnoses: tuple[str, ...] = ()
    service_date_end: date | None = None
    place_of_service: str = ""
    revenue_code: str = ""
    ndc: str = ""
    ndc_quantity: Decimal | None = None
    ndc_unit: str = "UN"


@dataclass(frozen=True, slots=True)
class Encounter:
    """The visit or stay being billed."""

    encounter_id: str
    kind: ClaimKind
    place_of_service: str = "11"
    prior_authorization: str = ""
    referral_number: str = ""
    accident: Accident | None = None
    onset_date: date | None = None
    institutional: Institutional | None = None


@dataclass(frozen=True, slots=True)
class ClaimContext:
    """Everything a claim is built from, as plain values the services layer fills.

    Attributes:
        practice: the practice's name (for forms and reports).
        coverages: the patient's policies, any order; each says its responsibility.
        diagnoses: the encounter's diagnoses in rank order (first = primary/principal).
        prior_adjudications: what earlier payers did (for secondary and tertiary claims).
    """

    practice: str
    billing_provider: Provider
    patient: Person
    coverages: tuple[Coverage, ...]
    encounter: Encounter
    diagnoses: tuple[Diagnosis, ...]
    charges: tuple[Charge, ...]
    rendering_provider: Provider | None = None
    referring_provider: Provider | None = None
    service_facility: Provider | None = None
    prior_adjudications: tuple[PriorAdjudication, ...] = ()


@dataclass(frozen=True, slots=True)
class SplitPolicy:
    """How to divide an encounter's charges into claims.

    Attributes:
        max_lines: lines per claim; ``None`` means the 837 limit of the claim kind (use
            ``MAX_LINES_CMS1500`` for paper).
        separate_codes: codes the payer wants alone on their own claim.
        by_service_date: one claim per date of service (payers that refuse spans).
    """

    max_lines: int | None = None
    separate_codes: frozenset[str] = field(default_factory=frozenset)
    by_service_date: bool = False


def _limits(kind: ClaimKind, policy: SplitPolicy) -> tuple[int, int]:
    if kind is ClaimKind.PROFESSIONAL:
        lines, dx = MAX_LINES_837P, MAX_DX_PROFESSIONAL
    else:
        lines, dx = MAX_LINES_837I, MAX_DX_INSTITUTIONAL
    if policy.max_lines is not None:
        if policy.max_lines < 1:
            raise BuildError("max_lines must be at least 1")
        lines = min(lines, policy.max_lines)
    return lines, dx


def _dx_of(charge: Charge, principal: str) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(_norm(c) for c in charge.diagnoses))[:MAX_POINTERS]
    return codes or (principal,)


def _norm(code: str) -> str:
    return code.replace(".", "").strip().upper()


def _groups(charges: Sequence[Charge], policy: SplitPolicy) -> list[list[Charge]]:
    """Charges that may share a claim, in encounter order."""
    groups: dict[tuple[object, ...], list[Charge]] = {}
    for ch in charges:
        key: tuple[object, ...] = (ch.service_date if policy.by_service_date else None,)
        if ch.procedure.upper() in policy.separate_codes:
            key += (ch.procedure.upper(),)
        groups.setdefault(key, []).append(ch)
    return list(groups.values())


def _pack(group: list[Charge], max_lines: int, max_dx: int, principal: str) -> list[list[Charge]]:
    """Greedy packing keeping encounter order: a claim closes when the next charge would
    exceed the line or the diagnosis limit."""
    chunks: list[list[Charge]] = []
    current: list[Charge] = []
    dx: set[str] = set()
    for ch in group:
        mine = set(_dx_of(ch, principal))
        if current and (len(current) >= max_lines or len(dx | mine) > max_dx):
            chunks.append(current)
            current, dx = [], set()
        current.append(ch)
        dx |= mine
    if current:
        chunks.append(current)
    return chunks


def _lines_and_dx(
    charges: Sequence[Charge], ranked: Sequence[Diagnosis], kind: ClaimKind, max_dx: int
) -> tuple[tuple[Diagnosis, ...], tuple[ServiceLine, ...]]:
    principal = _norm(ranked[0].code)
    wanted = {c for ch in charges for c in _dx_of(ch, principal)}
    if kind is ClaimKind.INSTITUTIONAL:
        # The principal diagnosis stays first; institutional lines carry no pointers.
        diagnoses = tuple(ranked[:max_dx])
    else:
        diagnoses = tuple(d for d in ranked if _norm(d.code) in wanted)
    position = {_norm(d.code): i + 1 for i, d in enumerate(diagnoses)}
    if kind is ClaimKind.INSTITUTIONAL:
        position = {}
    lines = tuple(
        ServiceLine(
            line_id=ch.line_id,
            procedure=ch.procedure.upper(),
            charge=ch.charge,
            service_date=ch.service_date,
            units=ch.units,
            modifiers=tuple(m.upper() for m in ch.modifiers),
            pointers=tuple(position[c] for c in _dx_of(ch, principal) if c in position),
            service_date_end=ch.service_date_end,
            place_of_service=ch.place_of_service,
            revenue_code=ch.revenue_code,
            ndc=ch.ndc,
            ndc_quantity=ch.ndc_quantity,
            ndc_unit=ch.ndc_unit,
        )
        for ch in charges
    )
    return diagnoses, lines


_EARLIER = {
    Responsibility.PRIMARY: frozenset(),
    Responsibility.SECONDARY: frozenset({Responsibility.PRIMARY}),
    Responsibility.TERTIARY: frozenset({Responsibility.PRIMARY, Responsibility.SECONDARY}),
}


def build_claims(
    ctx: ClaimContext,
    bill_to: Responsibility = Responsibility.PRIMARY,
    policy: SplitPolicy | None = None,
) -> tuple[Claim, ...]:
    """The claims that bill ``ctx``'s charges to the coverage with responsibility ``bill_to``.

    Raises:
        BuildError: no charges, no diagnoses, no coverage of that responsibility, or a charge
            pointing at a diagnosis the encounter does not have.
    """
    policy = policy or SplitPolicy()
    enc = ctx.encounter
    if not ctx.charges:
        raise BuildError(f"encounter {enc.encounter_id} has no charges")
    if not ctx.diagnoses:
        raise BuildError(f"encounter {enc.encounter_id} has no diagnoses")
    coverage = next((c for c in ctx.coverages if c.responsibility is bill_to), None)
    if coverage is None:
        raise BuildError(
            f"encounter {enc.encounter_id} has no {bill_to.name.lower()} coverage to bill"
        )
    known = {_norm(d.code) for d in ctx.diagnoses}
    for ch in ctx.charges:
        missing = [c for c in ch.diagnoses if _norm(c) not in known]
        if missing:
            raise BuildError(
                f"charge {ch.line_id} points to diagnosis {missing[0]} which is not on "
                f"encounter {enc.encounter_id}"
            )
    max_lines, max_dx = _limits(enc.kind, policy)
    principal = _norm(ctx.diagnoses[0].code)
    chunks = [
        chunk
        for group in _groups(ctx.charges, policy)
        for chunk in _pack(group, max_lines, max_dx, principal)
    ]
    earlier = _EARLIER[bill_to]
    others = tuple(c for c in ctx.coverages if c is not coverage)
    prior = tuple(a for a in ctx.prior_adjudications if a.responsibility in earlier)
    claims = []
    for n, chunk in enumerate(chunks, start=1):
        diagnoses, lines = _lines_and_dx(chunk, ctx.diagnoses, enc.kind, max_dx)
        claim_id = enc.encounter_id if len(chunks) == 1 else f"{enc.encounter_id}-{n}"
        claims.append(
            Claim(
                claim_id=claim_id,
                kind=enc.kind,
                billing_provider=ctx.billing_provider,
                coverage=coverage,
                patient=ctx.patient,
                diagnoses=diagnoses,
                lines=lines,
                place_of_service=enc.place_of_service,
                rendering_provider=ctx.rendering_provider,
                referring_provider=ctx.referring_provider,
                service_facility=ctx.service_facility,
                other_coverages=others,
                prior_adjudications=_prior_for(prior, lines),
                prior_authorization=enc.prior_authorization,
                referral_number=enc.referral_number,
                accident=enc.accident,
                onset_date=enc.onset_date,
                institutional=enc.institutional,
                encounter_id=enc.encounter_id,
            )
        )
    return tuple(claims)


def _prior_for(
    prior: Iterable[PriorAdjudication], lines: Sequence[ServiceLine]
) -> tuple[PriorAdjudication, ...]:
    """Each prior adjudication restricted to this claim's lines (after a split, each claim
    carries the prior payer's results of its own lines only)."""
    ids = {ln.line_id for ln in lines}
    out = []
    for adj in prior:
        if not adj.lines:
            out.append(adj)
            continue
        mine = tuple(la for la in adj.lines if la.line_id in ids)
        if mine:
            paid = sum((la.paid for la in mine), Decimal("0.00"))
            out.append(replace(adj, lines=mine, paid=paid))
    return tuple(out)


def _repoint(
    diagnoses: Sequence[Diagnosis], originals: Sequence[ServiceLine], kind: ClaimKind
) -> tuple[tuple[Diagnosis, ...], tuple[ServiceLine, ...]]:
    """Keep only the diagnoses the kept lines point to and renumber the pointers."""
    if kind is ClaimKind.INSTITUTIONAL:
        return tuple(diagnoses), tuple(originals)
    used = sorted({p for ln in originals for p in ln.pointers if 1 <= p <= len(diagnoses)})
    new_pos = {old: i + 1 for i, old in enumerate(used)}
    lines = tuple(
        replace(ln, pointers=tuple(new_pos[p] for p in ln.pointers if p in new_pos))
        for ln in originals
    )
    return tuple(diagnoses[p - 1] for p in used), lines


def corrected_claim(
    original: Claim,
    corrected: Claim,
    payer_claim_control_number: str,
    only_changed_lines: bool = True,
) -> Claim:
    """A replacement (frequency 7) of ``original`` carrying ``corrected``'s data.

    With ``only_changed_lines`` the replacement holds just the lines that are new or differ
    from the original (matched by ``line_id``), with diagnoses and pointers renumbered; when
    only header data changed, every line is sent.

    Raises:
        BuildError: no payer claim control number, or the two claims are for different
            patients or payers.
    """
    if not payer_claim_control_number.strip():
        raise BuildError("a replacement claim needs the payer's claim control number")
    if corrected.patient.person_id != original.patient.person_id:
        raise BuildError(f"claim {corrected.claim_id} is for another patient than the original")
    if corrected.payer.payer_id != original.payer.payer_id:
        raise BuildError(f"claim {corrected.claim_id} is for another payer than the original")
    lines = corrected.lines
    if only_changed_lines:
        before = {ln.line_id: _identity(original, ln) for ln in original.lines}
        changed = tuple(
            ln for ln in corrected.lines if before.get(ln.line_id) != _identity(corrected, ln)
        )
        lines = changed or corrected.lines
    diagnoses, lines = _repoint(corrected.diagnoses, lines, corrected.kind)
    return replace(
        corrected,
        claim_id=original.claim_id,
        frequency=Frequency.REPLACEMENT,
        payer_claim_control_number=payer_claim_control_number.strip(),
        diagnoses=diagnoses,
        lines=lines,
    )


def _identity(claim: Claim, line: ServiceLine) -> tuple[ServiceLine, tuple[str, ...]]:
    """A line as billed, with the diagnosis codes it points to instead of pointer numbers
    (which change whenever the claim's diagnosis list does)."""
    codes = tuple(
        claim.diagnoses[p - 1].code for p in line.pointers if 1 <= p <= len(claim.diagnoses)
    )
    return replace(line, pointers=()), codes


def void_claim(original: Claim, payer_claim_control_number: str) -> Claim:
    """A void (frequency 8) of ``original``: the same claim, marked to cancel it."""
    if not payer_claim_control_number.strip():
        raise BuildError("a void needs the payer's claim control number")
    return replace(
        original,
        frequency=Frequency.VOID,
        payer_claim_control_number=payer_claim_control_number.strip(),
    )
