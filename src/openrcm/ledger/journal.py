"""Journal entries: the only way money moves, each one balanced and immutable.

A journal entry is a set of postings that sums to zero (debit positive, credit negative). The
constructors below are the vocabulary of a billing office: a charge, an insurance or patient
payment, a contractual adjustment or write-off, a transfer of responsibility, a refund, a payer
recoupment, a provider-level (PLB) adjustment, and the reversal that corrects any of them.
Each constructor checks its input and raises ``LedgerError``; ``check_entry`` and
``check_journal`` report problems in stored data as findings instead, because data read back
from storage must be inspectable even when it is wrong.

Nothing here reads a clock or a database: callers pass ids and dates in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

from openrcm.findings import Finding, Severity
from openrcm.ledger.accounts import Account, AccountKind
from openrcm.ledger.accounts import LedgerError as LedgerError  # re-exported: the contract's home
from openrcm.money import CENT, ZERO

MAX_AMOUNT = Decimal("1000000000000")
"""No single amount reaches a trillion dollars; larger inputs are typos or attacks."""

MAX_ENTRY_ID_LENGTH = 64
"""The storage column's width (store.models.JournalEntryRow.id)."""

SOURCE = "openrcm ledger"


class EntryKind(StrEnum):
    """What a journal entry records."""

    CHARGE = "charge"
    INSURANCE_PAYMENT = "insurance_payment"
    PATIENT_PAYMENT = "patient_payment"
    CONTRACTUAL_ADJUSTMENT = "contractual_adjustment"
    WRITE_OFF = "write_off"
    TRANSFER = "transfer"
    REFUND = "refund"
    REVERSAL = "reversal"
    PROVIDER_ADJUSTMENT = "provider_adjustment"
    RECOUPMENT = "recoupment"


