"""A one-practice world for the payer loop tests: a patient with primary and secondary
coverage, submitted claims, and 835s written for them (all synthetic)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from openrcm.config import Settings
from openrcm.security.phi import PhiCipher, generate_key
from openrcm.security.roles import Role
from openrcm.services import claims, records
from openrcm.services import practice as p
from openrcm.services import schemas as s
from openrcm.services.bootstrap import build as build_runtime
from openrcm.services.claim_states import ClaimState
from openrcm.services.context import Actor, Ctx
from openrcm.store.db import Database, create_schema
from openrcm.x12.builders.envelope import Envelope
from openrcm.x12.builders.remittance import write_remittance
from openrcm.x12.views.common import Adjustment, Entity
from openrcm.x12.views.remittance import ClaimPayment, Remittance, ServicePayment
from tests.store.fixtures import new_practice

DOS = date(2026, 3, 2)
PAID_ON = date(2026, 4, 1)
D = Decimal


@dataclass
class World:
    ctx: Ctx
    ids: dict[str, str] = field(default_factory=dict)
    claims: list[claims.ClaimOut] = field(default_factory=list)


def build(db: Database, *, secondary: bool = False, tertiary: bool = False, count: int = 1,
          codes: tuple[str, ...] = ("99213",), submitted: bool = True,
          cipher: PhiCipher | None = None) -> World:
    practice_id = new_practice(db, "Loop practice")
    ctx = Ctx(db=db, cipher=cipher or PhiCipher([generate_key()]),
              actor=Actor(user_id="tester", practice_id=practice_id,
                          roles=frozenset({Role.ADMIN})))
    w = World(ctx)
    ids = w.ids
    ids["location"] = records.create(ctx, p.LOCATIONS, s.LocationIn(
        name="Loop clinic", address_line1="1 Main St", city="Springfield", state="IL",
        postal_code="627011234")).id
    ids["provider"] = records.create(ctx, p.PROVIDERS, s.ProviderIn(
        kind="individual", npi="1234567893", first_name="Ada", last_name="Lovelace",
        taxonomy="207Q00000X", tax_id="123456789")).id
    ids["payer"] = records.create(ctx, p.PAYERS, s.PayerIn(
        payer_code="SIMPPO", name="Simulated PPO", claim_filing_indicator="CI")).id
    ids["payer2"] = records.create(ctx, p.PAYERS, s.PayerIn(
        payer_code="SIMSUPP", name="Simulated supplement", claim_filing_indicator="CI")).id
    ids["patient"] = records.create(ctx, p.PATIENTS, s.PatientIn(
        first_name="Quenby", last_name="Zorovich", birth_date=date(1960, 5, 6), sex="F")).id
    ids["coverage"] = records.create(ctx, p.COVERAGES, s.CoverageIn(
        payer_id=ids["payer"], priority=1, member_id="M100",
        effective_from=date(2025, 1, 1)), parent_id=ids["patient"]).id
    if secondary:
        ids["coverage2"] = records.create(ctx, p.COVERAGES, s.CoverageIn(
            payer_id=ids["payer2"], priority=2, member_id="S100",
            effective_from=date(2025, 1, 1)), parent_id=ids["patient"]).id
    if tertiary:
        ids["payer3"] = records.create(ctx, p.PAYERS, s.PayerIn(
            payer_code="SIMTERT", name="Simulated state plan", claim_filing_indicator="MC")).id
        ids["coverage3"] = records.create(ctx, p.COVERAGES, s.CoverageIn(
            payer_id=ids["payer3"], priority=3, member_id="T100",
            effective_from=date(2025, 1, 1)), parent_id=ids["patient"]).id
    for n in range(count):
        enc = records.create(ctx, p.ENCOUNTERS, s.EncounterIn(
            patient_id=ids["patient"], date_of_service=DOS,
            rendering_provider_id=ids["provider"], billing_provider_id=ids["provider"],
            location_id=ids["location"])).id
        records.create(ctx, p.DIAGNOSES, s.DiagnosisIn(code="I10", sequence=1), parent_id=enc)
        for code in codes:
            charge = records.create(ctx, p.CHARGES, s.ChargeIn(code=code, fee=D("150.00")),
                                    parent_id=enc).id
            p.finalize_charge(ctx, enc, charge)
        claim = claims.create_claim(ctx, claims.ClaimIn(encounter_id=enc,
                                                        coverage_id=ids["coverage"]))
        steps = (ClaimState.READY, ClaimState.SUBMITTED) if submitted else (ClaimState.READY,)
        for state in steps:
            claim = claims.transition_claim(ctx, claim.id, claims.TransitionIn(to_state=state))
        w.claims.append(claim)
        ids[f"claim{n}"] = claim.id
    return w


def cli_world(home: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    """The world in an ``OPENRCM_HOME`` of its own (SQLite, a fresh PHI key), as the CLI
    commands find it through the environment."""
    monkeypatch.setenv("OPENRCM_HOME", str(home))
    monkeypatch.setenv("OPENRCM_DATABASE_URL", f"sqlite:///{home / 'cli.db'}")
    monkeypatch.setenv("OPENRCM_PHI_KEYS", generate_key())
    rt = build_runtime(Settings.from_env())
    create_schema(rt.db.engine)
    return build(rt.db, cipher=rt.cipher)


def payment(claim_id: str, code: str, charge: str, paid: str, *adjs: tuple[str, str, str],
            status: str = "1", pcn: str = "PCN1", day: date = DOS) -> ClaimPayment:
    cas = tuple(Adjustment(g, r, D(a)) for g, r, a in adjs)
    return ClaimPayment(claim_id, status, D(charge), D(paid), payer_control=pcn,
                        lines=(ServicePayment("HC", code, D(charge), D(paid),
                                              service_date=day, adjustments=cas),))


def era(*claims_: ClaimPayment, trace: str = "EFT1", payer: str = "SIMPPO",
        amount: str | None = None, control: int = 1) -> bytes:
    total = sum((c.paid for c in claims_), D(0))
    view = Remittance("0001", "I", D(amount) if amount else total, "C", "ACH", PAID_ON, trace,
                      Entity("PR", "PAYER", id_qualifier="XV", id=payer), Entity("PE", "CLINIC"),
                      claims=claims_)
    env = Envelope("PAYER", "CLINIC", control, control, PAID_ON)
    return write_remittance([view], env).encode()
