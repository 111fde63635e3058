"""A synthetic demo practice: what ``openrcm demo load`` and ``make run`` put in an empty database.

Everything here is invented: patient names are drawn from a fixed list with a seeded random
generator, NPIs are generated with a valid check digit, and payer ids are made up for the demo
(they do not route anywhere). Codes are real ICD-10-CM codes and CPT/HCPCS code numbers only,
without descriptors. Loading is idempotent: a database that already holds the demo practice is
left alone.

Demo users (all in "Demo Family Medicine"; the admin is also in "Demo Pediatrics"):

=====================  ===========  =========================
e-mail                 role         password
=====================  ===========  =========================
admin@demo.openrcm     admin        demo-admin-password
coder@demo.openrcm     coder        demo-coder-password
biller@demo.openrcm    biller       demo-biller-password
frontdesk@demo.openrcm front_desk   demo-front_desk-password
auditor@demo.openrcm   auditor      demo-auditor-password
=====================  ===========  =========================
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy import select

from openrcm.security.phi import PhiCipher
from openrcm.security.roles import Role
from openrcm.services import auth, claims, demo_facility, ledger, records
from openrcm.services import practice as p
from openrcm.services import schemas as s
from openrcm.services.claim_states import ClaimState
from openrcm.services.context import Actor, Ctx
from openrcm.store.db import Database
from openrcm.store.models import Organization, Practice
from openrcm.x12.edits.npi import npi_check_digit

PRACTICES = ("Demo Family Medicine", "Demo Pediatrics")
DOMAIN = "demo.openrcm"


def demo_password(role: Role) -> str:
    """The documented demo password of a role's demo user."""
    return f"demo-{role.value}-password"


def demo_email(role: Role) -> str:
    return f"{'frontdesk' if role is Role.FRONT_DESK else role.value}@{DOMAIN}"


FIRST = ("Avery", "Blake", "Carmen", "Dorian", "Elena", "Farid", "Greta", "Hugo", "Ines",
         "Jonah", "Kiara", "Lionel", "Marisol", "Nils", "Odette", "Pavel", "Quinn", "Rosalind",
         "Soren", "Talia", "Umberto", "Vesna", "Wendell", "Ximena", "Yusuf", "Zelda")
LAST = ("Abernathy", "Bellweather", "Castellanos", "Drummond", "Eskildsen", "Fairbanks",
        "Galloway", "Hollingsworth", "Ibarra", "Jankowski", "Kettering", "Lindqvist",
        "Montgomery", "Nakamura", "Okonkwo", "Pemberton", "Quarrington", "Rasmussen",
        "Sutherland", "Thackeray", "Underwood", "Vasquez", "Whitcombe", "Yarborough")
DIAGNOSES = ("I10", "E11.9", "E78.5", "J06.9", "M54.50", "Z00.00", "F41.1", "K21.9", "N39.0",
             "R51.9", "J45.909", "E66.9")
FEES = {"99203": "165.00", "99213": "120.00", "99214": "175.00", "36415": "15.00",
        "85025": "28.00", "80053": "45.00", "93000": "60.00", "90471": "30.00",
        "G0439": "185.00", "81002": "12.00"}
VISITS = (("99213", ()), ("99214", ("36415", "80053")), ("99203", ()), ("99213", ("93000",)),
          ("G0439", ("85025",)), ("99214", ("81002",)), ("99213", ("90471",)))
PAYERS = (
    ("DMCR1", "Demo Medicare Part B", "MB", 365, "simulator"),
    ("DMCD1", "Demo State Medicaid", "MC", 180, "simulator"),
    ("DBCB1", "Demo Blue Cross", "BL", 180, "simulator"),
    ("DAET1", "Demo Commercial Health", "CI", 90, "simulator"),
    ("DHMO1", "Demo Managed Care HMO", "HM", 120, "simulator"),
)


@dataclass
class DemoSummary:
    """What was loaded (or found)."""

    created: bool
    practices: dict[str, str] = field(default_factory=dict)
    patients: int = 0
    encounters: int = 0
    claims: int = 0
    users: dict[str, str] = field(default_factory=dict)


def make_npi(rng: random.Random, first_digit: str = "1") -> str:
    """A random NPI with a valid check digit (not assigned to anyone)."""
    body = first_digit + "".join(str(rng.randrange(10)) for _ in range(8))
    return body + npi_check_digit(body)


def _existing(db: Database) -> dict[str, str]:
    with db.uow(None) as uow:
        rows = uow.session.execute(select(Practice.name, Practice.id)
                                   .where(Practice.name.in_(PRACTICES))).all()
        return {name: pid for name, pid in rows}