@dataclass(frozen=True, slots=True)
class Posting:
    """One leg of an entry: ``amount`` is a debit when positive, a credit when negative."""

    account: Account
    amount: Decimal


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One immutable, dated, balanced movement of money.

    Attributes:
        entry_id: unique id chosen by the caller (at most 64 characters, no whitespace).
        kind: what the entry records.
        effective_on: the accounting date (deposit date, date of service ...), which aging uses.
        postings: the legs; they sum to zero.
        memo: a short note without PHI.
        reverses: for a reversal, the id of the entry it cancels.
        refs: identifiers linking the entry to the world (``claim``, ``remittance``,
            ``payment``, ``check`` ...); never PHI.
    """

    entry_id: str
    kind: EntryKind
    effective_on: date
    postings: tuple[Posting, ...]
    memo: str = ""
    reverses: str | None = None
    refs: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if type(self.kind) is not EntryKind:
            object.__setattr__(self, "kind", EntryKind(self.kind))
        if type(self.postings) is not tuple:
            object.__setattr__(self, "postings", tuple(self.postings))
        object.__setattr__(self, "refs", MappingProxyType(dict(self.refs)))

    @property
    def total_debits(self) -> Decimal:
        """The sum of the positive legs: the size of the movement."""
        return sum((p.amount for p in self.postings if p.amount > 0), ZERO)


# --- validation ------------------------------------------------------------------------------


def _finding(code: str, entry_id: str, message: str, hint: str = "") -> Finding:
    return Finding(
        code=code,
        severity=Severity.ERROR,
        message=message,
        location={"entry": entry_id},
        hint=hint,
        source=SOURCE,
    )




def _entry_id_problem(entry_id: object) -> str | None:
    if not isinstance(entry_id, str) or not entry_id:
        return "entry id must be a non-empty string"
    if len(entry_id) > MAX_ENTRY_ID_LENGTH:
        return f"entry id longer than {MAX_ENTRY_ID_LENGTH} characters"
    if entry_id.split() != [entry_id]:  # cut at exactly the characters str.isspace accepts
        return "entry id must not contain whitespace"
    return None


def _sound(entry: JournalEntry) -> bool:
    """True when :func:`check_entry` would find nothing: one pass over the legs, no findings
    built (every constructor checks its entry, so this is the path almost every entry takes).
    Anything unusual answers False and gets the full check."""
    postings = entry.postings
    if len(postings) < 2 or _entry_id_problem(entry.entry_id) is not None:
        return False
    if (entry.kind is EntryKind.REVERSAL) != (entry.reverses is not None):
        return False
    total = ZERO
    for posting in postings:
        amount = posting.amount
        if (type(amount) is not Decimal or not amount.is_finite() or not amount
                or not -MAX_AMOUNT < amount < MAX_AMOUNT or amount != amount.quantize(CENT)
                or not isinstance(posting.account, Account)):
            return False
        total += amount
    return total == 0


def check_entry(entry: JournalEntry) -> list[Finding]:
    """Every way one entry can be malformed, as findings (empty when the entry is sound).

    Codes: LEDGER-ENTRY-ID, LEDGER-EMPTY, LEDGER-ACCOUNT, LEDGER-AMOUNT-TYPE, LEDGER-PRECISION,
    LEDGER-ZERO-POSTING, LEDGER-UNBALANCED, LEDGER-REVERSAL-LINK.
    """
    if _sound(entry):
        return []
    eid = entry.entry_id if isinstance(entry.entry_id, str) else repr(entry.entry_id)
    findings: list[Finding] = []
    problem = _entry_id_problem(entry.entry_id)
    if problem:
        findings.append(_finding("LEDGER-ENTRY-ID", eid, problem))
    if len(entry.postings) < 2:
        findings.append(
            _finding("LEDGER-EMPTY", eid, "an entry needs at least two postings", "add a leg")
        )
    total = ZERO
    for index, posting in enumerate(entry.postings, start=1):
        if not isinstance(posting.account, Account):
            findings.append(
                _finding("LEDGER-ACCOUNT", eid, f"posting {index} does not name an Account")
            )
        amount = posting.amount
        if not isinstance(amount, Decimal) or not amount.is_finite():
            findings.append(
                _finding("LEDGER-AMOUNT-TYPE", eid, f"posting {index} amount is not a Decimal")
            )
            continue
        if abs(amount) >= MAX_AMOUNT or amount != amount.quantize(CENT):
            findings.append(
                _finding(
                    "LEDGER-PRECISION", eid, f"posting {index} has fractions of a cent or is huge"
                )
            )
        if amount == 0:
            findings.append(_finding("LEDGER-ZERO-POSTING", eid, f"posting {index} is zero"))
        total += amount
    if total != 0:
        findings.append(
            _finding(
                "LEDGER-UNBALANCED",
                eid,
                f"postings sum to {total}, not zero",
                "debits (positive) must equal credits (negative)",
            )
        )
    if (entry.kind is EntryKind.REVERSAL) != (entry.reverses is not None):
        findings.append(
            _finding(
                "LEDGER-REVERSAL-LINK",
                eid,
                "a reversal must name the entry it reverses, and only a reversal may",
            )
        )
    return findings


def check_journal(entries: Iterable[JournalEntry]) -> list[Finding]:
    """Check every entry and the links between them.

    Besides ``check_entry`` for each entry: LEDGER-DUPLICATE-ID (an id used twice),
    LEDGER-REVERSAL-TARGET (a reversal of an entry not in the journal, or whose postings are not
    the exact negation of its target), LEDGER-REVERSED-TWICE (an entry reversed more than once).
    """
    journal = list(entries)
    findings: list[Finding] = []
    by_id: dict[str, JournalEntry] = {}
    for entry in journal:
        findings.extend(check_entry(entry))
        if entry.entry_id in by_id:
            findings.append(
                _finding("LEDGER-DUPLICATE-ID", entry.entry_id, "entry id is used twice")
            )
        else:
            by_id[entry.entry_id] = entry
    reversed_by: dict[str, str] = {}
    for entry in journal:
        if entry.reverses is None:
            continue
        target = by_id.get(entry.reverses)
        if target is None:
            findings.append(
                _finding(
                    "LEDGER-REVERSAL-TARGET",
                    entry.entry_id,
                    f"reverses entry {entry.reverses}, which is not in the journal",
                )
            )
        elif _leg_counts(_negated(target.postings)) != _leg_counts(entry.postings):
            findings.append(
                _finding(
                    "LEDGER-REVERSAL-TARGET",
                    entry.entry_id,
                    f"postings are not the exact negation of entry {entry.reverses}",
                )
            )
        if entry.reverses in reversed_by:
            findings.append(
                _finding(
                    "LEDGER-REVERSED-TWICE",
                    entry.entry_id,
                    f"entry {entry.reverses} was already reversed by {reversed_by[entry.reverses]}",
                    "reverse the reversal instead of reversing the original again",
                )
            )
        else:
            reversed_by[entry.reverses] = entry.entry_id
    return findings


# --- constructors ----------------------------------------------------------------------------


def _amount(value: Decimal | int | str, what: str, *, positive: bool = True) -> Decimal:
    if type(value) is Decimal:  # the usual case: no conversion
        amount = value
    else:
        if isinstance(value, (float, bool)):
            raise LedgerError(f"{what} must be a Decimal, not {type(value).__name__}")
        try:
            amount = Decimal(value)
        except ArithmeticError as exc:
            raise LedgerError(f"{what} is not an amount") from exc
    if not amount.is_finite():
        raise LedgerError(f"{what} is not a finite amount")
    if abs(amount) >= MAX_AMOUNT:
        raise LedgerError(f"{what} is too large")
    cents = amount.quantize(CENT)
    if amount != cents:
        raise LedgerError(f"{what} has fractions of a cent")
    amount = cents
    if positive and amount <= 0:
        raise LedgerError(f"{what} must be greater than zero")
    if not positive and amount == 0:
        raise LedgerError(f"{what} must not be zero")
    return amount


def _optional_amount(value: Decimal | int | str, what: str) -> Decimal:
    """An amount that may be zero but not negative."""
    if isinstance(value, (Decimal, int, str)) and not isinstance(value, bool):
        try:
            if Decimal(value) == 0:
                return ZERO
        except ArithmeticError:
            pass
    return _amount(value, what)


def _receivable(account: Account, what: str, kind: AccountKind | None = None) -> Account:
    if not isinstance(account, Account) or not account.is_receivable:
        raise LedgerError(f"{what} must be a claim-line receivable account (ar:ins or ar:pat)")
    if kind is not None and account.kind is not kind:
        raise LedgerError(f"{what} must be a {kind} account")
    return account


def _applied_credits(
    applied: Sequence[tuple[Account, Decimal | int | str]], kind: AccountKind, owner: str
) -> list[Posting]:
    """Credit each applied line's receivable; every line must be ``kind`` and one owner's.

    Args:
        owner: the payer id (for ar:ins) or patient id (for ar:pat) the money came from.
    """
    attribute, party = (("payer_id", "payer") if kind is AccountKind.AR_INSURANCE
                        else ("patient_id", "patient"))
    postings: list[Posting] = []
    for index, (account, amount) in enumerate(applied, start=1):
        _receivable(account, f"applied[{index}]", kind)
        if getattr(account, attribute) != owner:
            raise LedgerError(f"applied[{index}] belongs to another {party}")
        postings.append(Posting(account, -_amount(amount, f"applied[{index}] amount")))
    return postings


def _entry(
    entry_id: str,
    kind: EntryKind,
    effective_on: date,
    postings: Sequence[Posting],
    memo: str,
    refs: Mapping[str, str] | None,
    reverses: str | None = None,
    *,
    merge: bool = True,
) -> JournalEntry:
    # The entry id, amounts and balance are checked once, by check_entry below.
    if not isinstance(effective_on, date):
        raise LedgerError("effective_on must be a date")
    legs = tuple(postings)
    if merge and (legs[0].account.key == legs[1].account.key if len(legs) == 2
                  else len({p.account.key for p in legs}) != len(legs)):
        merged: dict[Account, Decimal] = {}
        for posting in legs:
            merged[posting.account] = merged.get(posting.account, ZERO) + posting.amount
        legs = tuple(Posting(a, amt) for a, amt in merged.items() if amt != 0)
    elif merge:  # nothing to merge (the usual case): keep the legs, drop zero ones
        legs = tuple(p for p in legs if p.amount != 0)
    entry = JournalEntry(
        entry_id=entry_id,
        kind=kind,
        effective_on=effective_on,
        postings=legs,
        memo=memo,
        reverses=reverses,
        refs=refs or {},  # copied by JournalEntry
    )
    findings = check_entry(entry)
    if findings:
        raise LedgerError(findings[0].message)
    return entry


def charge(
    entry_id: str,
    effective_on: date,
    receivable: Account,
    amount: Decimal | int | str,
    *,
    memo: str = "",
    refs: Mapping[str, str] | None = None,
) -> JournalEntry:
    """Bill a claim line: debit the responsible party's receivable, credit revenue.

    ``receivable`` is ``Account.ar_insurance(...)`` for a line billed to a payer, or
    ``Account.ar_patient(...)`` for self-pay.
    """
    _receivable(receivable, "receivable")
    value = _amount(amount, "charge amount")
    postings = [Posting(receivable, value), Posting(Account.revenue(), -value)]
    return _entry(entry_id, EntryKind.CHARGE, effective_on, postings, memo, refs)


def insurance_payment(
    entry_id: str,
    effective_on: date,
    payer_id: str,
    applied: Sequence[tuple[Account, Decimal | int | str]],
    *,
    unapplied: Decimal | int | str = ZERO,
    memo: str = "",
    refs: Mapping[str, str] | None = None,
) -> JournalEntry:
    """Money from a payer: debit cash, credit each paid line's insurance receivable.

    Args:
        applied: ``(ar_insurance account of this payer, amount paid)`` per claim line.
        unapplied: money received but not yet matched to a line (credited to
            ``Account.unapplied(payer_id)``).
    """
    rest = _optional_amount(unapplied, "unapplied amount")
    postings = _applied_credits(applied, AccountKind.AR_INSURANCE, payer_id)
    if rest:
        postings.append(Posting(Account.unapplied(payer_id), -rest))
    if not postings:
        raise LedgerError("an insurance payment needs at least one applied line or unapplied")
    total = -sum((p.amount for p in postings), ZERO)
    postings.insert(0, Posting(Account.cash(), total))
    return _entry(entry_id, EntryKind.INSURANCE_PAYMENT, effective_on, postings, memo, refs)


def apply_unapplied(
    entry_id: str,
    effective_on: date,
    payer_id: str,
    applied: Sequence[tuple[Account, Decimal | int | str]],
    *,
    memo: str = "",
    refs: Mapping[str, str] | None = None,
) -> JournalEntry:
    """Apply money held as unapplied to claim lines of the same payer (no new cash)."""
    postings = _applied_credits(applied, AccountKind.AR_INSURANCE, payer_id)
    if not postings:
        raise LedgerError("nothing to apply")
    total = -sum((p.amount for p in postings), ZERO)
    postings.insert(0, Posting(Account.unapplied(payer_id), total))
    return _entry(entry_id, EntryKind.INSURANCE_PAYMENT, effective_on, postings, memo, refs)


def patient_payment(
    entry_id: str,
    effective_on: date,
    patient_id: str,
    applied: Sequence[tuple[Account, Decimal | int | str]],
    *,
    credit: Decimal | int | str = ZERO,
    memo: str = "",
    refs: Mapping[str, str] | None = None,
) -> JournalEntry:
    """Money from a patient: debit cash, credit the patient's line receivables.

    Args:
        applied: ``(ar_patient account of this patient, amount)`` per claim line.
        credit: prepayment or overpayment kept on ``Account.patient_credit(patient_id)``.
    """
    rest = _optional_amount(credit, "credit amount")
    postings = _applied_credits(applied, AccountKind.AR_PATIENT, patient_id)
    if rest:
        postings.append(Posting(Account.patient_credit(patient_id), -rest))
    if not postings:
        raise LedgerError("a patient payment needs at least one applied line or a credit")
    total = -sum((p.amount for p in postings), ZERO)
    postings.insert(0, Posting(Account.cash(), total))
    return _entry(entry_id, EntryKind.PATIENT_PAYMENT, effective_on, postings, memo, refs)


def adjustment(
    entry_id: str,
    effective_on: date,
    receivable: Account,
    amount: Decimal | int | str,
    *,
    write_off_reason: str | None = None,
    memo: str = "",
    refs: Mapping[str, str] | None = None,
) -> JournalEntry:
    """Reduce a line's receivable without money: contractual, or a write-off with a reason.

    Without ``write_off_reason`` it is a contractual adjustment (debit ``adj:contractual``);
    with one it is a write-off (debit ``adj:writeoff:<reason>``). Either credits the receivable.
    """
    _receivable(receivable, "receivable")
    value = _amount(amount, "adjustment amount")
    if write_off_reason is None:
        kind, contra = EntryKind.CONTRACTUAL_ADJUSTMENT, Account.contractual()
    else:
        kind, contra = EntryKind.WRITE_OFF, Account.writeoff(write_off_reason)
    postings = [Posting(contra, value), Posting(receivable, -value)]
    return _entry(entry_id, kind, effective_on, postings, memo, refs)


def contractual_adjustment(
    entry_id: str,
    effective_on: date,
    receivable: Account,
    amount: Decimal | int | str,
    *,
    memo: str = "",
    refs: Mapping[str, str] | None = None,
) -> JournalEntry:
    """A contractual adjustment (the charge above the payer's allowed amount)."""
    return adjustment(entry_id, effective_on, receivable, amount, memo=memo, refs=refs)


def write_off(
    entry_id: str,
    effective_on: date,
    receivable: Account,
    amount: Decimal | int | str,
    reason: str,
    *,
    memo: str = "",
    refs: Mapping[str, str] | None = None,
) -> JournalEntry:
    """A write-off (bad debt, small balance, timely filing ...) with its reason."""
    return adjustment(
        entry_id, effective_on, receivable, amount, write_off_reason=reason, memo=memo, refs=refs
    )


def transfer(
    entry_id: str,
    effective_on: date,
    source: Account,
    target: Account,
    amount: Decimal | int | str,
    *,
    memo: str = "",
    refs: Mapping[str, str] | None = None,
) -> JournalEntry:
    """Move responsibility for part of a line: primary -> secondary payer -> patient.

    Both accounts must be receivables of the same claim line (and claim); they must differ.
    """
    _receivable(source, "source")
    _receivable(target, "target")
    if source == target:
        raise LedgerError("transfer source and target are the same account")
    if (source.claim_id, source.line_id) != (target.claim_id, target.line_id):
        raise LedgerError("transfer source and target must be the same claim line")
    if source.patient_id != target.patient_id:
        raise LedgerError("transfer source and target must belong to the same patient")
    value = _amount(amount, "transfer amount")
    postings = [Posting(target, value), Posting(source, -value)]
    return _entry(entry_id, EntryKind.TRANSFER, effective_on, postings, memo, refs)


def refund(
    entry_id: str,
    effective_on: date,
    receivable: Account,
    amount: Decimal | int | str,
    *,
    payable: bool = False,
    memo: str = "",
    refs: Mapping[str, str] | None = None,
) -> JournalEntry:
    """Give back an overpayment on a line: debit the receivable (clearing its credit balance).

    The credit side is cash when the refund is paid now, or refunds payable (to the payer of
    an ``ar:ins`` line, or to the patient) when ``payable`` is True; ``refund_paid`` settles it.
    """
    _receivable(receivable, "receivable")
    value = _amount(amount, "refund amount")
    if payable:
        if receivable.kind is AccountKind.AR_INSURANCE:
            counter = Account.refunds_payable(payer_id=receivable.payer_id)
        else:
            counter = Account.refunds_payable(patient_id=receivable.patient_id)
    else:
        counter = Account.cash()
    postings = [Posting(receivable, value), Posting(counter, -value)]
    return _entry(entry_id, EntryKind.REFUND, effective_on, postings, memo, refs)


def refund_paid(
    entry_id: str,
    effective_on: date,
    payable: Account,
    amount: Decimal | int | str,
    *,
    memo: str = "",
    refs: Mapping[str, str] | None = None,
) -> JournalEntry:
    """Pay a refund recorded as payable (also used to refund a patient's unapplied credit)."""
    allowed = (AccountKind.REFUND_INSURANCE, AccountKind.REFUND_PATIENT, AccountKind.PATIENT_CREDIT)
    if not isinstance(payable, Account) or payable.kind not in allowed:
        raise LedgerError("payable must be a refunds-payable or patient-credit account")
    value = _amount(amount, "refund amount")
    postings = [Posting(payable, value), Posting(Account.cash(), -value)]
    return _entry(entry_id, EntryKind.REFUND, effective_on, postings, memo, refs)


def recoupment(
    entry_id: str,
    effective_on: date,
    receivable: Account,
    amount: Decimal | int | str,
    *,
    memo: str = "",
    refs: Mapping[str, str] | None = None,
) -> JournalEntry:
    """A payer takes back money it paid on a line: the line's receivable reopens and the
    amount becomes owed to the payer (``recoup:<payer>``) until withheld from a check."""
    _receivable(receivable, "receivable", AccountKind.AR_INSURANCE)
    value = _amount(amount, "recoupment amount")
    owed = Account.recoupment(str(receivable.payer_id))
    postings = [Posting(receivable, value), Posting(owed, -value)]
    return _entry(entry_id, EntryKind.RECOUPMENT, effective_on, postings, memo, refs)


def provider_adjustment(
    entry_id: str,
    effective_on: date,
    payer_id: str,
    reason: str,
    amount: Decimal | int | str,
    *,
    against: Account | None = None,
    memo: str = "",
    refs: Mapping[str, str] | None = None,
) -> JournalEntry:
    """An 835 PLB adjustment: money the payer withholds (positive) or adds (negative).

    Cash moves by ``-amount`` (the check is smaller by a positive PLB amount). The other leg is
    ``against`` when given, e.g. ``Account.recoupment(payer_id)`` for a WO overpayment recovery
    that settles an earlier recoupment, else ``adj:plb:<payer>:<reason>`` (L6 interest shows as
    a credit balance there).
    """
    value = _amount(amount, "provider adjustment amount", positive=False)
    counter = against if against is not None else Account.provider_adjustment(payer_id, reason)
    if not isinstance(counter, Account) or counter.kind is AccountKind.CASH:
        raise LedgerError("provider adjustment needs a non-cash counter account")
    postings = [Posting(counter, value), Posting(Account.cash(), -value)]
    return _entry(entry_id, EntryKind.PROVIDER_ADJUSTMENT, effective_on, postings, memo, refs)


def _leg_counts(postings: Iterable[Posting]) -> Counter[tuple[str, Decimal]]:
    """Legs as a multiset, so that the order storage returns them in does not matter."""
    return Counter((p.account.key, p.amount) for p in postings)


def _negated(postings: Iterable[Posting]) -> tuple[Posting, ...]:
    return tuple(Posting(p.account, -p.amount) for p in postings)


def reverse(
    entry: JournalEntry,
    entry_id: str,
    effective_on: date,
    *,
    journal: Iterable[JournalEntry] | None = None,
    memo: str = "",
) -> JournalEntry:
    """The entry that cancels ``entry`` exactly: same accounts, negated amounts.

    A reversal can itself be reversed, which restores the original effect. When ``journal`` is
    given, reversing an entry it already shows reversed is refused, as is reversing an entry
    it does not contain.

    Raises:
        LedgerError: the entry is already reversed in ``journal`` or absent from it.
    """
    if journal is not None:
        seen = False
        for other in journal:
            if other.entry_id == entry.entry_id:
                seen = True
            if other.reverses == entry.entry_id:
                raise LedgerError(f"entry {entry.entry_id} is already reversed by {other.entry_id}")
        if not seen:
            raise LedgerError(f"entry {entry.entry_id} is not in the journal")
    refs = dict(entry.refs)
    return _entry(
        entry_id,
        EntryKind.REVERSAL,
        effective_on,
        _negated(entry.postings),
        memo or f"reverses {entry.entry_id}",
        refs,
        reverses=entry.entry_id,
        merge=False,
    )
