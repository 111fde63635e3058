"""Every sample 835 of the X12 conformance corpus posts, and the cash equals the check.

The billed claims are rebuilt from each file itself (CLP01 and the SVC lines), which is what
the practice would have sent; the test then proves the plan balances to the cent.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from openrcm.ledger.accounts import Account
from openrcm.ledger.balances import Balances
from openrcm.money import ZERO
from openrcm.remit.entries import plan_entries
from openrcm.remit.model import ExpectedClaim, ExpectedLine
from openrcm.remit.plan import plan_remittance
from openrcm.x12.parser import parse
from openrcm.x12.views.remittance import Remittance, remittance_of
from tests.remit.support import PAID_ON

CORPUS = Path(__file__).parents[1] / "x12" / "conformance" / "fixtures" / "835"
SAMPLES = sorted(p for p in CORPUS.glob("*/*") if p.is_file())


def _billed(remit: Remittance) -> list[ExpectedClaim]:
    out = []
    for claim in remit.claims:
        if claim.status == "22":
            continue
        lines = tuple(ExpectedLine(f"{claim.patient_control}-{n}", svc.code, svc.charge,
                                   svc.service_date or svc.start_date, svc.modifiers)
                      for n, svc in enumerate(claim.lines, start=1))
        if not lines:
            lines = (ExpectedLine(f"{claim.patient_control}-1", "99999", claim.charge),)
        out.append(ExpectedClaim(claim.patient_control, "PT", "PAYER", lines,
                                 claim.payer_control))
    return out


def test_the_corpus_has_835_samples() -> None:
    assert len(SAMPLES) >= 10


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sample_posts_and_reconciles(path: Path) -> None:
    document = parse(path.read_bytes(), validate=False)
    views = [remittance_of(tx) for tx in document.transactions() if tx.set_id == "835"]
    if not views:
        pytest.skip("no 835 transaction could be read from this sample")
    codes: Counter[str] = Counter()
    for n, remit in enumerate(views):
        claims = _billed(remit)
        duplicate = len({c.claim_id for c in claims}) != len(claims)
        plan = plan_remittance(remit, "PAYER", claims)
        assert not plan.refused, plan.refused
        entries = plan_entries(plan, f"s{n}", PAID_ON)
        balances = Balances.of(entries)
        assert balances.account(Account.cash()) == remit.amount
        assert sum(balances.accounts.values(), ZERO) == 0
        assert len(plan.claims) + plan.claims_unmatched == plan.claims_received
        codes.update(e.code for e in plan.exceptions)
        if not duplicate:
            assert not codes["REMIT-CLAIM-UNMATCHED"]
    # Only amounts the TR3 balancing rule rejects or claims billed twice may fall out.
    assert set(codes) <= {"REMIT-CLAIM-UNBALANCED", "REMIT-LINE-UNBALANCED",
                          "REMIT-CLAIM-AMBIGUOUS", "REMIT-CLAIM-ADJUSTMENT"}