def load(db: Database, cipher: PhiCipher, *, patients: int = 50, seed: int = 20260101,
         today: date | None = None) -> DemoSummary:
    """Load the demo practices, users and data unless they are already there."""
    found = _existing(db)
    if found:
        return DemoSummary(created=False, practices=found,
                           users={demo_email(r): demo_password(r) for r in Role})
    rng = random.Random(seed)
    today = today or date(2026, 3, 1)
    with db.system() as uow:
        org = Organization(name="Demo Billing Group")
        uow.session.add(org)
        uow.session.flush()
        rows = [Practice(organization_id=org.id, name=name, npi=make_npi(rng, "2"),
                         tax_id=f"{rng.randrange(10**8, 10**9)}") for name in PRACTICES]
        uow.session.add_all(rows)
        uow.session.flush()
        ids = {r.name: r.id for r in rows}
    main, peds = ids[PRACTICES[0]], ids[PRACTICES[1]]
    users: dict[str, str] = {}
    admin_id = ""
    for role in Role:
        memberships = {main: [role]} | ({peds: [role]} if role is Role.ADMIN else {})
        uid = auth.create_user(db, demo_email(role), demo_password(role), memberships)
        users[demo_email(role)] = demo_password(role)
        if role is Role.ADMIN:
            admin_id = uid
    summary = DemoSummary(created=True, practices=ids, users=users)
    for name, count in ((PRACTICES[0], patients), (PRACTICES[1], max(5, patients // 5))):
        ctx = Ctx(db=db, cipher=cipher, actor=Actor(user_id=admin_id, practice_id=ids[name],
                                                     roles=frozenset({Role.ADMIN}),
                                                     reason="demo load"))
        _practice(ctx, rng, count, today, summary)
        if name == PRACTICES[0]:  # its own NPI generator: the data above stays the same
            people, stays, billed = demo_facility.load(
                ctx, today, partial(make_npi, random.Random(4111)))
            summary.patients += people
            summary.encounters += stays
            summary.claims += billed
    return summary


def _practice(ctx: Ctx, rng: random.Random, count: int, today: date,
              summary: DemoSummary) -> None:
    loc = records.create(ctx, p.LOCATIONS, s.LocationIn(
        name="Main Street office", address_line1="100 Main Street", city="Springfield",
        state="IL", postal_code="627011234", place_of_service="11", npi=make_npi(rng, "2")))
    providers = [records.create(ctx, p.PROVIDERS, s.ProviderIn(
        kind="individual", npi=make_npi(rng), first_name=first, last_name=last,
        taxonomy=taxonomy, tax_id=f"{rng.randrange(10**8, 10**9)}"))
        for first, last, taxonomy in (("Miriam", "Okafor", "207Q00000X"),
                                      ("Theo", "Brandt", "207R00000X"),
                                      ("Priya", "Raman", "363LF0000X"))]
    referring = records.create(ctx, p.PROVIDERS, s.ProviderIn(
        kind="individual", npi=make_npi(rng), first_name="Samuel", last_name="Achebe",
        taxonomy="207RC0000X", referring_only=True))
    payers = [records.create(ctx, p.PAYERS, s.PayerIn(
        payer_code=code, name=name, claim_filing_indicator=cfi, timely_filing_days=days,
        clearinghouse_route=route, address_line1="PO Box 1000", city="Springfield",
        state="IL", postal_code="62702")) for code, name, cfi, days, route in PAYERS]
    master = records.create(ctx, p.FEE_SCHEDULES, s.FeeScheduleIn(
        name="Charge master", effective_from=date(2025, 1, 1)))
    for code, amount in FEES.items():
        records.create(ctx, p.FEE_ITEMS, s.FeeItemIn(code=code, amount=Decimal(amount)),
                       parent_id=master.id)
    contracted = records.create(ctx, p.FEE_SCHEDULES, s.FeeScheduleIn(
        name="Demo Medicare allowed amounts", payer_id=payers[0].id,
        effective_from=date(2025, 1, 1)))
    for code, amount in FEES.items():
        allowed = (Decimal(amount) * Decimal("0.62")).quantize(Decimal("0.01"))
        records.create(ctx, p.FEE_ITEMS, s.FeeItemIn(code=code, amount=allowed),
                       parent_id=contracted.id)
    for n in range(count):
        _patient(ctx, rng, n, today, loc.id, providers, referring.id,
                 payers, summary)


def _patient(ctx: Ctx, rng: random.Random, n: int, today: date, location_id: str,
             providers: list[Any], referring_id: str, payers: list[Any],
             summary: DemoSummary) -> None:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    born = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 70))
    patient = records.create(ctx, p.PATIENTS, s.PatientIn(
        first_name=first, last_name=last, birth_date=born, sex=rng.choice("MF"),
        address=s.Address(line1=f"{rng.randrange(1, 999)} Elm Street", city="Springfield",
                          state="IL", postal_code="62704"),
        phone=f"217-555-{rng.randrange(10000):04d}"))
    pid: str = patient.id
    summary.patients += 1
    primary = payers[0] if born < date(1960, 1, 1) else rng.choice(payers[1:])
    cov = records.create(ctx, p.COVERAGES, s.CoverageIn(
        payer_id=primary.id, priority=1,
        member_id=f"{rng.randrange(10**9, 10**10)}A", group_number=f"G{rng.randrange(1000)}",
        effective_from=date(2025, 1, 1)), parent_id=pid)
    if n % 4 == 0:  # some patients have a secondary
        secondary = payers[2] if primary is not payers[2] else payers[3]
        records.create(ctx, p.COVERAGES, s.CoverageIn(
            payer_id=secondary.id, priority=2,
            relationship_code="01",
            subscriber=s.Person(first_name=rng.choice(FIRST), last_name=last),
            member_id=f"X{rng.randrange(10**8, 10**9)}", effective_from=date(2025, 6, 1)),
            parent_id=pid)
    for visit in range(1 + n % 2):
        provider = providers[rng.randrange(len(providers))]
        dos = today - timedelta(days=rng.randrange(3, 120))
        enc = records.create(ctx, p.ENCOUNTERS, s.EncounterIn(
            patient_id=pid, location_id=location_id, date_of_service=dos,
            rendering_provider_id=provider.id,
            billing_provider_id=provider.id,
            referring_provider_id=referring_id if visit else None))
        eid: str = enc.id
        summary.encounters += 1
        codes = rng.sample(DIAGNOSES, k=rng.randrange(1, 4))
        for seq, code in enumerate(codes, start=1):
            records.create(ctx, p.DIAGNOSES, s.DiagnosisIn(code=code, sequence=seq),
                           parent_id=eid)
        records.create(ctx, p.DOCUMENTS, s.DocumentIn(
            content=f"Synthetic visit note for {first} {last}: follow-up, stable, plan "
                    "unchanged."), parent_id=eid)
        em, extras = VISITS[rng.randrange(len(VISITS))]
        for code in (em, *extras):
            charge = records.create(ctx, p.CHARGES, s.ChargeIn(
                code=code, diagnosis_pointers=list(range(1, len(codes) + 1))[:4]),
                parent_id=eid)
            p.finalize_charge(ctx, eid, charge.id)
        if rng.random() < 0.7:
            claim = claims.create_claim(ctx, claims.ClaimIn(
                encounter_id=eid, coverage_id=cov.id))
            summary.claims += 1
            _progress(ctx, rng, claim, pid, dos)


def _progress(ctx: Ctx, rng: random.Random, claim: claims.ClaimOut, patient_id: str,
              dos: date) -> None:
    """Move some demo claims along so every screen has something to show."""
    steps = [ClaimState.READY, ClaimState.SUBMITTED, ClaimState.ACCEPTED_999,
             ClaimState.ACCEPTED_277CA]
    depth = rng.randrange(0, len(steps) + 2)
    for state in steps[:depth]:
        claims.transition_claim(ctx, claim.id, claims.TransitionIn(to_state=state))
    if depth > len(steps):
        line = claim.lines[0]
        paid = (line.charge_amount * Decimal("0.62")).quantize(Decimal("0.01"))
        claims.transition_claim(ctx, claim.id, claims.TransitionIn(
            to_state=ClaimState.PARTIALLY_PAID if len(claim.lines) > 1
            else ClaimState.ADJUDICATED_PAID,
            payer_claim_control_number=f"{rng.randrange(10**12, 10**13)}"))
        day = dos + timedelta(days=21)
        ledger.post_payment(ctx, patient_id, ledger.PaymentIn(
            source="insurance", claim_line_id=line.id, amount=paid, received_on=day,
            method="eft", reference=f"EFT{rng.randrange(10**6)}"))
        ledger.post_adjustment(ctx, patient_id, ledger.AdjustmentIn(
            kind="contractual", claim_line_id=line.id, amount=line.charge_amount - paid,
            effective_on=day, reason_code="CO-45"))
