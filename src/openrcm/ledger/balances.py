"""Balances derived from the journal: never stored, always a sum over postings.

Every function makes one pass over the entries, accumulating per account in a dict, and then
aggregates over the (few) distinct accounts; that keeps 100k entries well under a second and
makes replaying the journal and summing the same thing. Because addition commutes, the order of
the entries does not matter.

Balances follow the sign convention of the journal: a positive receivable balance is money owed
to the practice; a negative one is a credit balance (an overpayment to refund or apply).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from openrcm.ledger.accounts import Account, AccountKind
from openrcm.ledger.journal import JournalEntry
from openrcm.money import ZERO

_AR = (AccountKind.AR_INSURANCE, AccountKind.AR_PATIENT)


def account_totals(
    entries: Iterable[JournalEntry], *, as_of: date | None = None
) -> dict[Account, Decimal]:
    """The balance of every account touched, in one pass (optionally only entries up to as_of).

    Accounts whose postings cancel out keep a zero balance in the result.
    """
    # Accumulate by key string (hash cached by Python, compared in C), then map back.
    sums: dict[str, Decimal] = {}
    named: dict[str, Account] = {}
    get = sums.get
    for entry in entries:
        if as_of is not None and entry.effective_on > as_of:
            continue
        for posting in entry.postings:
            key = posting.account.key
            current = get(key)
            if current is None:
                sums[key] = posting.amount
                named[key] = posting.account
            else:
                sums[key] = current + posting.amount
    return {named[key]: amount for key, amount in sums.items()}


@dataclass(frozen=True, slots=True)
class Balances:
    """Every derived balance of a journal, computed once; the fast path for reports and APIs.

    Build with ``Balances.of(entries)``; the mappings are read-only and omit zero balances.
    """

    accounts: Mapping[str, Decimal]
    by_line: Mapping[str, Decimal]
    by_claim: Mapping[str, Decimal]
    by_patient: Mapping[str, Decimal]
    by_patient_all: Mapping[str, Decimal]
    by_payer: Mapping[str, Decimal]
    practice_ar: Decimal

    @classmethod
    def of(cls, entries: Iterable[JournalEntry], *, as_of: date | None = None) -> Balances:
        """Derive all balances from the entries (those effective on or before ``as_of``)."""
        totals = account_totals(entries, as_of=as_of)
        accounts: dict[str, Decimal] = {}
        by_line: dict[str, Decimal] = {}
        by_claim: dict[str, Decimal] = {}
        by_patient: dict[str, Decimal] = {}
        by_patient_all: dict[str, Decimal] = {}
        by_payer: dict[str, Decimal] = {}
        practice = ZERO
        for account, amount in totals.items():
            if amount == 0:
                continue
            accounts[account.key] = amount
            if account.kind not in _AR:
                continue
            practice += amount
            line, claim, patient = (
                str(account.line_id),
                str(account.claim_id),
                str(account.patient_id),
            )
            by_line[line] = by_line.get(line, ZERO) + amount
            by_claim[claim] = by_claim.get(claim, ZERO) + amount
            by_patient_all[patient] = by_patient_all.get(patient, ZERO) + amount
            if account.kind is AccountKind.AR_PATIENT:
                by_patient[patient] = by_patient.get(patient, ZERO) + amount
            else:
                payer = str(account.payer_id)
                by_payer[payer] = by_payer.get(payer, ZERO) + amount

        def frozen(d: dict[str, Decimal]) -> Mapping[str, Decimal]:
            return MappingProxyType({k: v for k, v in d.items() if v != 0})

        return cls(
            accounts=frozen(accounts),
            by_line=frozen(by_line),
            by_claim=frozen(by_claim),
            by_patient=frozen(by_patient),
            by_patient_all=frozen(by_patient_all),
            by_payer=frozen(by_payer),
            practice_ar=practice,
        )

    def account(self, account: Account | str) -> Decimal:
        """The balance of one account (zero when untouched)."""
        key = account.key if isinstance(account, Account) else account
        return self.accounts.get(key, ZERO)


def balance(entries: Iterable[JournalEntry], account_prefix: str) -> Decimal:
    """The sum of the account ``account_prefix`` names and every account below it.

    Prefixes match whole key parts: ``ar:ins:P1`` (or ``ar:ins:P1:``) covers every line of
    payer P1 but not payer P10; a full key gives that one account; ``ar`` is all receivables.
    """
    whole = account_prefix.rstrip(":")
    below = whole + ":"
    return sum(
        (
            amount
            for account, amount in account_totals(entries).items()
            if account.key == whole or account.key.startswith(below)
        ),
        ZERO,
    )


def _receivables(entries: Iterable[JournalEntry]) -> Iterable[tuple[Account, Decimal]]:
    return ((a, amt) for a, amt in account_totals(entries).items() if a.kind in _AR)


def claim_line_balance(entries: Iterable[JournalEntry], claim_line_id: str) -> Decimal:
    """What is still owed on one claim line, by every responsible party together."""
    return sum((amt for a, amt in _receivables(entries) if a.line_id == claim_line_id), ZERO)


def claim_balance(entries: Iterable[JournalEntry], claim_id: str) -> Decimal:
    """What is still owed on one claim: charges - payments - adjustments (transfers net out)."""
    return sum((amt for a, amt in _receivables(entries) if a.claim_id == claim_id), ZERO)


def patient_balance(
    entries: Iterable[JournalEntry], patient_id: str, *, include_insurance: bool = False
) -> Decimal:
    """What the patient owes (patient responsibility); with ``include_insurance`` the whole
    open balance of the patient's claims, whoever is responsible for it."""
    return sum(
        (
            amt
            for a, amt in _receivables(entries)
            if a.patient_id == patient_id
            and (include_insurance or a.kind is AccountKind.AR_PATIENT)
        ),
        ZERO,
    )


