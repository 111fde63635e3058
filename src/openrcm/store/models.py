"""The practice-data schema: SQLAlchemy 2 typed tables for SQLite and PostgreSQL.

Every practice-owned row carries ``practice_id`` (the tenant) so that the service layer can
filter on it and PostgreSQL row-level security can refuse it as a second wall. Ids are UUIDs,
time-ordered with 74 random bits (``types.new_id``). Columns whose name ends in ``_enc`` hold
PHI ciphertext from ``openrcm.security.phi`` (never plaintext); ``*_index`` columns hold blind
indexes for exact-match search. Amounts are exact (``Cents``). Journal entries, postings and
audit events are append-only (triggers in ``openrcm.store.ddl``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from openrcm.store.types import Cents, UTCDateTime, new_id, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base with constraint names that are identical on both engines."""

    metadata = MetaData(naming_convention=NAMING)


def _id() -> Mapped[str]:
    return mapped_column(String(36), primary_key=True, default=new_id)


def _practice(*, index: bool = True) -> Mapped[str]:
    """The tenant column; ``index=False`` where another index already leads with it or every
    read goes through a narrower key (an index a bulk write must maintain for nothing)."""
    return mapped_column(String(36), ForeignKey("practices.id"), index=index)


def _created() -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), default=utcnow)


# --- organizations, practices, locations -------------------------------------------------


class Organization(Base):
    """A billing company or practice group: the owner of one or more practices."""

    __tablename__ = "organizations"
    id: Mapped[str] = _id()
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = _created()


class Practice(Base):
    """The tenant: every other practice-data row belongs to exactly one practice."""

    __tablename__ = "practices"
    id: Mapped[str] = _id()
    organization_id: Mapped[str] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    npi: Mapped[str | None] = mapped_column(String(10))
    tax_id: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = _created()


class Location(Base):
    """A service location (facility address) of a practice."""

    __tablename__ = "locations"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    name: Mapped[str] = mapped_column(String(200))
    address_line1: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[str] = mapped_column(String(2), default="")
    postal_code: Mapped[str] = mapped_column(String(10), default="")
    place_of_service: Mapped[str] = mapped_column(String(2), default="11")
    npi: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = _created()


class Provider(Base):
    """A rendering, billing or referring provider (individual or organisation NPI)."""

    __tablename__ = "providers"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    kind: Mapped[str] = mapped_column(String(12))  # individual | organization
    npi: Mapped[str] = mapped_column(String(10))
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    organization_name: Mapped[str] = mapped_column(String(200), default="")
    taxonomy: Mapped[str] = mapped_column(String(10), default="")
    tax_id: Mapped[str] = mapped_column(String(10), default="")
    referring_only: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = _created()
    __table_args__ = (UniqueConstraint("practice_id", "npi", "referring_only"),)


# --- payers and plans --------------------------------------------------------------------


