"""The chart of accounts: what each account means, its type, and its stable storage key.

Accounts are values, not rows: an account exists as soon as a posting names it. Receivable
accounts are opened per claim line and responsible party, and their keys carry the payer,
patient, claim and line, so every balance the billing office asks for (a line, a claim, a
patient, a payer, the practice) is a sum over keys with a given shape, in Python or in SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class LedgerError(ValueError):
    """Invalid input to a ledger constructor; the message names the field, never PHI."""


class AccountType(StrEnum):
    """The root types; the sign convention (debit positive) is the same for all of them.

    ASSET accounts normally carry a debit (positive) balance, LIABILITY and INCOME a credit
    (negative) one, and CONTRA_INCOME (adjustments, write-offs) a debit balance that reduces
    income.
    """

    ASSET = "asset"
    LIABILITY = "liability"
    INCOME = "income"
    CONTRA_INCOME = "contra_income"


class AccountKind(StrEnum):
    """Every kind of account, named by its key prefix."""

    AR_INSURANCE = "ar:ins"
    AR_PATIENT = "ar:pat"
    CASH = "cash"
    REVENUE = "revenue"
    CONTRACTUAL = "adj:contractual"
    WRITE_OFF = "adj:writeoff"
    PROVIDER_ADJUSTMENT = "adj:plb"
    UNAPPLIED = "unapplied"
    PATIENT_CREDIT = "credit:pat"
    REFUND_INSURANCE = "refund:ins"
    REFUND_PATIENT = "refund:pat"
    RECOUPMENT = "recoup"


# kind -> (type, names of the dimensions that follow the prefix in the key, in order)
_SHAPE: dict[AccountKind, tuple[AccountType, tuple[str, ...]]] = {
    AccountKind.AR_INSURANCE: (
        AccountType.ASSET,
        ("payer_id", "patient_id", "claim_id", "line_id"),
    ),
    AccountKind.AR_PATIENT: (AccountType.ASSET, ("patient_id", "claim_id", "line_id")),
    AccountKind.CASH: (AccountType.ASSET, ()),
    AccountKind.REVENUE: (AccountType.INCOME, ()),
    AccountKind.CONTRACTUAL: (AccountType.CONTRA_INCOME, ()),
    AccountKind.WRITE_OFF: (AccountType.CONTRA_INCOME, ("reason",)),
    AccountKind.PROVIDER_ADJUSTMENT: (AccountType.CONTRA_INCOME, ("payer_id", "reason")),
    AccountKind.UNAPPLIED: (AccountType.LIABILITY, ("payer_id",)),
    AccountKind.PATIENT_CREDIT: (AccountType.LIABILITY, ("patient_id",)),
    AccountKind.REFUND_INSURANCE: (AccountType.LIABILITY, ("payer_id",)),
    AccountKind.REFUND_PATIENT: (AccountType.LIABILITY, ("patient_id",)),
    AccountKind.RECOUPMENT: (AccountType.LIABILITY, ("payer_id",)),
}

_NAMES = ("payer_id", "patient_id", "claim_id", "line_id", "reason")
# kind -> (the dimensions it needs, in key order; the ones it must leave None; the number of
# ':' in a well-formed key): accounts are built by the hundred thousand when posting an 835, so
# this is worked out once.
_DIMENSIONS: dict[AccountKind, tuple[tuple[str, ...], tuple[str, ...], int]] = {
    kind: (dims, tuple(n for n in _NAMES if n not in dims), kind.value.count(":") + len(dims))
    for kind, (_, dims) in _SHAPE.items()
}

# Longest prefixes first so "ar:ins" is not mistaken for a shorter kind when parsing.
_BY_PREFIX = sorted(AccountKind, key=lambda k: -len(k.value))

MAX_KEY_LENGTH = 200
"""The storage column's width (store.models.PostingRow.account)."""


_COLON_OR_SPACE = re.compile(r"[:\s]")
r"""One compiled scan instead of a per-character generator: ``\s`` matches exactly the
characters ``str.isspace`` accepts, and ledgers build millions of accounts when posting 835s."""


def _check_id(name: str, value: str) -> str:
    if not isinstance(value, str) or not value:
        raise LedgerError(f"account {name} must be a non-empty string")
    if _COLON_OR_SPACE.search(value):
        raise LedgerError(f"account {name} must not contain ':' or whitespace")
    return value


