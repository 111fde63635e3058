"""Accounts: keys, parsing, types and refusal of malformed dimensions."""

from __future__ import annotations

import pytest

from openrcm.ledger.accounts import Account, AccountKind, AccountType, LedgerError

EVERY = [
    Account.ar_insurance("P1", "L42", patient_id="PT7", claim_id="C3"),
    Account.ar_patient("PT7", "L42", claim_id="C3"),
    Account.cash(),
    Account.revenue(),
    Account.contractual(),
    Account.writeoff("bad_debt"),
    Account.provider_adjustment("P1", "L6"),
    Account.unapplied("P1"),
    Account.patient_credit("PT7"),
    Account.refunds_payable(payer_id="P1"),
    Account.refunds_payable(patient_id="PT7"),
    Account.recoupment("P1"),
]


def test_every_kind_has_a_constructor_here() -> None:
    """The list above covers every account kind, so the round-trip test covers them all."""
    assert {a.kind for a in EVERY} == set(AccountKind)


@pytest.mark.parametrize("account", EVERY, ids=lambda a: a.key)
def test_key_round_trips(account: Account) -> None:
    """parse(key) gives back the same account."""
    assert Account.parse(account.key) == account
    assert str(account) == account.key


def test_keys_and_types() -> None:
    """Keys carry payer, patient, claim and line; types follow the chart of accounts."""
    ins, pat = EVERY[0], EVERY[1]
    assert ins.key == "ar:ins:P1:PT7:C3:L42"
    assert pat.key == "ar:pat:PT7:C3:L42"
    assert ins.type is AccountType.ASSET and ins.is_receivable
    assert Account.revenue().type is AccountType.INCOME
    assert Account.contractual().type is AccountType.CONTRA_INCOME
    assert Account.recoupment("P1").type is AccountType.LIABILITY
    assert not Account.cash().is_receivable


@pytest.mark.parametrize("bad", ["P:1", "", "P 1", "P\t1", "P\u00a01", "P\u20281"])
def test_bad_ids_refused(bad: str) -> None:
    """Ids with ':' or whitespace, or empty ids, would corrupt keys and are refused."""
    with pytest.raises(LedgerError):
        Account.ar_insurance(bad, "L1", patient_id="PT", claim_id="C")
    with pytest.raises(LedgerError):
        Account.writeoff(bad)


@pytest.mark.parametrize("bad", ["P:1", "", "P 1", "P\u20281", " P", "P\n", 7, None])
@pytest.mark.parametrize("position", ["payer_id", "patient_id", "claim_id", "line_id"])
def test_bad_dimension_named_wherever_it_is(bad: object, position: str) -> None:
    """The key is checked in one pass; a bad value in any place is still refused with the name
    of its dimension (and only of that one)."""
    good = {"payer_id": "P1", "patient_id": "PT", "claim_id": "C", "line_id": "L1"}
    with pytest.raises(LedgerError, match=position):
        Account(AccountKind.AR_INSURANCE, **{**good, position: bad})  # type: ignore[arg-type]


def test_string_subclass_ids_accepted() -> None:
    class Id(str):
        pass

    account = Account.ar_patient(Id("PT"), Id("L1"), claim_id=Id("C"))
    assert account.key == "ar:pat:PT:C:L1"


@pytest.mark.parametrize(
    "key", ["nope", "ar:ins:P1:L42", "cash:extra", "ar:pat:PT:C", "adj:writeoff", ""]
)
def test_bad_keys_refused(key: str) -> None:
    """Unknown prefixes and wrong part counts are errors naming neither PHI nor the key."""
    with pytest.raises(LedgerError):
        Account.parse(key)


def test_wrong_dimensions_refused() -> None:
    """A kind given a dimension it does not have, or missing one, is refused."""
    with pytest.raises(LedgerError):
        Account(AccountKind.CASH, payer_id="P1")
    with pytest.raises(LedgerError):
        Account(AccountKind.UNAPPLIED)
    with pytest.raises(LedgerError):
        Account.refunds_payable()
    with pytest.raises(LedgerError):
        Account.refunds_payable(payer_id="P1", patient_id="PT")


def test_overlong_key_refused() -> None:
    """Keys longer than the storage column are refused up front."""
    with pytest.raises(LedgerError):
        Account.ar_insurance("P" * 60, "L" * 60, patient_id="T" * 60, claim_id="C" * 60)
