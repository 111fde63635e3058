"""Posting plans: balance check, payments, adjustments, transfers, denials, exceptions."""

from __future__ import annotations

from openrcm.ledger.accounts import Account
from openrcm.ledger.balances import Balances, claim_line_balance, patient_balance
from openrcm.remit.entries import plan_entries, reversal_entries
from openrcm.remit.model import Action, ExpectedLine
from openrcm.remit.plan import balance_problem, plan_remittance
from openrcm.x12.views.remittance import ProviderAdjustment
from tests.remit.support import DOS, PAID_ON, D, billed, cas, charges, clp, era, svc


def test_unbalanced_remittance_is_refused_with_the_reason() -> None:
    remit = era(clp("C1", "150", "80", svc("99213", "150", "80", cas("CO", "45", "70"))),
                amount="90.00")
    assert "80" in balance_problem(remit)
    plan = plan_remittance(remit, "P1", [billed()])
    assert plan.refused and "BPR02" in plan.refused
    assert plan.claims == () and plan.exceptions == ()


def test_payment_contractual_and_coinsurance_reconcile_to_the_cent() -> None:
    claim = billed()
    remit = era(clp("C1", "150", "80", svc("99213", "150", "80", cas("CO", "45", "40"),
                                          cas("PR", "2", "30"))))
    plan = plan_remittance(remit, "P1", [claim])
    assert not plan.refused and not plan.exceptions
    line = plan.claims[0].lines[0]
    assert line.total(Action.CONTRACTUAL) == D("40") and line.total(Action.TRANSFER) == D("30")
    entries = charges(claim) + plan_entries(plan, "era-x", PAID_ON)
    b = Balances.of(entries)
    assert b.account(Account.cash()) == remit.amount == D("80")
    assert claim_line_balance(entries, "C1L1") == D("30")
    assert patient_balance(entries, "PT1") == D("30")
    assert b.account(Account.contractual()) == D("40")
    assert sum(b.accounts.values()) == 0


def test_patient_responsibility_goes_to_the_secondary_payer_when_there_is_one() -> None:
    claim = billed(next_payer="P2")
    remit = era(clp("C1", "150", "100", svc("99213", "150", "100", cas("PR", "1", "50"))))
    entries = charges(claim) + plan_entries(plan_remittance(remit, "P1", [claim]), "e", PAID_ON)
    ar2 = Account.ar_insurance("P2", "C1L1", patient_id="PT1", claim_id="C1")
    assert Balances.of(entries).account(ar2) == D("50")
    assert patient_balance(entries, "PT1") == 0


def test_denial_is_held_classified_and_described() -> None:
    claim = billed()
    remit = era(clp("C1", "150", "0", svc("99213", "150", "0", cas("CO", "97", "150"),
                                         remarks=("M15",)), status="4"))
    plan = plan_remittance(remit, "P1", [claim])
    (denial,) = plan.denials
    assert denial.category == "bundling" and denial.reason == "97"
    assert "paid" in denial.description.lower() or denial.description
    assert denial.remarks[0][0] == "M15" and "unknown" not in denial.remarks[0][1]
    assert "NCCI" in denial.next_action
    entries = charges(claim) + plan_entries(plan, "e", PAID_ON)
    assert claim_line_balance(entries, "C1L1") == D("150")  # still on the payer, to be worked


def test_modifiers_dropped_or_reordered_still_match_the_billed_line() -> None:
    claim = billed("C1",
                   ExpectedLine("A", "20610", D("200"), DOS, ("RT", "59")),
                   ExpectedLine("B", "20610", D("200"), DOS, ("LT", "59")))
    remit = era(clp("C1", "400", "300",
                    svc("20610", "200", "150", cas("CO", "45", "50"), modifiers=("59", "LT")),
                    svc("20610", "200", "150", cas("CO", "45", "50"), modifiers=("RT",))))
    plan = plan_remittance(remit, "P1", [claim])
    assert not plan.exceptions
    assert [ln.line_id for ln in plan.claims[0].lines] == ["B", "A"]


def test_ambiguous_line_goes_to_the_exception_queue_and_money_to_unapplied() -> None:
    claim = billed("C1",
                   ExpectedLine("A", "97110", D("50"), DOS, ("GP",)),
                   ExpectedLine("B", "97110", D("50"), DOS, ("GP",)))
    remit = era(clp("C1", "100", "60", svc("97110", "50", "30", cas("CO", "45", "20")),
                    svc("97110", "50", "30", cas("CO", "45", "20"))))
    plan = plan_remittance(remit, "P1", [claim])
    assert plan.claims == ()
    assert plan.exceptions[0].code == "REMIT-LINE-AMBIGUOUS"
    assert plan.unapplied == D("60") and plan.claims_unmatched == 1
    entries = plan_entries(plan, "e", PAID_ON)
    assert Balances.of(entries).account(Account.unapplied("P1")) == D("-60")


def test_line_control_number_resolves_what_codes_cannot() -> None:
    claim = billed("C1",
                   ExpectedLine("A", "97110", D("50"), DOS, ("GP",)),
                   ExpectedLine("B", "97110", D("50"), DOS, ("GP",)))
    remit = era(clp("C1", "100", "60", svc("97110", "50", "40", cas("CO", "45", "10"),
                                          control="B"),
                    svc("97110", "50", "20", cas("CO", "45", "30"), control="A")))
    plan = plan_remittance(remit, "P1", [claim])
    assert [(ln.line_id, ln.paid) for ln in plan.claims[0].lines] == [("B", D("40")),
                                                                       ("A", D("20"))]