def payer_balance(entries: Iterable[JournalEntry], payer_id: str) -> Decimal:
    """What one payer owes across all claim lines."""
    return sum(
        (
            amt
            for a, amt in _receivables(entries)
            if a.kind is AccountKind.AR_INSURANCE and a.payer_id == payer_id
        ),
        ZERO,
    )


def practice_ar(entries: Iterable[JournalEntry]) -> Decimal:
    """Total accounts receivable of the practice (insurance plus patient)."""
    return sum((amt for _, amt in _receivables(entries)), ZERO)


# --- aging ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgedBalance:
    """The open balance of one receivable account and how old it is.

    ``since`` is the first date the account was debited (billed to this party: the charge, or
    the transfer to this payer or to the patient); ``age_days`` counts from it to ``as_of``.
    """

    account: Account
    since: date
    age_days: int
    amount: Decimal
    bucket: int


@dataclass(frozen=True, slots=True)
class AgingRow:
    """Open receivables of one responsible party, split into age buckets."""

    party: str
    amounts: tuple[Decimal, ...]

    @property
    def total(self) -> Decimal:
        """All buckets together."""
        return sum(self.amounts, ZERO)


@dataclass(frozen=True, slots=True)
class AgingReport:
    """Accounts receivable by responsible party and age.

    Attributes:
        as_of: the report date; entries effective after it are ignored.
        labels: bucket names, e.g. ``0-30``, ``31-60``, ``61-90``, ``91-120``, ``121+``.
        rows: one per party, ``ins:<payer>`` or ``pat:<patient>``, sorted by party.
        lines: the per-account detail behind the rows.
    """

    as_of: date
    labels: tuple[str, ...]
    rows: tuple[AgingRow, ...]
    lines: tuple[AgedBalance, ...]

    @property
    def totals(self) -> tuple[Decimal, ...]:
        """Bucket totals over all parties."""
        return tuple(
            sum((row.amounts[i] for row in self.rows), ZERO) for i in range(len(self.labels))
        )

    @property
    def total(self) -> Decimal:
        """All receivables in the report; equals the practice AR as of the report date."""
        return sum(self.totals, ZERO)


def bucket_labels(buckets: tuple[int, ...]) -> tuple[str, ...]:
    """Names for the age ranges the limits define: (30, 60) -> 0-30, 31-60, 61+."""
    labels: list[str] = []
    low = 0
    for limit in buckets:
        labels.append(f"{low}-{limit}")
        low = limit + 1
    labels.append(f"{low}+")
    return tuple(labels)


def aging(
    entries: Iterable[JournalEntry],
    as_of: date,
    buckets: tuple[int, ...] = (30, 60, 90, 120),
) -> AgingReport:
    """Age every open receivable at ``as_of`` and total it per responsible party.

    An account's age counts from the first day it was debited (or, for an account never
    debited, its first posting); credit balances are reported (negative) in the bucket of their
    account's age so the totals still equal practice AR.

    Raises:
        ValueError: bucket limits that are not strictly increasing positive days.
    """
    if not buckets or any(b <= 0 for b in buckets) or list(buckets) != sorted(set(buckets)):
        raise ValueError("aging buckets must be strictly increasing positive day counts")
    totals: dict[str, Decimal] = {}
    named: dict[str, Account] = {}
    since: dict[str, date] = {}
    first_seen: dict[str, date] = {}
    for entry in entries:
        when = entry.effective_on
        if when > as_of:
            continue
        for posting in entry.postings:
            account = posting.account
            if account.kind not in _AR:
                continue
            key = account.key
            current = totals.get(key)
            if current is None:
                totals[key] = posting.amount
                named[key] = account
                first_seen[key] = when
            else:
                totals[key] = current + posting.amount
                if when < first_seen[key]:
                    first_seen[key] = when
            if posting.amount > 0:
                first = since.get(key)
                if first is None or when < first:
                    since[key] = when
    lines: list[AgedBalance] = []
    rows: dict[str, list[Decimal]] = {}
    for key, amount in totals.items():
        if amount == 0:
            continue
        account = named[key]
        start = since.get(key, first_seen[key])
        age = (as_of - start).days
        index = next((i for i, limit in enumerate(buckets) if age <= limit), len(buckets))
        lines.append(AgedBalance(account, start, age, amount, index))
        party = (
            f"ins:{account.payer_id}"
            if account.kind is AccountKind.AR_INSURANCE
            else f"pat:{account.patient_id}"
        )
        row = rows.setdefault(party, [ZERO] * (len(buckets) + 1))
        row[index] += amount
    lines.sort(key=lambda line: (-line.age_days, line.account.key))
    return AgingReport(
        as_of=as_of,
        labels=bucket_labels(buckets),
        rows=tuple(AgingRow(party, tuple(rows[party])) for party in sorted(rows)),
        lines=tuple(lines),
    )
