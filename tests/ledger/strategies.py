"""Hypothesis strategies for the ledger: random but valid sequences of billing operations.

``simulate`` turns a list of operations into journal entries through the public constructors
and, independently of openrcm.ledger.balances, records what each entry should do to each claim,
line and to cash, so the property tests can compare the derived balances with a hand model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from openrcm.ledger import journal as j
from openrcm.ledger.accounts import Account
from openrcm.ledger.journal import JournalEntry

PAYERS = ("P1", "P2")
LINES = {"L1": ("C1", "PTA"), "L2": ("C1", "PTA"), "L3": ("C2", "PTB")}
PARTIES = ("P1", "P2", "patient")
START = date(2026, 1, 1)

amounts = st.integers(min_value=1, max_value=500_000).map(lambda c: Decimal(c).scaleb(-2))


def receivable(line: str, party: str) -> Account:
    claim, patient = LINES[line]
    if party == "patient":
        return Account.ar_patient(patient, line, claim_id=claim)
    return Account.ar_insurance(party, line, patient_id=patient, claim_id=claim)


operation = st.one_of(
    st.tuples(st.just("charge"), st.sampled_from(sorted(LINES)), st.sampled_from(PARTIES), amounts),
    st.tuples(
        st.just("ins_pay"),
        st.sampled_from(PAYERS),
        st.lists(st.tuples(st.sampled_from(sorted(LINES)), amounts), min_size=1, max_size=3),
        st.one_of(st.just(Decimal(0)), amounts),
    ),
    st.tuples(
        st.just("pat_pay"),
        st.sampled_from(sorted(LINES)),
        amounts,
        st.one_of(st.just(Decimal(0)), amounts),
    ),
    st.tuples(
        st.just("adjust"),
        st.sampled_from(sorted(LINES)),
        st.sampled_from(PARTIES),
        amounts,
        st.sampled_from([None, "bad_debt", "small_balance"]),
    ),
    st.tuples(
        st.just("transfer"),
        st.sampled_from(sorted(LINES)),
        st.sampled_from(PARTIES),
        st.sampled_from(PARTIES),
        amounts,
    ),
    st.tuples(
        st.just("refund"),
        st.sampled_from(sorted(LINES)),
        st.sampled_from(PARTIES),
        amounts,
        st.booleans(),
    ),
    st.tuples(st.just("recoup"), st.sampled_from(sorted(LINES)), st.sampled_from(PAYERS), amounts),
    st.tuples(
        st.just("plb"),
        st.sampled_from(PAYERS),
        amounts,
        st.booleans(),
        st.booleans(),
    ),
    st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=10_000)),
)

operations = st.lists(operation, min_size=1, max_size=40)


@dataclass
class Effect:
    """What one entry should do, by the hand model: per claim, per line and to cash."""

    claims: dict[str, Decimal] = field(default_factory=dict)
    lines: dict[str, Decimal] = field(default_factory=dict)
    cash: Decimal = Decimal(0)

    def add(self, line: str, amount: Decimal) -> None:
        claim = LINES[line][0]
        self.claims[claim] = self.claims.get(claim, Decimal(0)) + amount
        self.lines[line] = self.lines.get(line, Decimal(0)) + amount

    def negated(self) -> Effect:
        return Effect(
            {k: -v for k, v in self.claims.items()},
            {k: -v for k, v in self.lines.items()},
            -self.cash,
        )


@dataclass
class Simulation:
    """The entries an operation list produced, with the expected effect of each."""

    entries: list[JournalEntry] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    reversed_ids: set[str] = field(default_factory=set)

    def expected_claim(self, claim: str) -> Decimal:
        return sum((e.claims.get(claim, Decimal(0)) for e in self.effects), Decimal(0))

    def expected_line(self, line: str) -> Decimal:
        return sum((e.lines.get(line, Decimal(0)) for e in self.effects), Decimal(0))

    def expected_cash(self) -> Decimal:
        return sum((e.cash for e in self.effects), Decimal(0))


def simulate(ops: Sequence[tuple[Any, ...]]) -> Simulation:
    """Apply operations through the constructors, skipping those that are invalid by design
    (a transfer to the same party, reversing an already reversed entry)."""
    sim = Simulation()
    for index, op in enumerate(ops):
        entry_id = f"E{index}"
        on = START + timedelta(days=index)
        effect = Effect()
        name = op[0]
        entry: JournalEntry
        if name == "charge":
            _, line, party, amount = op
            entry = j.charge(entry_id, on, receivable(line, party), amount)
            effect.add(line, amount)
        elif name == "ins_pay":
            _, payer, applied, unapplied = op
            entry = j.insurance_payment(
                entry_id,
                on,
                payer,
                [(receivable(line, payer), amt) for line, amt in applied],
                unapplied=unapplied,
            )
            for line, amt in applied:
                effect.add(line, -amt)
            effect.cash = sum((amt for _, amt in applied), Decimal(0)) + unapplied
        elif name == "pat_pay":
            _, line, amount, credit = op
            patient = LINES[line][1]
            entry = j.patient_payment(
                entry_id, on, patient, [(receivable(line, "patient"), amount)], credit=credit
            )
            effect.add(line, -amount)
            effect.cash = amount + credit
        elif name == "adjust":
            _, line, party, amount, reason = op
            entry = j.adjustment(
                entry_id, on, receivable(line, party), amount, write_off_reason=reason
            )
            effect.add(line, -amount)
        elif name == "transfer":
            _, line, source, target, amount = op
            if source == target:
                continue
            entry = j.transfer(
                entry_id, on, receivable(line, source), receivable(line, target), amount
            )
        elif name == "refund":
            _, line, party, amount, payable = op
            entry = j.refund(entry_id, on, receivable(line, party), amount, payable=payable)
            effect.add(line, amount)
            if not payable:
                effect.cash = -amount
            else:
                # Settle the payable at once so cash reflects the refund too.
                sim.entries.append(entry)
                sim.effects.append(effect)
                holder = Account.parse(next(p.account.key for p in entry.postings if p.amount < 0))
                entry = j.refund_paid(entry_id + "p", on, holder, amount)
                effect = Effect(cash=-amount)
        elif name == "recoup":
            _, line, payer, amount = op
            entry = j.recoupment(entry_id, on, receivable(line, payer), amount)
            effect.add(line, amount)
        elif name == "plb":
            _, payer, amount, withheld, against_recoupment = op
            signed = amount if withheld else -amount
            against = Account.recoupment(payer) if against_recoupment else None
            entry = j.provider_adjustment(entry_id, on, payer, "WO", signed, against=against)
            effect.cash = -signed
        else:
            _, pick = op
            candidates = [e for e in sim.entries if e.entry_id not in sim.reversed_ids]
            if not candidates:
                continue
            target = candidates[pick % len(candidates)]
            entry = j.reverse(target, entry_id, on, journal=sim.entries)
            sim.reversed_ids.add(target.entry_id)
            position = next(i for i, e in enumerate(sim.entries) if e is target)
            effect = sim.effects[position].negated()
        sim.entries.append(entry)
        sim.effects.append(effect)
    return sim
