"""835 -> posting plan: decide every movement of money before anything is written.

The remittance must balance first — BPR02 (the check or EFT) equals the sum of the claim
payments (CLP04) minus the provider-level adjustments (PLB) — or nothing posts and the plan
says why. Each claim payment is then matched to a billed claim and its lines; claim payments
that do not add up (CLP03 - CLP04 = adjustments, per TR3), cannot be matched, or carry amounts
posting cannot place go whole to the exception queue and their money to ``unapplied``. Each
CAS adjustment gets its action from the rule table (``rules.py``); held ones become denials.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from openrcm.money import ZERO
from openrcm.remit.matching import ClaimIndex, match_line
from openrcm.remit.model import (
    Action,
    ClaimPosting,
    Denial,
    ExceptionItem,
    ExpectedClaim,
    ExpectedLine,
    LineAdjustment,
    LinePosting,
    PostingPlan,
    ProviderLevel,
)
from openrcm.remit.rules import carc_text, rarc_text, rule_for
from openrcm.x12.views.common import Adjustment
from openrcm.x12.views.remittance import ClaimPayment, Remittance

REVERSAL = "22"
RECOUPMENT_REASONS = frozenset({"WO", "72"})


def balance_problem(remittance: Remittance) -> str:
    """Why the remittance does not balance (BPR02 = sum CLP04 - sum PLB), or empty."""
    paid = sum((c.paid for c in remittance.claims), ZERO)
    withheld = sum((p.amount for p in remittance.provider_adjustments), ZERO)
    return totals_problem(remittance.amount, paid, withheld)


def totals_problem(amount: Decimal, paid: Decimal, withheld: Decimal) -> str:
    """:func:`balance_problem` from totals summed while a remittance streams by in pieces."""
    if amount == paid - withheld:
        return ""
    return (f"the payment amount (BPR02) {amount} does not equal the claim payments "
            f"{paid} minus the provider adjustments {withheld} (= {paid - withheld})")


class _Claim:
    """Working state while one claim payment is planned."""

    def __init__(self, payment: ClaimPayment, position: int) -> None:
        self.payment = payment
        self.position = position
        self.exceptions: list[ExceptionItem] = []

    def refuse(self, code: str, message: str, line: int = 0) -> None:
        self.exceptions.append(ExceptionItem(code, message, self.payment.patient_control, line,
                                             self.payment.paid, self.position))


def _adjusted(adjustments: Sequence[Adjustment]) -> tuple[LineAdjustment, ...]:
    return tuple(LineAdjustment(a.group, a.reason, a.amount, rule_for(a.group, a.reason).action)
                 for a in adjustments)


def _add_up(work: _Claim) -> bool:
    """TR3 balancing: claim and each line, charge - paid = the sum of their adjustments."""
    p = work.payment
    total = sum((a.amount for a in p.adjustments), ZERO)
    for n, line in enumerate(p.lines, start=1):
        line_adj = sum((a.amount for a in line.adjustments), ZERO)
        total += line_adj
        if line.charge - line.paid != line_adj:
            work.refuse("REMIT-LINE-UNBALANCED",
                        f"service line {n}: charge {line.charge} - paid {line.paid} does not "
                        f"equal its adjustments {line_adj}", n)
            return False
    if p.lines and sum((ln.paid for ln in p.lines), ZERO) != p.paid:
        work.refuse("REMIT-CLAIM-UNBALANCED",
                    f"claim paid {p.paid} does not equal the sum of its line payments")
        return False
    if p.charge - p.paid != total:
        work.refuse("REMIT-CLAIM-UNBALANCED",
                    f"claim charge {p.charge} - paid {p.paid} does not equal its adjustments "
                    f"{total}")
        return False
    return True


POSTED = frozenset({Action.CONTRACTUAL, Action.TRANSFER, Action.WRITE_OFF})


def _negative(work: _Claim) -> bool:
    """Negative money posting would have to invent a direction for: refuse the claim.

    A negative payment outside a reversal, or a negative adjustment whose action moves money;
    negative held or informational adjustments (OA-94 "processed in excess of charges") do
    not post, so they pass.
    """
    p = work.payment
    adjustments = [*p.adjustments, *(a for line in p.lines for a in line.adjustments)]
    if p.paid < 0 or any(line.paid < 0 for line in p.lines) or any(
            a.amount < 0 and rule_for(a.group, a.reason).action in POSTED for a in adjustments):
        work.refuse("REMIT-NEGATIVE-AMOUNT",
                    "negative payment or adjustment on a claim that is not a reversal (CLP02 "
                    "22): post it by hand against the earlier payment")
        return True
    return False


Matched = list[tuple[ExpectedLine, LinePosting, tuple[str, ...]]]


def _lines(work: _Claim, claim: ExpectedClaim) -> Matched | None:
    p = work.payment
    if not p.lines:
        if len(claim.lines) != 1:
            work.refuse("REMIT-NO-SERVICE-LINES",
                        f"the payer paid the claim without service lines and it has "
                        f"{len(claim.lines)} lines: apply the payment by hand")
            return None
        only = claim.lines[0]
        return [(only, LinePosting(only.line_id, p.paid, _adjusted(p.adjustments)), ())]
    if p.adjustments and len(claim.lines) != 1:
        work.refuse("REMIT-CLAIM-ADJUSTMENT",
                    "claim-level adjustments on a claim with several lines: which line they "
                    "belong to is not known")
        return None
    taken: set[str] = set()
    out: Matched = []
    for n, svc in enumerate(p.lines, start=1):
        match = match_line(svc, claim.lines, taken)
        if not isinstance(match.found, ExpectedLine):
            code = "REMIT-LINE-AMBIGUOUS" if match.ambiguous else "REMIT-LINE-UNMATCHED"
            work.refuse(code, f"service line {n} ({svc.code}): {match.reason}", n)
            return None
        taken.add(match.found.line_id)
        adjustments = svc.adjustments + (p.adjustments if n == 1 else ())
        out.append((match.found, LinePosting(match.found.line_id, svc.paid,
                                             _adjusted(adjustments)), svc.remarks))
    return out


def _denials(claim: ExpectedClaim, matched: Matched) -> list[Denial]:
    out: list[Denial] = []
    for line, posting, remark_codes in matched:
        for adj in posting.adjustments:
            if adj.action is not Action.HOLD or adj.amount <= 0:
                continue
            rule = rule_for(adj.group, adj.reason)
            out.append(Denial(
                claim.claim_id, line.line_id, adj.group, adj.reason, adj.amount, rule.category,
                carc_text(adj.reason), tuple((r, rarc_text(r)) for r in remark_codes),
                rule.next_action))
    return out


def _provider_level(remittance: Remittance, index: ClaimIndex) -> list[ProviderLevel]:
    out: list[ProviderLevel] = []
    for plb in remittance.provider_adjustments:
        level = ProviderLevel(plb.reason, plb.reference, plb.amount)
        if plb.reason in RECOUPMENT_REASONS and plb.amount > 0 and plb.reference:
            probe = ClaimPayment(patient_control=plb.reference, status="", charge=ZERO,
                                 paid=ZERO, payer_control=plb.reference)
            found = index.find(probe).found
            if isinstance(found, ExpectedClaim) and len(found.lines) == 1:
                level = ProviderLevel(plb.reason, plb.reference, plb.amount, found.claim_id,
                                      found.lines[0].line_id, found.patient_id)
        out.append(level)
    return out


def plan_remittance(remittance: Remittance, payer_id: str,
                    claims: ClaimIndex | Sequence[ExpectedClaim]) -> PostingPlan:
    """The posting plan for one 835 transaction from ``payer_id`` (the ledger's payer id).

    ``claims`` are the billed claims the remittance may be about (those of this payer the
    caller found by the CLP01/CLP07 values in the file).
    """
    index = claims if isinstance(claims, ClaimIndex) else ClaimIndex(claims)
    problem = balance_problem(remittance)
    if problem:
        return PostingPlan(payer_id, remittance.trace_number, remittance.amount,
                           remittance.payment_date, refused=problem,
                           claims_received=len(remittance.claims))
    postings: list[ClaimPosting] = []
    exceptions: list[ExceptionItem] = []
    denials: list[Denial] = []
    unapplied = ZERO
    unmatched = 0
    for position, payment in enumerate(remittance.claims, start=1):
        work = _Claim(payment, position)
        found = index.find(payment)
        matched = None
        if not isinstance(found.found, ExpectedClaim):
            code = "REMIT-CLAIM-AMBIGUOUS" if found.ambiguous else "REMIT-CLAIM-UNMATCHED"
            work.refuse(code, f"claim payment {position}: {found.reason}")
        elif found.found.payer_id != payer_id:
            work.refuse("REMIT-CLAIM-OTHER-PAYER",
                        f"claim payment {position}: the billed claim is with another payer")
        elif payment.status == REVERSAL:
            claim = found.found
            postings.append(ClaimPosting(
                claim.claim_id, claim.patient_id, payer_id, payment.payer_control,
                payment.status, payment.paid, (), claim.next_payer_id, reversal=True,
                position=position))
            continue
        elif _add_up(work) and not _negative(work):
            claim = found.found
            matched = _lines(work, claim)
            if matched is not None:
                postings.append(ClaimPosting(
                    claim.claim_id, claim.patient_id, payer_id, payment.payer_control,
                    payment.status, payment.paid, tuple(lp for _, lp, _ in matched),
                    claim.next_payer_id, position=position))
                denials.extend(_denials(claim, matched))
        if work.exceptions:
            unmatched += 1
            exceptions.extend(work.exceptions)
            unapplied += payment.paid
    return PostingPlan(
        payer_id, remittance.trace_number, remittance.amount, remittance.payment_date,
        claims=tuple(postings), unapplied=unapplied, exceptions=tuple(exceptions),
        denials=tuple(denials), provider_levels=tuple(_provider_level(remittance, index)),
        claims_received=len(remittance.claims), claims_unmatched=unmatched)
