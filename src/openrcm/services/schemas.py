"""Commands and views of practice data: the plain values use cases take and return.

The API uses these as request and response bodies, so each field's limits here are also the
OpenAPI schema's (bounded lengths and list sizes everywhere). Validators name the field at fault
and never echo the value (it may be PHI).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from openrcm.security.roles import Role
from openrcm.services import identifiers as ids

T = TypeVar("T")

Name = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f]+$")]
Text200 = Annotated[str, Field(max_length=200, pattern=r"^[^\x00-\x1f]*$")]
Id = Annotated[str, Field(min_length=1, max_length=36)]
Amount = Annotated[Decimal, Field(ge=0, le=Decimal("9999999.99"), max_digits=9,
                                  decimal_places=2)]
State = Annotated[str, Field(pattern=r"^([A-Z]{2})?$")]
Postal = Annotated[str, Field(pattern=r"^(\d{5}(\d{4})?)?$")]
SafeDate = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2099, 12, 31))]


def _npi(value: str) -> str:
    if not ids.is_valid_npi(value):
        raise ValueError("not a valid NPI (10 digits with the Luhn check digit)")
    return value


def _procedure(value: str) -> str:
    value = value.strip().upper()
    if not ids.PROCEDURE.match(value):
        raise ValueError("not a CPT/HCPCS code (5 characters)")
    return value


def _icd(value: str) -> str:
    if not ids.ICD10CM.match(value.strip().upper()):
        raise ValueError("not an ICD-10-CM code")
    return ids.normalize_icd10(value)


Npi = Annotated[str, Field(min_length=10, max_length=10), AfterValidator(_npi)]
ProcedureCode = Annotated[str, Field(min_length=5, max_length=5), AfterValidator(_procedure)]
Icd10 = Annotated[str, Field(min_length=3, max_length=8), AfterValidator(_icd)]
Modifier = Annotated[str, Field(pattern=r"^[0-9A-Z]{2}$")]


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class Model(BaseModel):
    """Base of every command and view: unknown fields refused, text trimmed, no NUL anywhere
    (PostgreSQL cannot store it and no field has a use for it)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        if _has_nul(data):
            raise ValueError("text must not contain NUL characters")
        return data


class Page(BaseModel, Generic[T]):
    """One page of a list: the items and the cursor for the next page (None at the end)."""

    items: list[T]
    next_cursor: str | None = None


# --- practice set-up ---------------------------------------------------------------------


class LocationIn(Model):
    name: Name
    address_line1: Text200 = ""
    city: Annotated[str, Field(max_length=100)] = ""
    state: State = ""
    postal_code: Postal = ""
    place_of_service: Annotated[str, Field(pattern=r"^\d{2}$")] = "11"
    npi: Npi | None = None


class LocationOut(LocationIn):
    id: str


class ProviderIn(Model):
    kind: Literal["individual", "organization"]
    npi: Npi
    first_name: Annotated[str, Field(max_length=100)] = ""
    last_name: Annotated[str, Field(max_length=100)] = ""
    organization_name: Annotated[str, Field(max_length=200)] = ""
    taxonomy: Annotated[str, Field(pattern=r"^(\d{3}[0-9A-Z]{6}X)?$")] = ""
    tax_id: Annotated[str, Field(pattern=r"^(\d{9})?$")] = ""
    referring_only: bool = False

    @model_validator(mode="after")
    def _named(self) -> ProviderIn:
        if self.kind == "individual" and not self.last_name:
            raise ValueError("an individual provider needs last_name")
        if self.kind == "organization" and not self.organization_name:
            raise ValueError("an organization provider needs organization_name")
        return self


class ProviderOut(ProviderIn):
    id: str


FILING_CODES = ("09", "11", "12", "13", "14", "15", "16", "17", "AM", "BL", "CH", "CI", "DS",
                "FI", "HM", "LM", "MA", "MB", "MC", "OF", "TV", "VA", "WC", "ZZ")


