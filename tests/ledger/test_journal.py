"""Journal constructors: each kind posts what docs.md says; bad input is refused clearly."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from openrcm.ledger import journal as j
from openrcm.ledger.accounts import Account, LedgerError
from openrcm.ledger.journal import EntryKind, JournalEntry, Posting, check_entry, check_journal

D = date(2026, 3, 2)
INS = Account.ar_insurance("P1", "L1", patient_id="PT1", claim_id="C1")
SEC = Account.ar_insurance("P2", "L1", patient_id="PT1", claim_id="C1")
PAT = Account.ar_patient("PT1", "L1", claim_id="C1")
INS2 = Account.ar_insurance("P1", "L2", patient_id="PT1", claim_id="C1")


def legs(entry: JournalEntry) -> dict[str, Decimal]:
    return {p.account.key: p.amount for p in entry.postings}


def test_charge() -> None:
    """Debit the receivable, credit revenue; refs and memo kept, refs read-only."""
    entry = j.charge("E1", D, INS, Decimal("150.00"), refs={"claim": "C1"}, memo="99213")
    assert entry.kind is EntryKind.CHARGE
    assert legs(entry) == {INS.key: Decimal("150.00"), "revenue": Decimal("-150.00")}
    assert entry.refs == {"claim": "C1"}
    assert entry.total_debits == Decimal("150.00")
    with pytest.raises(TypeError):
        entry.refs["claim"] = "x"  # type: ignore[index]


def test_insurance_payment_many_lines_and_unapplied() -> None:
    """One check pays two lines and leaves some unapplied; cash is the check total."""
    entry = j.insurance_payment("E2", D, "P1", [(INS, "80.00"), (INS2, 20)], unapplied="5.50")
    assert legs(entry) == {
        "cash": Decimal("105.50"),
        INS.key: Decimal("-80.00"),
        INS2.key: Decimal("-20.00"),
        "unapplied:P1": Decimal("-5.50"),
    }
    later = j.apply_unapplied("E3", D, "P1", [(INS2, "5.50")])
    assert legs(later) == {"unapplied:P1": Decimal("5.50"), INS2.key: Decimal("-5.50")}


def test_insurance_payment_refuses_other_payer_and_patient_lines() -> None:
    """Money from P1 cannot be applied to P2's or the patient's receivable."""
    with pytest.raises(LedgerError, match="another payer"):
        j.insurance_payment("E", D, "P1", [(SEC, 1)])
    with pytest.raises(LedgerError, match="ar:ins"):
        j.insurance_payment("E", D, "P1", [(PAT, 1)])
    with pytest.raises(LedgerError, match="at least one"):
        j.insurance_payment("E", D, "P1", [])


def test_patient_payment_with_credit() -> None:
    """Copay on a line plus a prepayment held as patient credit."""
    entry = j.patient_payment("E4", D, "PT1", [(PAT, "30.00")], credit="10")
    assert legs(entry) == {
        "cash": Decimal("40.00"),
        PAT.key: Decimal("-30.00"),
        "credit:pat:PT1": Decimal("-10.00"),
    }
    with pytest.raises(LedgerError, match="another patient"):
        j.patient_payment("E", D, "PT9", [(PAT, 1)])


def test_adjustments() -> None:
    """Contractual and write-off debit their contra accounts and credit the receivable."""
    contractual = j.contractual_adjustment("E5", D, INS, "40.00")
    assert contractual.kind is EntryKind.CONTRACTUAL_ADJUSTMENT
    assert legs(contractual) == {"adj:contractual": Decimal("40.00"), INS.key: Decimal("-40.00")}
    writeoff = j.write_off("E6", D, PAT, "3.00", "small_balance")
    assert writeoff.kind is EntryKind.WRITE_OFF
    assert legs(writeoff) == {"adj:writeoff:small_balance": Decimal("3.00"), PAT.key: Decimal("-3")}


def test_transfers_primary_secondary_patient() -> None:
    """Responsibility moves between receivables of the same line only."""
    to_secondary = j.transfer("E7", D, INS, SEC, "30.00")
    assert legs(to_secondary) == {SEC.key: Decimal("30.00"), INS.key: Decimal("-30.00")}
    to_patient = j.transfer("E8", D, SEC, PAT, "30.00")
    assert to_patient.kind is EntryKind.TRANSFER
    with pytest.raises(LedgerError, match="same claim line"):
        j.transfer("E", D, INS, INS2, 1)
    with pytest.raises(LedgerError, match="same account"):
        j.transfer("E", D, INS, INS, 1)
    other_patient = Account.ar_patient("PT2", "L1", claim_id="C1")
    with pytest.raises(LedgerError, match="same patient"):
        j.transfer("E", D, INS, other_patient, 1)


def test_refunds_now_and_payable() -> None:
    """A refund clears a credit balance against cash, or against refunds payable."""
    now = j.refund("E9", D, INS, "12.00")
    assert legs(now) == {INS.key: Decimal("12.00"), "cash": Decimal("-12.00")}
    later = j.refund("E10", D, PAT, "5.00", payable=True)
    assert legs(later) == {PAT.key: Decimal("5.00"), "refund:pat:PT1": Decimal("-5.00")}
    ins_later = j.refund("E10b", D, INS, "5.00", payable=True)
    assert "refund:ins:P1" in legs(ins_later)
    paid = j.refund_paid("E11", D, Account.refunds_payable(patient_id="PT1"), "5.00")
    assert legs(paid) == {"refund:pat:PT1": Decimal("5.00"), "cash": Decimal("-5.00")}
    with pytest.raises(LedgerError, match="payable"):
        j.refund_paid("E", D, Account.cash(), 1)


def test_recoupment_and_plb() -> None:
    """A takeback reopens the line and is owed to the payer until a PLB WO withholds it."""
    takeback = j.recoupment("E12", D, INS, "25.00")
    assert legs(takeback) == {INS.key: Decimal("25.00"), "recoup:P1": Decimal("-25.00")}
    withheld = j.provider_adjustment(
        "E13", D, "P1", "WO", "25.00", against=Account.recoupment("P1")
    )
    assert legs(withheld) == {"recoup:P1": Decimal("25.00"), "cash": Decimal("-25.00")}
    interest = j.provider_adjustment("E14", D, "P1", "L6", "-1.25")
    assert legs(interest) == {"adj:plb:P1:L6": Decimal("-1.25"), "cash": Decimal("1.25")}
    with pytest.raises(LedgerError, match="recoupment amount"):
        j.recoupment("E", D, INS, 0)
    with pytest.raises(LedgerError, match="ar:ins"):
        j.recoupment("E", D, PAT, 1)
    with pytest.raises(LedgerError, match="non-cash"):
        j.provider_adjustment("E", D, "P1", "WO", 1, against=Account.cash())


def test_reverse_and_reverse_the_reversal() -> None:
    """A reversal negates every leg and links back; reversing it restores the original."""
    original = j.charge("E1", D, INS, "150.00", refs={"claim": "C1"})
    undo = j.reverse(original, "R1", D)
    assert undo.kind is EntryKind.REVERSAL and undo.reverses == "E1"
    assert legs(undo) == {k: -v for k, v in legs(original).items()}
    assert undo.refs == {"claim": "C1"}
    redo = j.reverse(undo, "R2", D, journal=[original, undo])
    assert legs(redo) == legs(original)
    with pytest.raises(LedgerError, match="already reversed"):
        j.reverse(original, "R3", D, journal=[original, undo])
    unrelated = j.charge("E9", D, INS, "1.00")
    with pytest.raises(LedgerError, match="not in the journal"):
        j.reverse(unrelated, "R3", D, journal=[original, undo])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (Decimal("0"), "greater than zero"),
        (Decimal("-1"), "greater than zero"),
        (Decimal("1.005"), "fractions of a cent"),
        (1.5, "not float"),
        ("abc", "not an amount"),
        (Decimal("NaN"), "finite"),
        (Decimal("1e13"), "too large"),
        (True, "not bool"),
    ],
)
def test_bad_amounts_refused(value: object, message: str) -> None:
    """Zero, negative, sub-cent, float, text and huge amounts are refused, saying which."""
    with pytest.raises(LedgerError) as info:
        j.charge("E", D, INS, value)  # type: ignore[arg-type]
    assert message.split()[-1] in str(info.value)


@pytest.mark.parametrize("bad_id", ["", "has space", "x" * 65])
def test_bad_entry_ids_and_dates_refused(bad_id: str) -> None:
    """Entry ids must be short, non-empty and without whitespace; dates must be dates."""
    with pytest.raises(LedgerError, match="entry id"):
        j.charge(bad_id, D, INS, 1)
    with pytest.raises(LedgerError, match="effective_on"):
        j.charge("E", "2026-01-01", INS, 1)  # type: ignore[arg-type]


def test_charge_needs_a_receivable() -> None:
    """Charging cash or revenue makes no sense and is refused."""
    with pytest.raises(LedgerError, match="receivable"):
        j.charge("E", D, Account.cash(), 1)


def test_check_entry_reports_each_problem() -> None:
    """Hand-built bad entries (as if read from storage) yield the matching finding codes."""
    good = j.charge("E1", D, INS, "10.00")

    def codes(entry: JournalEntry) -> list[str]:
        return [f.code for f in check_entry(entry)]

    assert codes(good) == []
    assert codes(replace(good, postings=good.postings[:1])) == [
        "LEDGER-EMPTY",
        "LEDGER-UNBALANCED",
    ]
    assert codes(
        replace(good, postings=(Posting(INS, Decimal("0.001")), Posting(PAT, Decimal("-0.001"))))
    ) == [
        "LEDGER-PRECISION",
        "LEDGER-PRECISION",
    ]
    assert codes(replace(good, postings=(Posting(INS, Decimal(0)), Posting(PAT, Decimal(0))))) == [
        "LEDGER-ZERO-POSTING",
        "LEDGER-ZERO-POSTING",
    ]
    floats = (Posting(INS, 1.0), Posting(PAT, -1.0))  # type: ignore[arg-type]
    assert codes(replace(good, postings=floats)) == ["LEDGER-AMOUNT-TYPE"] * 2
    assert codes(replace(good, kind=EntryKind.REVERSAL)) == ["LEDGER-REVERSAL-LINK"]
    assert codes(replace(good, entry_id="")) == ["LEDGER-ENTRY-ID"]
    finding = check_entry(replace(good, postings=good.postings[:1]))[1]
    assert finding.location == {"entry": "E1"}


def test_check_journal_links() -> None:
    """Duplicate ids, dangling reversals and reversals that do not mirror are reported."""
    charge = j.charge("E1", D, INS, "10.00")
    undo = j.reverse(charge, "R1", D)
    assert check_journal([charge, undo]) == []
    assert [f.code for f in check_journal([charge, charge])] == ["LEDGER-DUPLICATE-ID"]
    assert [f.code for f in check_journal([undo])] == ["LEDGER-REVERSAL-TARGET"]
    bent = replace(undo, postings=tuple(reversed(undo.postings)))
    other = j.charge("E1", D, INS, "11.00")
    bad = replace(undo, postings=j.reverse(other, "X", D).postings)
    assert check_journal([charge, bent]) == []  # storage may return legs in any order
    assert [f.code for f in check_journal([charge, bad])] == ["LEDGER-REVERSAL-TARGET"]


def test_entries_from_storage_coerce_kind_and_flag_bad_accounts() -> None:
    """A kind read back as text becomes an EntryKind; a leg without an Account is flagged."""
    entry = JournalEntry("E1", "charge", D, (Posting(INS, Decimal(1)), Posting(PAT, Decimal(-1))))  # type: ignore[arg-type]
    assert entry.kind is EntryKind.CHARGE
    with pytest.raises(ValueError):
        JournalEntry("E1", "bogus", D, ())  # type: ignore[arg-type]
    odd = replace(entry, postings=(Posting("cash", Decimal(1)), Posting(PAT, Decimal(-1))))  # type: ignore[arg-type]
    assert [f.code for f in check_entry(odd)] == ["LEDGER-ACCOUNT"]
