"""The one-pass fast path: 100k entries summed in well under the time a request may take."""

from __future__ import annotations

import time
from datetime import date, timedelta
from decimal import Decimal

import pytest

from openrcm.ledger.accounts import Account
from openrcm.ledger.balances import Balances, aging
from openrcm.ledger.journal import EntryKind, JournalEntry, Posting

LINES = 25_000


def journal() -> list[JournalEntry]:
    """Per line: $150 charge, $80 paid, $40 contractual, $30 to the patient (100k entries)."""
    cash, revenue, contractual = Account.cash(), Account.revenue(), Account.contractual()
    entries: list[JournalEntry] = []
    for i in range(LINES):
        claim, patient = f"C{i // 2}", f"PT{i % 3000}"
        ins = Account.ar_insurance(f"P{i % 5}", f"L{i}", patient_id=patient, claim_id=claim)
        pat = Account.ar_patient(patient, f"L{i}", claim_id=claim)
        on = date(2026, 1, 1) + timedelta(days=i % 300)
        legs = (
            (EntryKind.CHARGE, ins, revenue, Decimal("150.00")),
            (EntryKind.INSURANCE_PAYMENT, cash, ins, Decimal("80.00")),
            (EntryKind.CONTRACTUAL_ADJUSTMENT, contractual, ins, Decimal("40.00")),
            (EntryKind.TRANSFER, pat, ins, Decimal("30.00")),
        )
        for n, (kind, debit, credit, amount) in enumerate(legs):
            postings = (Posting(debit, amount), Posting(credit, -amount))
            entries.append(JournalEntry(f"E{i}-{n}", kind, on, postings))
    return entries


@pytest.mark.slow
def test_hundred_thousand_entries_one_pass() -> None:
    """Balances.of and aging over 100k entries are correct and take well under 3 s of CPU each
    (about 0.2 s on the development machine)."""
    entries = journal()
    started = time.process_time()
    balances = Balances.of(entries)
    spent = time.process_time() - started
    assert balances.practice_ar == Decimal("30.00") * LINES
    assert balances.account(Account.cash()) == Decimal("80.00") * LINES
    assert len(balances.by_claim) == LINES // 2
    assert balances.by_payer == {}
    assert spent < 3.0
    started = time.process_time()
    report = aging(entries, date(2027, 1, 1))
    assert time.process_time() - started < 3.0
    assert report.total == balances.practice_ar