class PayerIn(Model):
    payer_code: Annotated[str, Field(min_length=2, max_length=80, pattern=r"^[0-9A-Za-z]+$")]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    address_line1: Text200 = ""
    city: Annotated[str, Field(max_length=100)] = ""
    state: State = ""
    postal_code: Postal = ""
    claim_filing_indicator: Literal[FILING_CODES]  # type: ignore[valid-type]
    timely_filing_days: Annotated[int, Field(ge=1, le=1095)] = 365
    clearinghouse_route: Annotated[str, Field(max_length=80)] = ""


class PayerOut(PayerIn):
    id: str


class PlanIn(Model):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    plan_type: Annotated[str, Field(max_length=20)] = ""


class PlanOut(PlanIn):
    id: str
    payer_id: str


# --- patients and coverage (PHI) ---------------------------------------------------------


class Address(Model):
    line1: Text200
    line2: Text200 = ""
    city: Annotated[str, Field(min_length=1, max_length=100)]
    state: Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
    postal_code: Annotated[str, Field(pattern=r"^\d{5}(\d{4})?$")]


class Person(Model):
    first_name: Name
    last_name: Name
    birth_date: SafeDate | None = None


class Guarantor(Person):
    relationship_code: Annotated[str, Field(pattern=r"^(01|18|19|20|21|39|40|53|G8)$")] = "18"
    phone: Annotated[str, Field(max_length=20, pattern=r"^[0-9+() -]*$")] = ""


class PatientIn(Model):
    first_name: Name
    last_name: Name
    birth_date: SafeDate
    sex: Literal["M", "F", "U"] = "U"
    address: Address | None = None
    phone: Annotated[str, Field(max_length=20, pattern=r"^[0-9+() -]*$")] | None = None
    email: Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")] | None = None
    guarantor: Guarantor | None = None


class PatientOut(PatientIn):
    id: str
    account_number: str


class CoverageIn(Model):
    payer_id: Id
    plan_id: Id | None = None
    priority: Annotated[int, Field(ge=1, le=3)]
    relationship_code: Annotated[str, Field(pattern=r"^(01|18|19|20|21|39|40|53|G8)$")] = "18"
    subscriber: Person | None = None
    member_id: Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[0-9A-Za-z-]+$")]
    group_number: Annotated[str, Field(max_length=50, pattern=r"^[0-9A-Za-z-]*$")] = ""
    effective_from: SafeDate
    effective_to: SafeDate | None = None

    @model_validator(mode="after")
    def _dates(self) -> CoverageIn:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        if self.relationship_code != "18" and self.subscriber is None:
            raise ValueError("subscriber is required when the patient is not the subscriber")
        return self


class CoverageOut(CoverageIn):
    id: str
    patient_id: str


# --- encounters, documents, diagnoses, charges -------------------------------------------


def _codes_csv(value: Any) -> Any:
    """Condition codes are stored comma-joined: read them back as a list."""
    if isinstance(value, str):
        return [v for v in value.split(",") if v]
    return value


Hour = Annotated[str, Field(pattern=r"^(([01]\d|2[0-3])([0-5]\d)?)?$")]
ConditionCode = Annotated[str, Field(pattern=r"^[0-9A-Z]{2}$")]


def _stored(fields: tuple[str, ...]) -> Any:
    """Occurrence, span and value codes are stored comma-joined as ``code:a[:b]``: read them
    back as the objects the API takes."""

    def read(value: Any) -> Any:
        if isinstance(value, str):
            return [dict(zip(fields, item.split(":"), strict=True))
                    for item in value.split(",") if item]
        return value

    return BeforeValidator(read)


class OccurrenceIn(Model):
    """An occurrence code (UB-04 FL31-34, 837I HI*BH): NUBC codes 01-69 and A0-L9, and the
    date of the event."""

    code: Annotated[str, Field(pattern=r"^(0[1-9]|[1-6]\d|[A-L][0-9A-Z])$")]
    on: SafeDate


