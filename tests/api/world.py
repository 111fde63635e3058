"""A small two-practice world for API and service tests: users per role, records in each.

Practice A has one user per role; practice B has its own admin and the same kinds of records,
so every endpoint can be probed across the tenant boundary.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from openrcm.config import Settings
from openrcm.security import passwords, tokens
from openrcm.security.phi import PhiCipher, generate_key
from openrcm.security.roles import Role
from openrcm.services import claims, ledger, records
from openrcm.services import practice as p
from openrcm.services import schemas as s
from openrcm.services.bootstrap import Runtime
from openrcm.services.context import Actor, Ctx
from openrcm.store.db import Database
from openrcm.store.models import ApiToken, Membership, Organization, Practice, User

PASSWORD = "correct horse battery staple"
DEMO_NAMES = ("Quenby", "Zorovich", "Ptolema", "Xanthippe")
"""Synthetic PHI used by the tests: none of it may ever appear in the database file or logs."""


@dataclass
class Tenant:
    practice_id: str
    ids: dict[str, str] = field(default_factory=dict)
    tokens: dict[Role, str] = field(default_factory=dict)
    users: dict[Role, str] = field(default_factory=dict)


TEST_KEY = generate_key()
"""The PHI key of test runtimes (rotation tests add a newer one in front)."""


def runtime(db: Database, home: Path) -> Runtime:
    """A test runtime on ``db``, keeping files (the clearinghouse folders) under ``home``."""
    return Runtime(db=db, cipher=PhiCipher([TEST_KEY]), settings=Settings(
        home=home, database_url=db.engine.url.render_as_string(hide_password=True),
        phi_keys=(TEST_KEY,)))


def admin_ctx(rt: Runtime, tenant: Tenant) -> Ctx:
    return Ctx(db=rt.db, cipher=rt.cipher,
               actor=Actor(user_id=tenant.users.get(Role.ADMIN, "seed"),
                           practice_id=tenant.practice_id, roles=frozenset({Role.ADMIN})))


def _seed(rt: Runtime, tenant: Tenant, tag: str, first: str, last: str) -> None:
    ctx = admin_ctx(rt, tenant)
    ids = tenant.ids
    ids["location"] = records.create(ctx, p.LOCATIONS, s.LocationIn(
        name=f"{tag} clinic", address_line1="1 Main St", city="Springfield",
        state="IL", postal_code="627011234")).id
    ids["provider"] = records.create(ctx, p.PROVIDERS, s.ProviderIn(
        kind="individual", npi="1234567893", first_name="Ada", last_name="Lovelace",
        taxonomy="207Q00000X", tax_id="123456789")).id
    ids["payer"] = records.create(ctx, p.PAYERS, s.PayerIn(
        payer_code="00431", name=f"{tag} Medicare", claim_filing_indicator="MB",
        timely_filing_days=365)).id
    ids["plan"] = records.create(ctx, p.PLANS, s.PlanIn(name="Part B"),
                                 parent_id=ids["payer"]).id
    ids["patient"] = records.create(ctx, p.PATIENTS, s.PatientIn(
        first_name=first, last_name=last, birth_date=date(1950, 3, 4), sex="F",
        phone="555-0100")).id
    ids["coverage"] = records.create(ctx, p.COVERAGES, s.CoverageIn(
        payer_id=ids["payer"], priority=1, member_id=f"1EG4TE5MK7{tag}",
        effective_from=date(2025, 1, 1)), parent_id=ids["patient"]).id
    ids["fee_schedule"] = records.create(ctx, p.FEE_SCHEDULES, s.FeeScheduleIn(
        name="Charge master", effective_from=date(2025, 1, 1))).id
    ids["fee_item"] = records.create(ctx, p.FEE_ITEMS, s.FeeItemIn(
        code="99213", amount=Decimal("120.00")), parent_id=ids["fee_schedule"]).id
    ids["encounter"] = records.create(ctx, p.ENCOUNTERS, s.EncounterIn(
        patient_id=ids["patient"], date_of_service=date(2026, 1, 5),
        rendering_provider_id=ids["provider"], billing_provider_id=ids["provider"])).id
    enc = ids["encounter"]
    ids["document"] = records.create(ctx, p.DOCUMENTS, s.DocumentIn(
        content=f"{first} {last} seen for hypertension follow-up."), parent_id=enc).id
    ids["diagnosis"] = records.create(ctx, p.DIAGNOSES, s.DiagnosisIn(code="I10", sequence=1),
                                      parent_id=enc).id
    ids["charge"] = records.create(ctx, p.CHARGES, s.ChargeIn(code="99213"),
                                   parent_id=enc).id
    ids["charge_open"] = records.create(ctx, p.CHARGES, s.ChargeIn(code="99213"),
                                        parent_id=enc).id
    p.finalize_charge(ctx, enc, ids["charge"])
    claim = claims.create_claim(ctx, claims.ClaimIn(encounter_id=enc,
                                                    coverage_id=ids["coverage"]))
    ids["claim"] = claim.id
    ids["claim_line"] = claim.lines[0].id
    ids["work_item"] = records.create(ctx, p.WORK_ITEMS, s.WorkItemIn(
        kind="follow_up", claim_id=claim.id, summary="call payer")).id
    ids["denial_item"] = records.create(ctx, p.WORK_ITEMS, s.WorkItemIn(
        kind="denial", claim_id=claim.id, summary="CO-50 medical necessity: send records")).id
    ids["payment_entry"] = ledger.post_payment(ctx, ids["patient"], ledger.PaymentIn(
        source="patient", amount=Decimal("20.00"), received_on=date(2026, 1, 5))).entry_id
    ids["remittance"] = records.create(ctx, p.REMITTANCES, s.RemittanceIn(
        payer_id=ids["payer"], trace_number=f"TRN{tag}", paid_on=date(2026, 1, 25),
        total_amount=Decimal("70.00"))).id


@functools.cache
def password_hash() -> str:
    """argon2id is slow on purpose: hash the test password once per process."""
    return passwords.hash_password(PASSWORD)


def add_user(rt: Runtime, email: str, roles: dict[str, Role]) -> tuple[str, str]:
    """A user with memberships and an API token (bypasses argon2 cost for speed)."""
    token, digest = tokens.new_token()
    with rt.db.system() as uow:
        user = User(email=email, password_hash=password_hash())
        uow.session.add(user)
        uow.session.flush()
        for practice_id, role in roles.items():
            uow.session.add(Membership(user_id=user.id, practice_id=practice_id,
                                       roles=role.value))
        uow.session.add(ApiToken(user_id=user.id, name="test", token_hash=digest))
        return user.id, token


def build_world(rt: Runtime) -> tuple[Tenant, Tenant]:
    """Practices A and B with users, tokens and one of every record."""
    with rt.db.system() as uow:
        org = Organization(name="Test billing co")
        uow.session.add(org)
        uow.session.flush()
        pa = Practice(organization_id=org.id, name="Practice A")
        pb = Practice(organization_id=org.id, name="Practice B")
        uow.session.add_all([pa, pb])
        uow.session.flush()
        a, b = Tenant(pa.id), Tenant(pb.id)
    for role in Role:
        a.users[role], a.tokens[role] = add_user(rt, f"{role.value}@a.test",
                                                 {a.practice_id: role})
    b.users[Role.ADMIN], b.tokens[Role.ADMIN] = add_user(rt, "admin@b.test",
                                                         {b.practice_id: Role.ADMIN})
    _seed(rt, a, "A", DEMO_NAMES[0], DEMO_NAMES[1])
    _seed(rt, b, "B", DEMO_NAMES[2], DEMO_NAMES[3])
    a.ids["member"], _ = add_user(rt, "removable@a.test", {a.practice_id: Role.CODER})
    b.ids["member"], _ = add_user(rt, "removable@b.test", {b.practice_id: Role.CODER})
    return a, b