def test_unknown_claim_found_by_payer_control_number_else_unapplied() -> None:
    claim = billed("C1", payer_control="PCN9")
    by_pcn = era(clp("WRONG", "150", "100", svc("99213", "150", "100", cas("CO", "45", "50")),
                     payer_control="PCN9"))
    assert plan_remittance(by_pcn, "P1", [claim]).claims[0].claim_id == "C1"
    lost = era(clp("NOPE", "150", "100", svc("99213", "150", "100", cas("CO", "45", "50")),
                   payer_control="X"))
    plan = plan_remittance(lost, "P1", [claim])
    assert plan.exceptions[0].code == "REMIT-CLAIM-UNMATCHED" and plan.unapplied == D("100")


def test_claim_that_does_not_add_up_is_not_posted() -> None:
    remit = era(clp("C1", "150", "80", svc("99213", "150", "80", cas("CO", "45", "10"))))
    plan = plan_remittance(remit, "P1", [billed()])
    assert plan.exceptions[0].code == "REMIT-LINE-UNBALANCED" and plan.claims == ()


def test_claim_level_payment_without_lines_posts_to_a_one_line_claim() -> None:
    remit = era(clp("C1", "150", "100", adjustments=(cas("CO", "45", "50"),)))
    plan = plan_remittance(remit, "P1", [billed()])
    assert plan.claims[0].lines[0].line_id == "C1L1"
    two = billed("C1", ExpectedLine("A", "99213", D("75"), DOS),
                 ExpectedLine("B", "36415", D("75"), DOS))
    assert plan_remittance(remit, "P1", [two]).exceptions[0].code == "REMIT-NO-SERVICE-LINES"


def test_partial_payment_leaves_the_rest_open() -> None:
    claim = billed()
    remit = era(clp("C1", "150", "50", svc("99213", "150", "50", cas("CO", "45", "40"),
                                          cas("CO", "50", "60"))))
    entries = charges(claim) + plan_entries(plan_remittance(remit, "P1", [claim]), "e", PAID_ON)
    assert claim_line_balance(entries, "C1L1") == D("60")


def test_reversal_then_repost_restores_and_replaces_the_first_posting() -> None:
    claim = billed()
    first = era(clp("C1", "150", "80", svc("99213", "150", "80", cas("CO", "45", "40"),
                                          cas("PR", "2", "30"))))
    posted = plan_entries(plan_remittance(first, "P1", [claim]), "e1", PAID_ON)
    second = era(
        clp("C1", "-150", "-80", svc("99213", "-150", "-80", cas("CO", "45", "-40"),
                                    cas("PR", "2", "-30")), status="22"),
        clp("C1", "150", "90", svc("99213", "150", "90", cas("CO", "45", "40"),
                                   cas("PR", "2", "20")), payer_control="PCN2"))
    plan = plan_remittance(second, "P1", [claim])
    assert plan.claims[0].reversal and not plan.claims[1].reversal
    undo = reversal_entries(posted, "e2r", PAID_ON)
    entries = charges(claim) + posted + undo + plan_entries(plan, "e2", PAID_ON)
    assert Balances.of(charges(claim) + posted + undo).account(Account.cash()) == 0
    assert Balances.of(entries).account(Account.cash()) == D("90") == first.amount + second.amount
    assert patient_balance(entries, "PT1") == D("20")


def test_plb_recoupment_reopens_the_named_line_and_reduces_the_check() -> None:
    claim = billed()
    other = billed("C2")
    remit = era(clp("C2", "150", "100", svc("99213", "150", "100", cas("CO", "45", "50"))),
                plb=(ProviderAdjustment("1234567890", None, "WO", "C1", D("30")),
                     ProviderAdjustment("1234567890", None, "L6", "", D("-2.50"))))
    plan = plan_remittance(remit, "P1", [claim, other])
    assert plan.provider_levels[0].line_id == "C1L1"
    entries = plan_entries(plan, "e", PAID_ON)
    b = Balances.of(entries)
    assert b.account(Account.cash()) == remit.amount == D("72.50")
    assert claim_line_balance(entries, "C1L1") == D("30")
    assert b.account(Account.recoupment("P1")) == 0


def test_refused_plan_cannot_produce_entries() -> None:
    plan = plan_remittance(era(clp("C1", "1", "1", svc("99213", "1", "1")), amount="5"), "P1",
                           [billed()])
    try:
        plan_entries(plan, "e", PAID_ON)
    except ValueError as exc:
        assert "refused" in str(exc)
    else:
        raise AssertionError("a refused plan produced entries")


def test_the_first_entry_of_a_claim_carries_the_adjudication_for_cob() -> None:
    from openrcm.remit.entries import ADJUDICATION, decode_adjudication

    remit = era(clp("C1", "150", "80", svc("99213", "150", "80", cas("CO", "45", "40"),
                                          cas("PR", "2", "30"))))
    entries = plan_entries(plan_remittance(remit, "P1", [billed()]), "e", PAID_ON)
    decoded = decode_adjudication(entries[0].refs[ADJUDICATION])
    paid, adjustments = decoded["C1L1"]
    assert paid == D("80") and [(a.group, a.reason, a.amount) for a in adjustments] == [
        ("CO", "45", D("40")), ("PR", "2", D("30"))]
    assert all(ADJUDICATION not in e.refs for e in entries[1:])