class OccurrenceSpanIn(Model):
    """An occurrence span code (FL35-36, 837I HI*BI): NUBC codes 70-99 and M0-ZZ, with the
    first and last day of the span."""

    code: Annotated[str, Field(pattern=r"^([7-9]\d|[M-Z][0-9A-Z])$")]
    from_date: SafeDate
    through_date: SafeDate

    @model_validator(mode="after")
    def _ordered(self) -> OccurrenceSpanIn:
        if self.through_date < self.from_date:
            raise ValueError(f"occurrence span {self.code}: through_date is before from_date")
        return self


class ValueCodeIn(Model):
    """A value code (FL39-41, 837I HI*BE) and its amount (money: two decimals at most)."""

    code: Annotated[str, Field(pattern=r"^(0[1-9]|[1-9][0-9A-Z]|[A-Z][0-9A-Z])$")]
    amount: Amount


class EncounterIn(Model):
    """An encounter; a ``type_of_bill`` makes it a facility encounter billed on an 837I /
    UB-04, and the fields after it are that claim's (with their UB-04 form locators).

    Attributes:
        type_of_bill: FL4, e.g. ``0111`` inpatient hospital, ``0131`` outpatient hospital;
            its facility type and classification digits are what counts here, the claim
            sets the frequency digit from its own frequency (1, 7 or 8).
        admission_date / admission_hour: FL12/13 (hour ``HH`` or ``HHMM``).
        admission_type / admission_source: FL14/15 (priority of the visit, point of origin).
        discharge_date / discharge_hour: the statement period's end (FL6) and FL16.
        patient_status: FL17 discharge status (``01`` home, ``30`` still a patient ...).
        attending_provider_id / operating_provider_id: FL76/77.
        admitting_diagnosis: FL69 (inpatient).
        condition_codes: FL18-28.
        occurrence_codes / occurrence_spans / value_codes: FL31-34 (up to 8), FL35-36 (up to
            4) and FL39-41 (up to 12): what the UB-04 holds.
    """

    patient_id: Id
    location_id: Id | None = None
    date_of_service: SafeDate
    place_of_service: Annotated[str, Field(pattern=r"^\d{2}$")] = "11"
    setting: Literal["outpatient", "inpatient"] = "outpatient"
    rendering_provider_id: Id
    billing_provider_id: Id
    referring_provider_id: Id | None = None
    type_of_bill: Annotated[str, Field(pattern=r"^0?[1-8][1-9][0-9A-Z]$")] | None = None
    admission_date: SafeDate | None = None
    admission_hour: Hour = ""
    admission_type: Annotated[str, Field(pattern=r"^[1-59]?$")] = ""
    admission_source: Annotated[str, Field(pattern=r"^[0-9A-Z]?$")] = ""
    discharge_date: SafeDate | None = None
    discharge_hour: Hour = ""
    patient_status: Annotated[str, Field(pattern=r"^(\d{2})?$")] = ""
    attending_provider_id: Id | None = None
    operating_provider_id: Id | None = None
    admitting_diagnosis: Icd10 | Literal[""] = ""
    condition_codes: Annotated[list[ConditionCode], Field(max_length=11),
                               BeforeValidator(_codes_csv)] = []
    occurrence_codes: Annotated[list[OccurrenceIn], Field(max_length=8),
                                _stored(("code", "on"))] = []
    occurrence_spans: Annotated[list[OccurrenceSpanIn], Field(max_length=4),
                                _stored(("code", "from_date", "through_date"))] = []
    value_codes: Annotated[list[ValueCodeIn], Field(max_length=12),
                           _stored(("code", "amount"))] = []

    @model_validator(mode="after")
    def _facility(self) -> EncounterIn:
        if self.discharge_date is not None and self.discharge_date < self.date_of_service:
            raise ValueError("discharge_date is before date_of_service")
        if self.admission_date is not None and self.admission_date > self.date_of_service:
            raise ValueError("admission_date is after date_of_service")
        return self


