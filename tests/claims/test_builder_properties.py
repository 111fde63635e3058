"""Properties of claim building over random encounters (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from openrcm.claims.builder import (
    MAX_DX_PROFESSIONAL,
    MAX_POINTERS,
    Charge,
    ClaimContext,
    Encounter,
    SplitPolicy,
    build_claims,
)
from openrcm.claims.model import ClaimKind, Diagnosis
from openrcm.claims.scrub import scrubber
from tests.claims.factories import AS_OF, BILLING, COVERAGE, PATIENT, RENDERING

DX_POOL = [f"M{n:02d}.9" for n in range(40)]


@st.composite
def encounters(draw: st.DrawFn) -> tuple[ClaimContext, SplitPolicy]:
    dx = draw(st.lists(st.sampled_from(DX_POOL), min_size=1, max_size=30, unique=True))
    n = draw(st.integers(1, 120))
    charges = tuple(
        Charge(
            f"L{i}",
            draw(st.sampled_from(["99213", "36415", "J1100", "20610"])),
            Decimal(draw(st.integers(1, 50000))) / 100,
            date(2025, 3, 1) + timedelta(days=draw(st.integers(0, 3))),
            diagnoses=tuple(draw(st.lists(st.sampled_from(dx), max_size=6, unique=True))),
        )
        for i in range(n)
    )
    ctx = ClaimContext(
        practice="Maple",
        billing_provider=BILLING,
        rendering_provider=RENDERING,
        patient=PATIENT,
        coverages=(COVERAGE,),
        encounter=Encounter("E", ClaimKind.PROFESSIONAL),
        diagnoses=tuple(Diagnosis(c) for c in dx),
        charges=charges,
    )
    policy = SplitPolicy(
        max_lines=draw(st.one_of(st.none(), st.integers(1, 50))),
        separate_codes=frozenset(draw(st.lists(st.sampled_from(["J1100", "20610"])))),
        by_service_date=draw(st.booleans()),
    )
    return ctx, policy


@settings(max_examples=60, deadline=None)
@given(encounters())
def test_every_charge_billed_once_within_limits(case: tuple[ClaimContext, SplitPolicy]) -> None:
    ctx, policy = case
    claims = build_claims(ctx, policy=policy)
    billed = [ln.line_id for c in claims for ln in c.lines]
    assert sorted(billed) == sorted(ch.line_id for ch in ctx.charges)
    assert sum(c.total_charge for c in claims) == sum(ch.charge for ch in ctx.charges)
    assert len({c.claim_id for c in claims}) == len(claims)
    limit = policy.max_lines or 50
    by_id = {ch.line_id: ch for ch in ctx.charges}
    for c in claims:
        assert 1 <= len(c.lines) <= limit
        assert len(c.diagnoses) <= MAX_DX_PROFESSIONAL
        for ln in c.lines:
            assert 1 <= len(ln.pointers) <= MAX_POINTERS
            pointed = [c.diagnoses[p - 1].code for p in ln.pointers]
            wanted = list(by_id[ln.line_id].diagnoses[:MAX_POINTERS]) or [ctx.diagnoses[0].code]
            assert pointed == wanted
        if policy.by_service_date:
            assert len({ln.service_date for ln in c.lines}) == 1
        separate = {ln.procedure for ln in c.lines} & policy.separate_codes
        assert not separate or {ln.procedure for ln in c.lines} == separate
        assert not {f.code for f in scrubber().scrub(c, AS_OF).findings} & {
            "DX-POINTER",
            "CLM-TOO-MANY-DX",
            "CLM-TOO-MANY-LINES",
        }
