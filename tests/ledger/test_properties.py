"""Ledger invariants, proved over random sequences of billing operations (hypothesis)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from openrcm.ledger import journal as j
from openrcm.ledger.accounts import Account
from openrcm.ledger.balances import (
    Balances,
    account_totals,
    aging,
    claim_balance,
    claim_line_balance,
    practice_ar,
)
from openrcm.ledger.journal import LedgerError, check_entry, check_journal
from tests.ledger.strategies import LINES, operations, simulate

PROPERTY = settings(max_examples=150, deadline=None)


@PROPERTY
@given(operations)
def test_every_entry_balances_and_journal_is_sound(ops: list[tuple[Any, ...]]) -> None:
    """Every entry the constructors make sums to zero and the journal has no findings."""
    sim = simulate(ops)
    for entry in sim.entries:
        assert check_entry(entry) == []
        assert sum(p.amount for p in entry.postings) == 0
        assert all(p.amount == p.amount.quantize(Decimal("0.01")) for p in entry.postings)
    assert check_journal(sim.entries) == []


@PROPERTY
@given(operations)
def test_claim_and_line_balances_match_the_hand_model(ops: list[tuple[Any, ...]]) -> None:
    """Claim balance = charges - payments - adjustments + refunds + recoupments (transfers 0)."""
    sim = simulate(ops)
    for claim in {c for c, _ in LINES.values()}:
        assert claim_balance(sim.entries, claim) == sim.expected_claim(claim)
    for line in LINES:
        assert claim_line_balance(sim.entries, line) == sim.expected_line(line)


@PROPERTY
@given(operations)
def test_no_money_appears_or_vanishes(ops: list[tuple[Any, ...]]) -> None:
    """All accounts sum to zero; cash = payments received - refunds paid - PLB withheld."""
    sim = simulate(ops)
    totals = account_totals(sim.entries)
    assert sum(totals.values(), Decimal(0)) == 0
    assert totals.get(Account.cash(), Decimal(0)) == sim.expected_cash()


@PROPERTY
@given(operations, st.randoms(use_true_random=False))
def test_replay_in_any_order_reproduces_every_balance(ops: list[tuple[Any, ...]], rnd: Any) -> None:
    """Shuffling the journal changes no balance: balances are sums, nothing else."""
    sim = simulate(ops)
    shuffled = list(sim.entries)
    rnd.shuffle(shuffled)
    assert Balances.of(shuffled) == Balances.of(sim.entries)
    as_of = date(2026, 1, 20)
    assert aging(shuffled, as_of) == aging(sim.entries, as_of)


@PROPERTY
@given(operations)
def test_balances_fast_path_agrees_with_functions(ops: list[tuple[Any, ...]]) -> None:
    """The one-pass Balances index equals the single-question functions; aging totals AR."""
    sim = simulate(ops)
    index = Balances.of(sim.entries)
    for line in LINES:
        assert index.by_line.get(line, Decimal(0)) == claim_line_balance(sim.entries, line)
    assert index.practice_ar == practice_ar(sim.entries)
    assert aging(sim.entries, date(2027, 1, 1)).total == index.practice_ar


@PROPERTY
@given(operations)
def test_reversing_everything_returns_to_zero_and_reversal_of_reversal_restores(
    ops: list[tuple[Any, ...]],
) -> None:
    """Reversing each entry still in effect zeroes every account; reversing those restores."""
    sim = simulate(ops)
    journal = list(sim.entries)
    before = Balances.of(journal)
    by_id = {e.entry_id: e for e in journal}

    def depth(entry: j.JournalEntry) -> int:
        return 1 if entry.reverses is None else 1 + depth(by_id[entry.reverses])

    # The last entry of each reversal chain is still in effect when the chain length is odd.
    open_entries = [e for e in journal if e.entry_id not in sim.reversed_ids and depth(e) % 2 == 1]
    reversals = [
        j.reverse(e, f"R{i}", date(2026, 6, 1), journal=journal) for i, e in enumerate(open_entries)
    ]
    journal.extend(reversals)
    assert all(v == 0 for v in account_totals(journal).values())
    journal.extend(
        j.reverse(r, f"RR{i}", date(2026, 6, 2), journal=journal) for i, r in enumerate(reversals)
    )
    assert Balances.of(journal) == before
    assert check_journal(journal) == []


@PROPERTY
@given(operations)
def test_reversal_cannot_be_applied_twice(ops: list[tuple[Any, ...]]) -> None:
    """Against the journal, a second reversal of an entry is refused and would be flagged."""
    sim = simulate(ops)
    assume(sim.entries)
    target = sim.entries[0]
    journal = list(sim.entries)
    if target.entry_id not in sim.reversed_ids:
        journal.append(j.reverse(target, "FIRST", date(2026, 6, 1), journal=journal))
    with pytest.raises(LedgerError, match="already reversed"):
        j.reverse(target, "SECOND", date(2026, 6, 1), journal=journal)
    doubled = [*journal, j.reverse(target, "SECOND", date(2026, 6, 1))]
    assert [f.code for f in check_journal(doubled)] == ["LEDGER-REVERSED-TWICE"]
