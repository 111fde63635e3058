"""Synthetic remittances and billed claims for the remit tests (no PHI: invented values)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from openrcm.ledger import journal
from openrcm.ledger.accounts import Account
from openrcm.ledger.journal import JournalEntry
from openrcm.remit.model import ExpectedClaim, ExpectedLine
from openrcm.x12.views.common import Adjustment, Entity
from openrcm.x12.views.remittance import (
    ClaimPayment,
    ProviderAdjustment,
    Remittance,
    ServicePayment,
)

D = Decimal
DOS = date(2026, 3, 2)
PAID_ON = date(2026, 4, 1)


def billed(claim_id: str = "C1", *lines: ExpectedLine, payer: str = "P1",
           next_payer: str | None = None, payer_control: str = "") -> ExpectedClaim:
    return ExpectedClaim(claim_id, "PT1", payer, lines or (
        ExpectedLine(f"{claim_id}L1", "99213", D("150.00"), DOS),), payer_control, next_payer)


def svc(code: str, charge: str, paid: str, *adjs: Adjustment, modifiers: tuple[str, ...] = (),
        control: str = "", day: date | None = DOS, remarks: tuple[str, ...] = ()
        ) -> ServicePayment:
    return ServicePayment("HC", code, D(charge), D(paid), modifiers=modifiers,
                          adjustments=adjs, control_number=control, service_date=day,
                          remarks=remarks)


def cas(group: str, reason: str, amount: str) -> Adjustment:
    return Adjustment(group, reason, D(amount))


def clp(claim_id: str, charge: str, paid: str, *lines: ServicePayment, status: str = "1",
        payer_control: str = "PCN1", adjustments: tuple[Adjustment, ...] = ()) -> ClaimPayment:
    return ClaimPayment(claim_id, status, D(charge), D(paid), payer_control=payer_control,
                        lines=lines, adjustments=adjustments)


def era(*claims: ClaimPayment, amount: str | None = None,
        plb: tuple[ProviderAdjustment, ...] = (), trace: str = "CHK1") -> Remittance:
    total = sum((c.paid for c in claims), D(0)) - sum((p.amount for p in plb), D(0))
    return Remittance("0001", "I", D(amount) if amount is not None else total, "C", "CHK",
                      PAID_ON, trace, Entity("PR", "SIM PAYER"), Entity("PE", "CLINIC"),
                      claims=claims, provider_adjustments=plb)


def charges(*claims: ExpectedClaim) -> list[JournalEntry]:
    """The charge entries a practice posted when it billed ``claims``."""
    out = []
    for claim in claims:
        for line in (ln for ln in claim.lines if ln.charge > 0):
            ar = Account.ar_insurance(claim.payer_id, line.line_id, patient_id=claim.patient_id,
                                      claim_id=claim.claim_id)
            out.append(journal.charge(f"chg-{line.line_id}", DOS, ar, line.charge))
    return out
