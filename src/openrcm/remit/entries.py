"""Posting plan -> journal entries, built only with ``openrcm.ledger.journal`` constructors.

Per matched claim: one insurance payment (every paid line), then per line a contractual
adjustment, write-offs by CARC, and one transfer of patient responsibility to the next payer
or to the patient. Money that could not be matched goes to ``unapplied:<payer>``; PLB amounts
become provider adjustments (a recoupment naming a billed line reopens that line first).
Reversals (CLP02 = 22) need the entries posted earlier for the claim, which only the caller's
journal has: :func:`reversal_entries` negates them.

Entry ids are ``<prefix>-<n>``: the caller derives ``prefix`` from the file and transaction,
so posting the same transaction twice produces the same ids (and the store refuses the second).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from openrcm.ledger import journal
from openrcm.ledger.accounts import Account
from openrcm.ledger.journal import JournalEntry
from openrcm.money import ZERO
from openrcm.remit.model import Action, ClaimPosting, PostingPlan
from openrcm.x12.views.common import Adjustment

ADJUDICATION = "adjudication"
"""Ref key on a claim's first entry holding the payer's line results (for COB claims)."""


def encode_adjudication(claim: ClaimPosting) -> str:
    """The payer's result per line as a compact ref: ``line=paid|GR-CODE:amount,...;...``."""
    return ";".join(
        f"{line.line_id}={line.paid}|" + ",".join(f"{a.group}-{a.reason}:{a.amount}"
                                                 for a in line.adjustments)
        for line in claim.lines)


def decode_adjudication(text: str) -> dict[str, tuple[Decimal, tuple[Adjustment, ...]]]:
    """Line id -> (paid, CAS adjustments) from :func:`encode_adjudication` text.

    Raises:
        ValueError: the text is not in that form.
    """
    out: dict[str, tuple[Decimal, tuple[Adjustment, ...]]] = {}
    for part in filter(None, text.split(";")):
        head, _, cas = part.partition("|")
        line_id, _, paid = head.partition("=")
        adjustments = []
        for item in filter(None, cas.split(",")):
            code, _, amount = item.partition(":")
            group, _, reason = code.partition("-")
            adjustments.append(Adjustment(group, reason, Decimal(amount)))
        out[line_id] = (Decimal(paid), tuple(adjustments))
    return out


class _Ids:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return f"{self.prefix}-{self.n}"


def _claim_entries(
    claim: ClaimPosting, on: date, ids: _Ids, refs: dict[str, str]
) -> list[JournalEntry]:
    payer = claim.payer_id

    def ar(line_id: str) -> Account:
        return Account.ar_insurance(
            payer, line_id, patient_id=claim.patient_id, claim_id=claim.claim_id
        )

    out: list[JournalEntry] = []
    first = {**refs, ADJUDICATION: encode_adjudication(claim)}

    def tag() -> dict[str, str]:
        return refs if out else first

    sources = {line.line_id: ar(line.line_id) for line in claim.lines}
    paid = [(sources[line.line_id], line.paid) for line in claim.lines if line.paid > 0]
    if paid:
        out.append(
            journal.insurance_payment(ids(), on, payer, paid, refs=tag(), memo="835 claim payment")
        )
    for line in claim.lines:
        source = sources[line.line_id]
        contractual = line.total(Action.CONTRACTUAL)
        if contractual > 0:
            out.append(
                journal.contractual_adjustment(
                    ids(), on, source, contractual, refs=tag(), memo="835 contractual adjustment"
                )
            )
        for adj in line.adjustments:
            if adj.action is Action.WRITE_OFF and adj.amount > 0:
                out.append(
                    journal.write_off(
                        ids(), on, source, adj.amount, f"{adj.group}-{adj.reason}",
                        refs=tag(), memo="835 write-off",
                    )
                )
        moved = line.total(Action.TRANSFER)
        if moved > 0:
            if claim.next_payer_id:
                target = Account.ar_insurance(
                    claim.next_payer_id, line.line_id,
                    patient_id=claim.patient_id, claim_id=claim.claim_id,
                )
            else:
                target = Account.ar_patient(
                    claim.patient_id, line.line_id, claim_id=claim.claim_id
                )
            out.append(
                journal.transfer(
                    ids(), on, source, target, moved, refs=tag(),
                    memo="835 patient responsibility",
                )
            )
    return out


def plan_entries(plan: PostingPlan, prefix: str, on: date) -> list[JournalEntry]:
    """Every entry of a plan except reversals (see module doc), in posting order.

    Raises:
        ValueError: the plan was refused (nothing of it may post).
        openrcm.ledger.accounts.LedgerError: an id or amount the ledger refuses.
    """
    if plan.refused:
        raise ValueError(f"refused remittance cannot post: {plan.refused}")
    ids = _Ids(prefix)
    out: list[JournalEntry] = []
    for claim in plan.claims:
        if claim.reversal:
            continue
        refs = {
            "claim": claim.claim_id,
            "remittance": plan.trace_number,
            "payer_control": claim.payer_control,
            "source": "835",
        }
        out.extend(_claim_entries(claim, on, ids, refs))
    base = {"remittance": plan.trace_number, "source": "835"}
    if plan.unapplied > 0:
        out.append(
            journal.insurance_payment(
                ids(),
                on,
                plan.payer_id,
                [],
                unapplied=plan.unapplied,
                refs=base,
                memo="835 money not matched to a claim",
            )
        )
    elif plan.unapplied < 0:
        out.append(
            journal.provider_adjustment(
                ids(),
                on,
                plan.payer_id,
                "unmatched",
                -plan.unapplied,
                against=Account.unapplied(plan.payer_id),
                refs=base,
                memo="835 take-back not matched to a claim",
            )
        )
    for level in plan.provider_levels:
        refs = {**base, "plb": level.reason}
        if level.line_id:
            line = Account.ar_insurance(
                plan.payer_id, level.line_id, patient_id=level.patient_id, claim_id=level.claim_id
            )
            refs["claim"] = level.claim_id
            out.append(
                journal.recoupment(
                    ids(), on, line, level.amount, refs=refs, memo="835 PLB recoupment"
                )
            )
            out.append(
                journal.provider_adjustment(
                    ids(),
                    on,
                    plan.payer_id,
                    level.reason,
                    level.amount,
                    against=Account.recoupment(plan.payer_id),
                    refs=refs,
                    memo="835 PLB recoupment withheld",
                )
            )
        elif level.amount != ZERO:
            out.append(
                journal.provider_adjustment(
                    ids(),
                    on,
                    plan.payer_id,
                    level.reason,
                    level.amount,
                    refs=refs,
                    memo="835 provider-level adjustment",
                )
            )
    return out


def reversal_entries(earlier: Iterable[JournalEntry], prefix: str, on: date) -> list[JournalEntry]:
    """Entries undoing ``earlier`` (an earlier posting of the reversed claim), newest first.

    Entries that are themselves reversals, or already reversed within ``earlier``, are left
    alone, so a claim reversed, reposted and reversed again comes back to its billed state.
    """
    entries = list(earlier)
    done = {e.reverses for e in entries if e.reverses}
    ids = _Ids(prefix)
    return [
        journal.reverse(e, ids(), on)
        for e in reversed(entries)
        if e.reverses is None and e.entry_id not in done
    ]