class Payer(Base):
    """An insurer as the practice bills it: electronic payer id, filing rules, route."""

    __tablename__ = "payers"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    payer_code: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    address_line1: Mapped[str] = mapped_column(String(200), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[str] = mapped_column(String(2), default="")
    postal_code: Mapped[str] = mapped_column(String(10), default="")
    claim_filing_indicator: Mapped[str] = mapped_column(String(2))
    timely_filing_days: Mapped[int] = mapped_column(Integer, default=365)
    clearinghouse_route: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = _created()


class Plan(Base):
    """A plan (product) of a payer, e.g. a Medicare Advantage HMO."""

    __tablename__ = "plans"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    payer_id: Mapped[str] = mapped_column(ForeignKey("payers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    plan_type: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = _created()


# --- patients and coverages (PHI encrypted) ----------------------------------------------


class Patient(Base):
    """A patient; every identifying field is ciphertext, searchable by blind index."""

    __tablename__ = "patients"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    account_number: Mapped[str] = mapped_column(String(20))
    first_name_enc: Mapped[str] = mapped_column(Text)
    last_name_enc: Mapped[str] = mapped_column(Text)
    birth_date_enc: Mapped[str] = mapped_column(Text)
    sex: Mapped[str] = mapped_column(String(1), default="U")
    address_enc: Mapped[str | None] = mapped_column(Text)
    phone_enc: Mapped[str | None] = mapped_column(Text)
    email_enc: Mapped[str | None] = mapped_column(Text)
    guarantor_enc: Mapped[str | None] = mapped_column(Text)
    last_name_index: Mapped[str] = mapped_column(String(64), index=True)
    name_dob_index: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = _created()
    __table_args__ = (UniqueConstraint("practice_id", "account_number"),)


class Coverage(Base):
    """A patient's insurance at one priority (1 primary, 2 secondary, 3 tertiary)."""

    __tablename__ = "coverages"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"), index=True)
    payer_id: Mapped[str] = mapped_column(ForeignKey("payers.id"), index=True)
    plan_id: Mapped[str | None] = mapped_column(ForeignKey("plans.id"))
    priority: Mapped[int] = mapped_column(Integer)
    relationship_code: Mapped[str] = mapped_column(String(2), default="18")
    subscriber_enc: Mapped[str | None] = mapped_column(Text)
    member_id_enc: Mapped[str] = mapped_column(Text)
    member_id_index: Mapped[str] = mapped_column(String(64), index=True)
    group_number: Mapped[str] = mapped_column(String(50), default="")
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = _created()


# --- encounters, documents, diagnoses, charges -------------------------------------------


class Encounter(Base):
    """One visit or stay: date of service, place, providers and setting."""

    __tablename__ = "encounters"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"), index=True)
    location_id: Mapped[str | None] = mapped_column(ForeignKey("locations.id"))
    date_of_service: Mapped[date] = mapped_column(Date)
    place_of_service: Mapped[str] = mapped_column(String(2), default="11")
    setting: Mapped[str] = mapped_column(String(12), default="outpatient")
    rendering_provider_id: Mapped[str] = mapped_column(ForeignKey("providers.id"))
    billing_provider_id: Mapped[str] = mapped_column(ForeignKey("providers.id"))
    referring_provider_id: Mapped[str | None] = mapped_column(ForeignKey("providers.id"))
    status: Mapped[str] = mapped_column(String(12), default="open")
    created_at: Mapped[datetime] = _created()
    # Facility (institutional, 837I / UB-04) data: a type of bill makes the encounter a
    # facility stay or visit billed by the facility; the rest are UB-04 form locators 6,
    # 12-17, 18-28, 69, 76 and 77. Empty on professional encounters.
    type_of_bill: Mapped[str | None] = mapped_column(String(4))
    admission_date: Mapped[date | None] = mapped_column(Date)
    admission_hour: Mapped[str] = mapped_column(String(4), default="", server_default="")
    admission_type: Mapped[str] = mapped_column(String(1), default="", server_default="")
    admission_source: Mapped[str] = mapped_column(String(1), default="", server_default="")
    discharge_date: Mapped[date | None] = mapped_column(Date)
    discharge_hour: Mapped[str] = mapped_column(String(4), default="", server_default="")
    patient_status: Mapped[str] = mapped_column(String(2), default="", server_default="")
    attending_provider_id: Mapped[str | None] = mapped_column(ForeignKey("providers.id"))
    operating_provider_id: Mapped[str | None] = mapped_column(ForeignKey("providers.id"))
    admitting_diagnosis: Mapped[str] = mapped_column(String(8), default="", server_default="")
    condition_codes: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # FL31-34, 35-36, 39-41, comma-joined: ``code:date``, ``code:from:through`` and
    # ``code:amount`` (ISO dates, the amount as decimal text; codes are two letters or digits).
    occurrence_codes: Mapped[str] = mapped_column(Text, default="", server_default="")
    occurrence_spans: Mapped[str] = mapped_column(Text, default="", server_default="")
    value_codes: Mapped[str] = mapped_column(Text, default="", server_default="")


class EncounterDocument(Base):
    """A clinical document of an encounter (e.g. the visit note); the text is encrypted."""

    __tablename__ = "encounter_documents"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    encounter_id: Mapped[str] = mapped_column(ForeignKey("encounters.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40), default="clinical_note")
    content_enc: Mapped[str] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = _created()


class Diagnosis(Base):
    """An ICD-10-CM code on an encounter: ``sequence`` is its position (a professional claim's
    diagnosis pointer, 1-12; up to 25 on facility claims), ``poa`` its present-on-admission
    indicator."""

    __tablename__ = "diagnoses"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    encounter_id: Mapped[str] = mapped_column(ForeignKey("encounters.id"), index=True)
    code: Mapped[str] = mapped_column(String(8))
    sequence: Mapped[int] = mapped_column(Integer)
    poa: Mapped[str] = mapped_column(String(1), default="", server_default="")  # inpatient
    created_at: Mapped[datetime] = _created()
    __table_args__ = (UniqueConstraint("encounter_id", "sequence"),)


class Charge(Base):
    """A billable service line: CPT/HCPCS code, modifiers, units, fee and pointers."""

    __tablename__ = "charges"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    encounter_id: Mapped[str] = mapped_column(ForeignKey("encounters.id"), index=True)
    code: Mapped[str] = mapped_column(String(5))
    modifiers: Mapped[str] = mapped_column(String(11), default="")  # up to 4, comma separated
    units: Mapped[int] = mapped_column(Integer, default=1)
    fee: Mapped[Decimal] = mapped_column(Cents())
    diagnosis_pointers: Mapped[str] = mapped_column(String(12), default="1")
    revenue_code: Mapped[str] = mapped_column(String(4), default="", server_default="")
    # A facility charge's own day within the stay (FL45); None: the encounter's date of service.
    service_date: Mapped[date | None] = mapped_column(Date)
    entered_by: Mapped[str] = mapped_column(String(36))
    finalized_by: Mapped[str | None] = mapped_column(String(36))
    finalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = _created()


# --- fee schedules -----------------------------------------------------------------------


class FeeSchedule(Base):
    """The charge master (no payer) or a payer's contracted allowed amounts, dated."""

    __tablename__ = "fee_schedules"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    payer_id: Mapped[str | None] = mapped_column(ForeignKey("payers.id"))
    name: Mapped[str] = mapped_column(String(200))
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = _created()


class FeeScheduleItem(Base):
    """One code (and optional modifier) with its amount in a fee schedule."""

    __tablename__ = "fee_schedule_items"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    fee_schedule_id: Mapped[str] = mapped_column(ForeignKey("fee_schedules.id"), index=True)
    code: Mapped[str] = mapped_column(String(5))
    modifier: Mapped[str] = mapped_column(String(2), default="")
    amount: Mapped[Decimal] = mapped_column(Cents())
    __table_args__ = (UniqueConstraint("fee_schedule_id", "code", "modifier"),)


# --- claims ------------------------------------------------------------------------------


class Claim(Base):
    """A claim to one payer; ``state`` follows the transition table in services."""

    __tablename__ = "claims"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    encounter_id: Mapped[str] = mapped_column(ForeignKey("encounters.id"), index=True)
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"), index=True)
    coverage_id: Mapped[str] = mapped_column(ForeignKey("coverages.id"))
    payer_id: Mapped[str] = mapped_column(ForeignKey("payers.id"), index=True)
    frequency_code: Mapped[str] = mapped_column(String(1), default="1")
    payer_claim_control_number: Mapped[str | None] = mapped_column(String(50))
    replaces_claim_id: Mapped[str | None] = mapped_column(ForeignKey("claims.id"))
    state: Mapped[str] = mapped_column(String(24), default="draft", index=True)
    total_charge: Mapped[Decimal] = mapped_column(Cents())
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = _created()


class ClaimLine(Base):
    """A service line of a claim, copied from a charge when the claim was built."""

    __tablename__ = "claim_lines"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    claim_id: Mapped[str] = mapped_column(ForeignKey("claims.id"), index=True)
    charge_id: Mapped[str] = mapped_column(ForeignKey("charges.id"))
    line_number: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(5))
    modifiers: Mapped[str] = mapped_column(String(11), default="")
    units: Mapped[int] = mapped_column(Integer, default=1)
    charge_amount: Mapped[Decimal] = mapped_column(Cents())
    revenue_code: Mapped[str] = mapped_column(String(4), default="", server_default="")
    __table_args__ = (UniqueConstraint("claim_id", "line_number"),)


class ClaimEvent(Base):
    """History of a claim's state changes: from, to, when, who and why."""

    __tablename__ = "claim_events"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    claim_id: Mapped[str] = mapped_column(ForeignKey("claims.id"), index=True)
    from_state: Mapped[str] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(36))
    reason: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = _created()


# --- money: remittances, payments, adjustments, statements, ledger ----------------------


class Remittance(Base):
    """An 835 remittance (or paper EOB) received from a payer."""

    __tablename__ = "remittances"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    payer_id: Mapped[str] = mapped_column(ForeignKey("payers.id"), index=True)
    trace_number: Mapped[str] = mapped_column(String(50))
    paid_on: Mapped[date] = mapped_column(Date)
    total_amount: Mapped[Decimal] = mapped_column(Cents())
    created_at: Mapped[datetime] = _created()


class RemittanceClaim(Base):
    """One claim payment (CLP) of a posted remittance and the claim it paid.

    ``claim_id`` is the claim row of the remittance's payer whose state the payment moved
    (for a secondary claim, the secondary claim itself); it is None when the payment went to
    the exception queue (``outcome`` = ``exception``, ``exception`` = the reason code).
    ``position`` is the CLP's 1-based place in its remittance.
    """

    __tablename__ = "remittance_claims"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice(index=False)
    remittance_id: Mapped[str] = mapped_column(ForeignKey("remittances.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    claim_id: Mapped[str | None] = mapped_column(ForeignKey("claims.id"), index=True)
    patient_control: Mapped[str] = mapped_column(String(38))
    payer_control: Mapped[str] = mapped_column(String(50), default="")
    status: Mapped[str] = mapped_column(String(2))
    charge: Mapped[Decimal] = mapped_column(Cents())
    paid: Mapped[Decimal] = mapped_column(Cents())
    patient_responsibility: Mapped[Decimal | None] = mapped_column(Cents())
    outcome: Mapped[str] = mapped_column(String(12))  # posted | reversal | exception
    exception: Mapped[str] = mapped_column(String(40), default="")


class RemittanceLine(Base):
    """One service line (SVC) of a remittance claim payment and the billed line it paid.

    ``claim_line_id`` is the billed line the payment was matched to (the ledger's line: a
    secondary claim is billed under its primary's line ids), None when not matched.
    """

    __tablename__ = "remittance_lines"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice(index=False)
    remittance_claim_id: Mapped[str] = mapped_column(ForeignKey("remittance_claims.id"),
                                                     index=True)
    position: Mapped[int] = mapped_column(Integer)
    claim_line_id: Mapped[str | None] = mapped_column(ForeignKey("claim_lines.id"), index=True)
    procedure: Mapped[str] = mapped_column(String(48))
    charge: Mapped[Decimal] = mapped_column(Cents())
    paid: Mapped[Decimal] = mapped_column(Cents())


class Payment(Base):
    """Money received (insurance or patient); its journal entry moves the balances."""

    __tablename__ = "payments"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    source: Mapped[str] = mapped_column(String(12))  # insurance | patient
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"), index=True)
    payer_id: Mapped[str | None] = mapped_column(ForeignKey("payers.id"))
    claim_line_id: Mapped[str | None] = mapped_column(ForeignKey("claim_lines.id"))
    remittance_id: Mapped[str | None] = mapped_column(ForeignKey("remittances.id"))
    amount: Mapped[Decimal] = mapped_column(Cents())
    received_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(12), default="check")
    reference: Mapped[str] = mapped_column(String(50), default="")
    journal_entry_id: Mapped[str] = mapped_column(ForeignKey("journal_entries.id"))
    created_by: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = _created()


class Adjustment(Base):
    """A contractual adjustment or write-off; its journal entry moves the balances."""

    __tablename__ = "adjustments"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    kind: Mapped[str] = mapped_column(String(24))
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"), index=True)
    payer_id: Mapped[str | None] = mapped_column(ForeignKey("payers.id"))
    claim_line_id: Mapped[str | None] = mapped_column(ForeignKey("claim_lines.id"))
    reason_code: Mapped[str] = mapped_column(String(10), default="")
    amount: Mapped[Decimal] = mapped_column(Cents())
    effective_on: Mapped[date] = mapped_column(Date)
    journal_entry_id: Mapped[str] = mapped_column(ForeignKey("journal_entries.id"))
    created_by: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = _created()


class Statement(Base):
    """A patient statement: the balance due as of a date."""

    __tablename__ = "statements"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    patient_id: Mapped[str] = mapped_column(ForeignKey("patients.id"), index=True)
    statement_date: Mapped[date] = mapped_column(Date)
    balance: Mapped[Decimal] = mapped_column(Cents())
    status: Mapped[str] = mapped_column(String(12), default="draft")
    created_at: Mapped[datetime] = _created()


class JournalEntryRow(Base):
    """One immutable journal entry (append-only); ``id`` is the ledger's entry_id."""

    __tablename__ = "journal_entries"
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    id: Mapped[str] = mapped_column(String(64), unique=True)
    practice_id: Mapped[str] = _practice()
    kind: Mapped[str] = mapped_column(String(32))
    effective_on: Mapped[date] = mapped_column(Date)
    memo: Mapped[str] = mapped_column(String(200), default="")
    reverses: Mapped[str | None] = mapped_column(String(64))
    refs: Mapped[str] = mapped_column(Text, default="{}")
    created_by: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = _created()


class PostingRow(Base):
    """One leg of a journal entry; debit positive, credit negative (append-only)."""

    __tablename__ = "postings"
    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    practice_id: Mapped[str] = _practice(index=False)
    entry_id: Mapped[str] = mapped_column(ForeignKey("journal_entries.id"), index=True)
    account: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Cents())
    # Dimensions copied from the account key so balances are indexed SUMs, not LIKE scans.
    account_kind: Mapped[str] = mapped_column(String(20))
    patient_id: Mapped[str | None] = mapped_column(String(36))
    claim_id: Mapped[str | None] = mapped_column(String(36))
    payer_id: Mapped[str | None] = mapped_column(String(36))
    # No index on ``account``: balances are read by the dimension columns (migration 0006).
    __table_args__ = (
        Index("ix_postings_practice_patient", "practice_id", "patient_id"),
        Index("ix_postings_practice_claim", "practice_id", "claim_id"),
    )


class IdempotencyKey(Base):
    """The first response to a money-moving POST, replayed when the same key comes again."""

    __tablename__ = "idempotency_keys"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    key: Mapped[str] = mapped_column(String(100))
    user_id: Mapped[str] = mapped_column(String(36))
    request_hash: Mapped[str] = mapped_column(String(64))
    response: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = _created()
    __table_args__ = (UniqueConstraint("practice_id", "key"),)


# --- work --------------------------------------------------------------------------------


class WorkItem(Base):
    """Something a person must do (a denial, a rejection, a follow-up) by a due date."""

    __tablename__ = "work_items"
    id: Mapped[str] = _id()
    practice_id: Mapped[str] = _practice()
    kind: Mapped[str] = mapped_column(String(20))
    claim_id: Mapped[str | None] = mapped_column(ForeignKey("claims.id"))
    owner_user_id: Mapped[str | None] = mapped_column(String(36))
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(12), default="open")
    summary: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = _created()


# --- identity, sessions, audit -----------------------------------------------------------


class User(Base):
    """A person who signs in; the password is an argon2id hash, TOTP secret encrypted."""

    __tablename__ = "users"
    id: Mapped[str] = _id()
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    totp_secret_enc: Mapped[str | None] = mapped_column(Text)
    totp_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    totp_last_step: Mapped[int] = mapped_column(BigInteger, default=0)  # no code used twice
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = _created()


class Membership(Base):
    """A user's roles in one practice (comma-separated role names)."""

    __tablename__ = "memberships"
    id: Mapped[str] = _id()
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    practice_id: Mapped[str] = _practice()
    roles: Mapped[str] = mapped_column(String(200))
    __table_args__ = (UniqueConstraint("user_id", "practice_id"),)


class AuthSession(Base):
    """A web session or API token: only the SHA-256 of the secret is stored."""

    __tablename__ = "sessions"
    id: Mapped[str] = _id()
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(8))  # session | token
    mfa_passed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = _created()
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ApiToken(Base):
    """A named long-lived API token of a user (hash only)."""

    __tablename__ = "api_tokens"
    id: Mapped[str] = _id()
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = _created()
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class LoginFailure(Base):
    """A failed sign-in, counted by the lockout policy."""

    __tablename__ = "login_failures"
    id: Mapped[str] = _id()
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    at: Mapped[datetime] = _created()
    ip: Mapped[str] = mapped_column(String(64), default="")


class AuditEventRow(Base):
    """One hash-chained audit record (append-only): who did what, when, from where, why."""

    __tablename__ = "audit_events"
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"),
                                     primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(64))
    practice_id: Mapped[str | None] = mapped_column(String(36), index=True)
    action: Mapped[str] = mapped_column(String(64))
    resource: Mapped[str] = mapped_column(String(120))
    ip: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str] = mapped_column(String(200), default="")
    phi: Mapped[bool] = mapped_column(Boolean, default=False)
    detail: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


APPEND_ONLY_TABLES = ("journal_entries", "postings", "audit_events")
"""Tables that refuse UPDATE and DELETE on both engines."""

TENANT_TABLES = tuple(
    sorted(t.name for t in Base.metadata.sorted_tables if "practice_id" in t.c and
           t.name != "audit_events")
)
"""Tables guarded by PostgreSQL row-level security on ``openrcm.practice_id``.

``audit_events`` is left out: login and system events have no practice, and the chain must be
verifiable as a whole; the service layer filters audit reads by practice.
"""