class EncounterOut(EncounterIn):
    id: str
    status: str


class DocumentIn(Model):
    kind: Literal["clinical_note", "operative_report", "discharge_summary", "other"] = (
        "clinical_note")
    content: Annotated[str, Field(min_length=1, max_length=200_000)]


class DocumentOut(DocumentIn):
    id: str
    encounter_id: str
    created_by: str
    created_at: datetime


class DiagnosisIn(Model):
    """A diagnosis at a position: 1 is the principal; a professional claim's lines point at
    1-12, a facility claim carries up to 25 with their present-on-admission indicators."""

    code: Icd10
    sequence: Annotated[int, Field(ge=1, le=25)]
    poa: Literal["", "Y", "N", "U", "W", "1"] = ""


class DiagnosisOut(DiagnosisIn):
    id: str
    encounter_id: str


class ChargeIn(Model):
    """A charge: a CPT/HCPCS code, and on a facility encounter its revenue code (FL42); a
    facility line may carry the revenue code alone (room and board, supplies) and its own
    ``service_date`` within the stay (FL45; none: the encounter's date of service)."""

    code: ProcedureCode | Literal[""] = ""
    modifiers: Annotated[list[Modifier], Field(max_length=4)] = []
    units: Annotated[int, Field(ge=1, le=999)] = 1
    fee: Amount | None = None
    diagnosis_pointers: Annotated[list[Annotated[int, Field(ge=1, le=12)]],
                                  Field(min_length=1, max_length=4)] = [1]
    revenue_code: Annotated[str, Field(pattern=r"^(\d{4})?$")] = ""
    service_date: SafeDate | None = None

    @model_validator(mode="after")
    def _coded(self) -> ChargeIn:
        if not self.code and not self.revenue_code:
            raise ValueError("a charge needs a procedure code, a revenue code or both")
        return self


class ChargeOut(Model):
    id: str
    encounter_id: str
    code: str
    modifiers: list[str]
    units: int
    fee: Decimal
    diagnosis_pointers: list[int]
    revenue_code: str
    service_date: date | None = None
    entered_by: str
    finalized_by: str | None
    finalized_at: datetime | None


# --- fee schedules -----------------------------------------------------------------------


class FeeScheduleIn(Model):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    payer_id: Id | None = None
    effective_from: SafeDate
    effective_to: SafeDate | None = None


class FeeScheduleOut(FeeScheduleIn):
    id: str


class FeeItemIn(Model):
    code: ProcedureCode
    modifier: Annotated[str, Field(pattern=r"^([0-9A-Z]{2})?$")] = ""
    amount: Amount


class FeeItemOut(FeeItemIn):
    id: str
    fee_schedule_id: str


# --- work items --------------------------------------------------------------------------


class WorkItemIn(Model):
    kind: Literal["denial", "rejection", "follow_up", "coding", "eligibility", "statement"]
    claim_id: Id | None = None
    owner_user_id: Id | None = None
    due_on: SafeDate | None = None
    status: Literal["open", "in_progress", "done"] = "open"
    summary: Text200 = ""


class WorkItemOut(WorkItemIn):
    id: str
    created_at: datetime


# --- remittances -------------------------------------------------------------------------


class RemittanceIn(Model):
    payer_id: Id
    trace_number: Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[0-9A-Za-z-]+$")]
    paid_on: SafeDate
    total_amount: Amount


class RemittanceOut(RemittanceIn):
    id: str


# --- members (users of a practice) -------------------------------------------------------


class MemberIn(Model):
    email: Annotated[str, Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")]
    roles: Annotated[list[Role], Field(min_length=1, max_length=5)]
    password: Annotated[str, Field(min_length=12, max_length=1024)]


class MemberOut(Model):
    user_id: str
    email: str
    roles: list[str]
