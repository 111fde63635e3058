"""Building claims from an encounter: coverage choice, splitting, pointers, corrections."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from openrcm.claims.builder import (
    MAX_LINES_CMS1500,
    BuildError,
    Charge,
    ClaimContext,
    Encounter,
    SplitPolicy,
    build_claims,
    corrected_claim,
    void_claim,
)
from openrcm.claims.model import (
    ClaimKind,
    Coverage,
    Diagnosis,
    Frequency,
    LineAdjudication,
    PriorAdjudication,
    Responsibility,
)
from openrcm.claims.scrub import scrubber
from tests.claims.factories import AS_OF, BILLING, COVERAGE, DOS, PATIENT, PAYER, RENDERING

MEDICARE = replace(PAYER, payer_id="MEDI1", name="Medicare", filing_indicator="MB")
PRIMARY = replace(COVERAGE, payer=MEDICARE)
SECONDARY = Coverage(PAYER, Responsibility.SECONDARY, PATIENT, "ACM123456")


def charge(n: int, code: str = "99213", dx: tuple[str, ...] = ("E11.9",)) -> Charge:
    return Charge(f"L{n}", code, Decimal("100.00"), DOS, diagnoses=dx)


def context(charges: tuple[Charge, ...], dx: tuple[str, ...] = ("E11.9", "I10")) -> ClaimContext:
    return ClaimContext(
        practice="Maple Family Practice",
        billing_provider=BILLING,
        rendering_provider=RENDERING,
        patient=PATIENT,
        coverages=(SECONDARY, PRIMARY),
        encounter=Encounter("ENC9", ClaimKind.PROFESSIONAL),
        diagnoses=tuple(Diagnosis(c) for c in dx),
        charges=charges,
    )


def test_single_claim_with_pointers_to_its_diagnoses() -> None:
    ctx = context((charge(1, dx=("I10", "E11.9")), charge(2, "81002", dx=())))
    (claim,) = build_claims(ctx)
    assert claim.claim_id == "ENC9"
    assert claim.coverage is PRIMARY and claim.other_coverages == (SECONDARY,)
    assert [d.code for d in claim.diagnoses] == ["E11.9", "I10"]
    assert [ln.pointers for ln in claim.lines] == [(2, 1), (1,)]
    assert claim.total_charge == Decimal("200.00")
    assert scrubber().scrub(claim, AS_OF).clean


def test_only_used_diagnoses_are_carried_and_at_most_four_pointers() -> None:
    dx = ("E11.9", "I10", "J45.909", "M54.50", "R51.9", "Z00.00")
    ctx = context((charge(1, dx=("I10", "J45.909", "M54.50", "R51.9", "Z00.00")),), dx)
    (claim,) = build_claims(ctx)
    assert [d.code for d in claim.diagnoses] == ["I10", "J45.909", "M54.50", "R51.9"]
    assert claim.lines[0].pointers == (1, 2, 3, 4)


def test_line_limit_splits_and_numbers_the_claims() -> None:
    ctx = context(tuple(charge(n) for n in range(120)))
    claims = build_claims(ctx)
    assert [len(c.lines) for c in claims] == [50, 50, 20]
    assert [c.claim_id for c in claims] == ["ENC9-1", "ENC9-2", "ENC9-3"]
    paper = build_claims(ctx, policy=SplitPolicy(max_lines=MAX_LINES_CMS1500))
    assert len(paper) == 20 and all(len(c.lines) <= 6 for c in paper)


def test_diagnosis_limit_splits() -> None:
    dx = tuple(f"S{n:02d}.0XXA" for n in range(16))
    ctx = context(tuple(charge(n, dx=(dx[n],)) for n in range(16)), dx)
    claims = build_claims(ctx)
    assert [len(c.diagnoses) for c in claims] == [12, 4]
    assert all(p <= len(c.diagnoses) for c in claims for ln in c.lines for p in ln.pointers)


def test_payer_rules_split_codes_and_dates() -> None:
    later = replace(charge(3), service_date=date(2025, 3, 11))
    ctx = context((charge(1), charge(2, "J1100"), later))
    claims = build_claims(ctx, policy=SplitPolicy(separate_codes=frozenset({"J1100"})))
    assert [[ln.procedure for ln in c.lines] for c in claims] == [["99213", "99213"], ["J1100"]]
    by_date = build_claims(ctx, policy=SplitPolicy(by_service_date=True))
    assert [len(c.lines) for c in by_date] == [2, 1]


def test_secondary_claim_carries_primary_adjudication_of_its_lines() -> None:
    paid = PriorAdjudication(
        "MEDI1",
        Responsibility.PRIMARY,
        Decimal("150.00"),
        date(2025, 3, 15),
        lines=(
            LineAdjudication("L1", "99213", Decimal("80.00"), Decimal(1)),
            LineAdjudication("L2", "99213", Decimal("70.00"), Decimal(1)),
        ),
    )
    ctx = replace(context((charge(1), charge(2))), prior_adjudications=(paid,))
    (claim,) = build_claims(ctx, bill_to=Responsibility.SECONDARY)
    assert claim.coverage is SECONDARY and claim.prior_adjudications == (paid,)
    assert scrubber().scrub(claim, AS_OF).clean
    (primary,) = build_claims(ctx)
    assert primary.prior_adjudications == ()
    split = build_claims(ctx, bill_to=Responsibility.SECONDARY, policy=SplitPolicy(max_lines=1))
    assert [c.prior_adjudications[0].paid for c in split] == [Decimal("80.00"), Decimal("70.00")]


def test_bad_contexts_say_what_is_wrong() -> None:
    with pytest.raises(BuildError, match="no charges"):
        build_claims(context(()))
    with pytest.raises(BuildError, match="no tertiary coverage"):
        build_claims(context((charge(1),)), bill_to=Responsibility.TERTIARY)
    with pytest.raises(BuildError, match=r"L1 points to diagnosis K21\.9"):
        build_claims(context((charge(1, dx=("K21.9",)),)))
    with pytest.raises(BuildError, match="max_lines"):
        build_claims(context((charge(1),)), policy=SplitPolicy(max_lines=0))


def test_corrected_claim_resubmits_only_changed_lines() -> None:
    ctx = context((charge(1, dx=("E11.9",)), charge(2, "81002", dx=("I10",)), charge(3, "36415")))
    (original,) = build_claims(ctx)
    fixed_charges = (ctx.charges[0], replace(ctx.charges[1], units=Decimal(2)), ctx.charges[2])
    (fixed,) = build_claims(replace(ctx, charges=fixed_charges))
    repl = corrected_claim(original, fixed, "PAYER-ICN-77")
    assert repl.frequency is Frequency.REPLACEMENT
    assert repl.payer_claim_control_number == "PAYER-ICN-77"
    assert [ln.line_id for ln in repl.lines] == ["L2"]
    assert [d.code for d in repl.diagnoses] == ["I10"] and repl.lines[0].pointers == (1,)
    assert repl.claim_id == original.claim_id
    assert scrubber().scrub(repl, AS_OF).clean
    everything = corrected_claim(original, fixed, "PAYER-ICN-77", only_changed_lines=False)
    assert len(everything.lines) == 3
    header_only = corrected_claim(original, replace(original, prior_authorization="PA1"), "X")
    assert len(header_only.lines) == 3
    with pytest.raises(BuildError, match="control number"):
        corrected_claim(original, fixed, " ")


def test_void_claim() -> None:
    (original,) = build_claims(context((charge(1),)))
    void = void_claim(original, "ICN1")
    assert void.frequency is Frequency.VOID and void.lines == original.lines
    with pytest.raises(BuildError):
        void_claim(original, "")


def test_institutional_claim_keeps_all_diagnoses_without_pointers() -> None:
    ctx = replace(
        context((charge(1),), ("J18.9", "E11.9", "I10")),
        encounter=Encounter("ENC10", ClaimKind.INSTITUTIONAL),
    )
    (claim,) = build_claims(ctx)
    assert [d.code for d in claim.diagnoses] == ["J18.9", "E11.9", "I10"]
    assert claim.lines[0].pointers == ()
