"""Derived balances and aging, on the worked example of docs.md and on hand-built journals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from openrcm.ledger import journal as j
from openrcm.ledger.accounts import Account
from openrcm.ledger.balances import (
    Balances,
    aging,
    balance,
    bucket_labels,
    claim_balance,
    claim_line_balance,
    patient_balance,
    payer_balance,
    practice_ar,
)
from openrcm.money import ZERO

INS = Account.ar_insurance("P1", "L1", patient_id="PT1", claim_id="C1")
PAT = Account.ar_patient("PT1", "L1", claim_id="C1")


def worked_example() -> list[j.JournalEntry]:
    """docs.md: $150 charge, $80 paid, $40 contractual, $30 to the patient."""
    return [
        j.charge("E1", date(2026, 1, 5), INS, "150.00"),
        j.insurance_payment("E2", date(2026, 2, 1), "P1", [(INS, "80.00")]),
        j.contractual_adjustment("E3", date(2026, 2, 1), INS, "40.00"),
        j.transfer("E4", date(2026, 2, 1), INS, PAT, "30.00"),
    ]


def test_worked_example() -> None:
    """Every balance of the worked example, account by account and rolled up."""
    entries = worked_example()
    b = Balances.of(entries)
    assert b.account(INS) == 0
    assert b.account(PAT) == Decimal("30.00")
    assert b.account(Account.cash()) == Decimal("80.00")
    assert b.account("revenue") == Decimal("-150.00")
    assert b.account(Account.contractual()) == Decimal("40.00")
    assert claim_balance(entries, "C1") == Decimal("30.00")
    assert claim_line_balance(entries, "L1") == Decimal("30.00")
    assert patient_balance(entries, "PT1") == Decimal("30.00")
    assert payer_balance(entries, "P1") == 0
    assert practice_ar(entries) == Decimal("30.00")
    assert b.by_patient == {"PT1": Decimal("30.00")}
    assert b.by_payer == {}
    assert sum(b.accounts.values()) == 0
    paid = [*entries, j.patient_payment("E5", date(2026, 3, 1), "PT1", [(PAT, "30.00")])]
    assert claim_balance(paid, "C1") == 0
    assert Balances.of(paid).account(Account.cash()) == Decimal("110.00")


def test_balance_by_prefix_matches_whole_parts() -> None:
    """Prefix ar:ins:P1 covers P1's lines but not P10's; 'ar' is all receivables."""
    p10 = Account.ar_insurance("P10", "L9", patient_id="PT2", claim_id="C9")
    entries = [
        j.charge("A", date(2026, 1, 1), INS, "10.00"),
        j.charge("B", date(2026, 1, 1), p10, "7.00"),
    ]
    assert balance(entries, "ar:ins:P1") == Decimal("10.00")
    assert balance(entries, "ar:ins:P1:") == Decimal("10.00")
    assert balance(entries, "ar") == Decimal("17.00")
    assert balance(entries, INS.key) == Decimal("10.00")
    assert balance(entries, "revenue") == Decimal("-17.00")
    assert balance(entries, "ar:i") == 0


def test_patient_balance_with_insurance_and_as_of() -> None:
    """Patient responsibility vs the whole account; balances as of a past date."""
    entries = worked_example()
    assert patient_balance(entries, "PT1", include_insurance=True) == Decimal("30.00")
    early = Balances.of(entries, as_of=date(2026, 1, 31))
    assert early.by_patient_all == {"PT1": Decimal("150.00")}
    assert early.by_payer == {"P1": Decimal("150.00")}
    assert early.by_claim == {"C1": Decimal("150.00")}


def test_aging_buckets_by_party() -> None:
    """Insurance ages from the charge; the patient's share ages from the transfer."""
    entries = [
        *worked_example(),
        j.charge(
            "E6",
            date(2026, 3, 20),
            Account.ar_insurance("P2", "L2", patient_id="PT2", claim_id="C2"),
            "99.00",
        ),
    ]
    report = aging(entries, date(2026, 4, 1))
    assert report.labels == ("0-30", "31-60", "61-90", "91-120", "121+")
    rows = {row.party: row.amounts for row in report.rows}
    assert rows["pat:PT1"] == (ZERO, Decimal("30.00"), ZERO, ZERO, ZERO)  # 59 days since 2026-02-01
    assert rows["ins:P2"] == (Decimal("99.00"), ZERO, ZERO, ZERO, ZERO)
    assert "ins:P1" not in rows  # paid off
    assert report.total == Decimal("129.00") == report.totals[0] + report.totals[1]
    assert report.lines[0].age_days == 59
    late = aging(entries, date(2026, 9, 1))
    assert {row.party: row.amounts[-1] for row in late.rows} == {
        "pat:PT1": Decimal("30.00"),
        "ins:P2": Decimal("99.00"),
    }
    before = aging(entries, date(2026, 1, 10))
    assert [(row.party, row.total) for row in before.rows] == [("ins:P1", Decimal("150.00"))]


def test_aging_boundaries_and_credit_balances() -> None:
    """Day 30 is in 0-30, day 31 in 31-60; an overpayment shows as a negative amount."""
    entries = [
        j.charge("E1", date(2026, 1, 1), INS, "10.00"),
        j.insurance_payment("E2", date(2026, 1, 2), "P1", [(INS, "12.00")]),
    ]
    assert aging(entries, date(2026, 1, 31)).rows[0].amounts[0] == Decimal("-2.00")
    assert aging(entries, date(2026, 2, 1)).rows[0].amounts[1] == Decimal("-2.00")


@pytest.mark.parametrize("buckets", [(), (30, 30), (60, 30), (0, 30)])
def test_bad_buckets_refused(buckets: tuple[int, ...]) -> None:
    """Bucket limits must be positive and strictly increasing."""
    with pytest.raises(ValueError):
        aging([], date(2026, 1, 1), buckets)


def test_bucket_labels() -> None:
    """Labels name the ranges the limits define."""
    assert bucket_labels((15, 45)) == ("0-15", "16-45", "46+")


def test_aging_of_an_account_never_debited() -> None:
    """A patient payment with no charge yet ages from the payment, as a credit balance."""
    entries = [j.patient_payment("E1", date(2026, 1, 1), "PT1", [(PAT, "20.00")])]
    report = aging(entries, date(2026, 3, 1))
    assert report.lines[0].since == date(2026, 1, 1)
    assert report.rows[0].amounts[1] == Decimal("-20.00")