@dataclass(frozen=True, slots=True)
class Account:
    """One account: a kind plus the dimensions that kind needs.

    Unused dimensions are None. Build accounts with the class methods, which check that the
    right dimensions are present; ``key`` is what storage keeps and ``parse`` reverses it.
    """

    kind: AccountKind
    payer_id: str | None = None
    patient_id: str | None = None
    claim_id: str | None = None
    line_id: str | None = None
    reason: str | None = None
    key: str = field(init=False, repr=False, compare=False, default="")
    """The stable storage key, e.g. ``ar:ins:P1:PT7:C3:L42``; derived, never passed in."""

    def __post_init__(self) -> None:
        kind = self.kind if type(self.kind) is AccountKind else AccountKind(self.kind)
        dims, unused, colons = _DIMENSIONS[kind]
        for name in unused:
            if getattr(self, name) is not None:
                raise LedgerError(f"{kind} accounts take no {name}")
        values = [getattr(self, name) for name in dims]
        # The whole key checked in one pass (its ':' count and one whitespace scan) instead of
        # one scan per dimension; anything wrong is then found and named dimension by dimension.
        try:
            key = ":".join([kind.value, *values])
        except TypeError:  # a dimension that is not a string: named below
            key = ""
        # ``split()`` cuts at exactly the characters ``str.isspace`` accepts (as ``\s`` does),
        # in C, and hands back the key itself when there are none.
        if not key or key.count(":") != colons or key.split() != [key] or "" in values:
            for name, value in zip(dims, values, strict=True):
                _check_id(name, value)
        if len(key) > MAX_KEY_LENGTH:
            raise LedgerError(f"account key longer than {MAX_KEY_LENGTH} characters")
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "key", key)

    # The key determines every field; comparing and hashing that one (hash-cached) string keeps
    # balance sums over hundreds of thousands of postings fast.
    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Account):
            return NotImplemented
        return self.key == other.key

    @property
    def type(self) -> AccountType:
        """Asset, liability, income or contra-income."""
        return _SHAPE[self.kind][0]

    @property
    def is_receivable(self) -> bool:
        """True for the accounts receivable of a claim line (insurance or patient)."""
        return self.kind in (AccountKind.AR_INSURANCE, AccountKind.AR_PATIENT)

    def __str__(self) -> str:
        return self.key

    @classmethod
    def parse(cls, key: str) -> Account:
        """The account a stored key names.

        Raises:
            LedgerError: the key has an unknown prefix or the wrong number of parts.
        """
        for kind in _BY_PREFIX:
            prefix = kind.value
            if key == prefix or key.startswith(prefix + ":"):
                _, dims = _SHAPE[kind]
                rest = key[len(prefix) + 1 :].split(":") if key != prefix else []
                if len(rest) != len(dims):
                    raise LedgerError(
                        f"account key of kind {kind} needs {len(dims)} parts after the prefix"
                    )
                return cls(kind, **dict(zip(dims, rest, strict=True)))
        raise LedgerError("unknown account key prefix")

    # --- constructors, one per kind -------------------------------------------------------

    @classmethod
    def ar_insurance(
        cls, payer_id: str, claim_line_id: str, *, patient_id: str, claim_id: str
    ) -> Account:
        """What ``payer_id`` owes on one claim line of one patient's claim."""
        return cls(
            AccountKind.AR_INSURANCE,
            payer_id=payer_id,
            patient_id=patient_id,
            claim_id=claim_id,
            line_id=claim_line_id,
        )

    @classmethod
    def ar_patient(cls, patient_id: str, claim_line_id: str, *, claim_id: str) -> Account:
        """What the patient (guarantor) owes on one claim line."""
        return cls(
            AccountKind.AR_PATIENT, patient_id=patient_id, claim_id=claim_id, line_id=claim_line_id
        )

    @classmethod
    def cash(cls) -> Account:
        """Money received (deposits), net of refunds paid and amounts payers withheld."""
        return _CASH

    @classmethod
    def revenue(cls) -> Account:
        """Gross charges billed."""
        return _REVENUE

    @classmethod
    def contractual(cls) -> Account:
        """Contractual adjustments: the part of a charge above the payer's allowed amount."""
        return _CONTRACTUAL

    @classmethod
    def writeoff(cls, reason: str) -> Account:
        """Write-offs by reason (``bad_debt``, ``small_balance``, ``timely_filing`` ...)."""
        return cls(AccountKind.WRITE_OFF, reason=reason)

    @classmethod
    def provider_adjustment(cls, payer_id: str, reason: str) -> Account:
        """Provider-level (835 PLB) adjustments by payer and PLB reason code."""
        return cls(AccountKind.PROVIDER_ADJUSTMENT, payer_id=payer_id, reason=reason)

    @classmethod
    def unapplied(cls, payer_id: str) -> Account:
        """Money a payer sent that is not yet applied to a claim line."""
        return cls(AccountKind.UNAPPLIED, payer_id=payer_id)

    @classmethod
    def patient_credit(cls, patient_id: str) -> Account:
        """A patient's prepayment or overpayment not applied to a claim line."""
        return cls(AccountKind.PATIENT_CREDIT, patient_id=patient_id)

    @classmethod
    def refunds_payable(
        cls, *, payer_id: str | None = None, patient_id: str | None = None
    ) -> Account:
        """Refunds approved but not yet paid, to one payer or one patient (exactly one)."""
        if (payer_id is None) == (patient_id is None):
            raise LedgerError("refunds_payable needs exactly one of payer_id or patient_id")
        if payer_id is not None:
            return cls(AccountKind.REFUND_INSURANCE, payer_id=payer_id)
        return cls(AccountKind.REFUND_PATIENT, patient_id=patient_id)

    @classmethod
    def recoupment(cls, payer_id: str) -> Account:
        """Payments a payer has taken back and will withhold from a future check."""
        return cls(AccountKind.RECOUPMENT, payer_id=payer_id)


# The accounts without dimensions, built once: every payment and adjustment names one of them.
_CASH = Account(AccountKind.CASH)
_REVENUE = Account(AccountKind.REVENUE)
_CONTRACTUAL = Account(AccountKind.CONTRACTUAL)
