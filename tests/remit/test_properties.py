"""Property: any balanced remittance posts so that every cent lands where the CAS says."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from openrcm.ledger.accounts import Account
from openrcm.ledger.balances import Balances, claim_balance, claim_line_balance, patient_balance
from openrcm.remit.entries import plan_entries
from openrcm.remit.model import ExpectedLine
from openrcm.remit.plan import plan_remittance
from tests.remit.support import DOS, PAID_ON, billed, cas, charges, clp, era, svc

cents = st.integers(min_value=0, max_value=50_000).map(lambda n: Decimal(n).scaleb(-2))
line_money = st.tuples(cents, cents, cents, cents, cents)  # paid, CO-45, PR-1, PR-2, CO-97


@settings(max_examples=60, deadline=None)
@given(st.lists(line_money, min_size=1, max_size=6))
def test_posting_places_every_cent(lines: list[tuple[Decimal, ...]]) -> None:
    expected, paid_lines = [], []
    for n, (paid, co45, pr1, pr2, co97) in enumerate(lines):
        charge = paid + co45 + pr1 + pr2 + co97
        code = f"9921{n}"
        expected.append(ExpectedLine(f"L{n}", code, charge, DOS))
        paid_lines.append(svc(code, str(charge), str(paid), cas("CO", "45", str(co45)),
                              cas("PR", "1", str(pr1)), cas("PR", "2", str(pr2)),
                              cas("CO", "97", str(co97))))
    claim = billed("C1", *expected)
    total_charge = sum((ln.charge for ln in expected), Decimal(0))
    total_paid = sum((ln[0] for ln in lines), Decimal(0))
    remit = era(clp("C1", str(total_charge), str(total_paid), *paid_lines))
    plan = plan_remittance(remit, "P1", [claim])
    assert not plan.exceptions
    entries = charges(claim) + plan_entries(plan, "p", PAID_ON)
    b = Balances.of(entries)
    assert b.account(Account.cash()) == remit.amount == total_paid
    assert sum(b.accounts.values(), Decimal(0)) == 0
    co45 = sum((ln[1] for ln in lines), Decimal(0))
    pr = sum((ln[2] + ln[3] for ln in lines), Decimal(0))
    assert claim_balance(entries, "C1") == total_charge - total_paid - co45
    assert patient_balance(entries, "PT1") == pr
    for n, (_, _, _, _, co97) in enumerate(lines):
        line = claim_line_balance(entries, f"L{n}")
        assert line == co97 + lines[n][2] + lines[n][3]
