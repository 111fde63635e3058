"""What the simulated payer reads from an 837P: the claims, and the front-end edits.

Only the values adjudication needs are read: CLM01/CLM02, subscriber and payer ids, the billing
NPI, diagnoses, and each line (SV1, DTP*472, REF*6R, and the COB loop 2430 of a secondary
claim). Front-end edits are the ones a clearinghouse or payer applies before adjudication;
their results become 277CA rejections with claim status codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from openrcm.payers.x12read import component, walk
from openrcm.x12.tokens import Segment
from openrcm.x12.tree import Loop, Transaction
from openrcm.x12.views.common import Adjustment, amount, date_of, money_of


@dataclass(frozen=True, slots=True)
class PriorLine:
    """A prior payer's result on one line (837 loop 2430): paid amount and CAS."""

    paid: Decimal
    adjustments: tuple[Adjustment, ...]


@dataclass(frozen=True, slots=True)
class SubmittedLine:
    """One SV1 service line as received."""

    number: int
    control: str
    code: str
    modifiers: tuple[str, ...]
    charge: Decimal
    units: Decimal
    service_date: date | None
    ndc: str = ""
    prior: PriorLine | None = None


@dataclass(frozen=True, slots=True)
class SubmittedClaim:
    """One CLM as received, with its context from the enclosing loops.

    Attributes:
        responsibility: SBR01 of the claim's subscriber loop (P, S, T).
        transaction: ST02 of the 837 it came in (for the 277CA and 999).
    """

    claim_id: str
    charge: Decimal
    payer_id: str
    member_id: str
    billing_npi: str
    responsibility: str
    diagnoses: tuple[str, ...]
    lines: tuple[SubmittedLine, ...]
    frequency: str = "1"
    payer_control: str = ""
    transaction: str = ""


@dataclass(frozen=True, slots=True)
class Rejection:
    """A front-end edit failed: STC01 category and status code, entity, plain reason."""

    category: str
    status: str
    entity: str
    reason: str


def _cas(segments: list[Segment]) -> tuple[Adjustment, ...]:
    """CAS triplets (group, reason, amount, quantity) of 2430 loops, in order."""
    out: list[Adjustment] = []
    for seg in segments:
        for p in range(2, 19, 3):
            if seg.get(p):
                out.append(Adjustment(seg.get(1), seg.get(p), money_of(seg.get(p + 1)),
                                      amount(seg.get(p + 2))))
    return tuple(out)


def _line(loop: Loop, comp: str, number: int) -> SubmittedLine:
    code = ""
    modifiers: tuple[str, ...] = ()
    charge = units = Decimal(0)
    day = None
    control = ndc = ""
    prior_paid: Decimal | None = None
    prior_cas: list[Segment] = []
    for item in walk(loop):
        if isinstance(item, Loop):
            continue
        sid = item.elements[0]
        if sid == "SV1":
            parts = item.get(1).split(comp)
            code = component(item.get(1), comp, 1)
            modifiers = tuple(m for m in parts[2:6] if m)
            charge, units = money_of(item.get(2)), money_of(item.get(4)) or Decimal(1)
        elif sid == "DTP" and item.get(1) == "472":
            day = date_of(item.get(3)[:8])
        elif sid == "REF" and item.get(1) == "6R":
            control = item.get(2)
        elif sid == "LIN":
            ndc = item.get(3)
        elif sid == "SVD":
            prior_paid = money_of(item.get(2))
        elif sid == "CAS" and prior_paid is not None:
            prior_cas.append(item)
    prior = PriorLine(prior_paid, _cas(prior_cas)) if prior_paid is not None else None
    return SubmittedLine(number, control, code, modifiers, charge, units, day, ndc, prior)


def claims_of(tx: Transaction) -> list[SubmittedClaim]:
    """Every claim of an 837 transaction, in order, with its subscriber and payer."""
    comp = tx.delimiters.component
    context = {"IL": "", "PR": "", "85": "", "SBR": "P"}
    out: list[SubmittedClaim] = []

    def visit(loop: Loop) -> None:
        for child in loop.children:
            if isinstance(child, Loop):
                if child.id == "2300":
                    out.append(_claim(child, comp, context, tx.control))
                else:
                    visit(child)
                continue
            sid = child.elements[0]
            if sid == "NM1" and child.get(1) in ("IL", "PR", "85"):
                context[child.get(1)] = child.get(9)
            elif sid == "SBR":
                context["SBR"] = child.get(1)

    visit(tx.body)
    return out


def _claim(loop: Loop, comp: str, context: dict[str, str], control: str) -> SubmittedClaim:
    clm = loop.children[0]
    assert isinstance(clm, Segment)
    diagnoses: list[str] = []
    lines: list[SubmittedLine] = []
    payer_control = ""
    for child in loop.children:
        if isinstance(child, Loop):
            if child.id == "2400":
                lines.append(_line(child, comp, len(lines) + 1))
            continue
        sid = child.elements[0]
        if sid == "HI":
            diagnoses += [component(e, comp, 1) for e in child.elements[1:] if e]
        elif sid == "REF" and child.get(1) == "F8":
            payer_control = child.get(2)
    return SubmittedClaim(
        claim_id=clm.get(1), charge=money_of(clm.get(2)), payer_id=context["PR"],
        member_id=context["IL"], billing_npi=context["85"], responsibility=context["SBR"],
        diagnoses=tuple(diagnoses), lines=tuple(lines),
        frequency=component(clm.get(5), comp, 2) or "1", payer_control=payer_control,
        transaction=control)


def _npi_ok(npi: str) -> bool:
    if len(npi) != 10 or not npi.isdigit():
        return False
    total = 24  # the 80840 prefix's contribution to the Luhn sum
    for i, ch in enumerate(reversed(npi[:-1])):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10 == int(npi[-1])


def front_end_edits(claim: SubmittedClaim, known_payers: frozenset[str], today: date
                    ) -> list[Rejection]:
    """The edits a payer applies before accepting a claim into adjudication."""
    out: list[Rejection] = []
    if claim.payer_id not in known_payers:
        out.append(Rejection("A3", "116", "PR", "the claim was sent to a payer that does not "
                                                "exist here"))
    if not claim.member_id:
        out.append(Rejection("A6", "33", "IL", "the subscriber's member id is missing"))
    if not _npi_ok(claim.billing_npi):
        out.append(Rejection("A7", "562", "85", "the billing provider NPI is not a valid NPI"))
    if not claim.diagnoses:
        out.append(Rejection("A6", "254", "", "the claim has no diagnosis code"))
    for line in claim.lines:
        if line.service_date is None:
            out.append(Rejection("A6", "187", "", f"line {line.number} has no date of service"))
        elif line.service_date > today:
            out.append(Rejection("A7", "187", "", f"line {line.number} is dated in the future"))
    if claim.lines and sum((ln.charge for ln in claim.lines), Decimal(0)) != claim.charge:
        out.append(Rejection("A7", "21", "", "the claim total does not equal its lines"))
    return out
