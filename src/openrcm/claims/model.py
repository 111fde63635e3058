"""The claim as values: what a payer is asked to pay, professional (837P/CMS-1500) or
institutional (837I/UB-04).

Every type is a frozen dataclass so a claim can be shared between the scrubber, the 837
mapping and the paper forms without any of them changing it under the others. The shapes
follow the 837 hierarchy (billing provider, subscriber, patient, claim, service lines) because
that is what every output needs, while staying readable for someone who only knows the paper
form. Money is ``Decimal``; dates are ``datetime.date``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from openrcm.money import ZERO


class ClaimKind(StrEnum):
    """Professional claims go out as 837P / CMS-1500, institutional ones as 837I / UB-04."""

    PROFESSIONAL = "professional"
    INSTITUTIONAL = "institutional"


class Frequency(StrEnum):
    """CLM05-3 claim frequency: a new claim, a replacement of one, or a void of one."""

    ORIGINAL = "1"
    REPLACEMENT = "7"
    VOID = "8"


class Responsibility(StrEnum):
    """SBR01 payer responsibility sequence: which payer this claim asks to pay."""

    PRIMARY = "P"
    SECONDARY = "S"
    TERTIARY = "T"


#: Patient relationship to the subscriber (SBR02 / PAT01 codes) meaning "the patient is the
#: subscriber".
SELF = "18"


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address; ``zip`` holds 5 or 9 digits without the hyphen."""

    line1: str
    city: str
    state: str
    zip: str
    line2: str = ""


@dataclass(frozen=True, slots=True)
class Provider:
    """A billing, rendering, referring, attending or service-facility provider.

    Attributes:
        npi: 10-digit National Provider Identifier.
        name: organisation name, or the person's last name.
        first_name: empty for organisations.
        tax_id: EIN (9 digits) or SSN (9 digits) of the billing provider.
        tax_id_kind: ``EI`` for an EIN, ``SY`` for an SSN (REF01 in loop 2010AA).
        taxonomy: NUCC taxonomy code (PRV03).
    """

    npi: str
    name: str
    first_name: str = ""
    is_organization: bool = False
    tax_id: str = ""
    tax_id_kind: str = "EI"
    taxonomy: str = ""
    address: Address | None = None


@dataclass(frozen=True, slots=True)
class Person:
    """The patient or the subscriber. ``person_id`` says who it is across claims."""

    person_id: str
    last_name: str
    first_name: str
    birth_date: date
    sex: str
    address: Address | None = None


@dataclass(frozen=True, slots=True)
class Payer:
    """Who the claim is sent to.

    Attributes:
        payer_id: the payer's electronic ID (NM109 in loop 2010BB).
        filing_indicator: SBR09 claim filing indicator (``MB`` Medicare Part B, ``CI``
            commercial, ``MC`` Medicaid ...).
        timely_filing_days: how many days after the date of service the payer still accepts a
            claim.
    """

    payer_id: str
    name: str
    filing_indicator: str = "CI"
    timely_filing_days: int = 365
    address: Address | None = None


@dataclass(frozen=True, slots=True)
class Coverage:
    """One insurance policy of the patient and where it stands in the payment order."""

    payer: Payer
    responsibility: Responsibility
    subscriber: Person
    member_id: str
    relationship: str = SELF
    group_number: str = ""
    effective: date | None = None
    end: date | None = None

    def active_on(self, day: date) -> bool:
        """True when the policy covers ``day`` (open ends count as covering)."""
        return (self.effective is None or self.effective <= day) and (
            self.end is None or day <= self.end
        )


@dataclass(frozen=True, slots=True)
class Adjustment:
    """One CAS adjustment: group (CO, PR, OA, PI, CR), reason code (CARC), amount."""

    group: str
    reason: str
    amount: Decimal
    quantity: Decimal | None = None


@dataclass(frozen=True, slots=True)
class LineAdjudication:
    """What a prior payer did with one service line (loop 2430)."""

    line_id: str
    procedure: str
    paid: Decimal
    paid_units: Decimal
    adjustments: tuple[Adjustment, ...] = ()


@dataclass(frozen=True, slots=True)
class PriorAdjudication:
    """A prior payer's adjudication of this claim, carried in the COB loops (2320/2330/2430).

    ``payer_id`` identifies which of the claim's other coverages it belongs to.
    """

    payer_id: str
    responsibility: Responsibility
    paid: Decimal
    adjudicated_on: date
    claim_adjustments: tuple[Adjustment, ...] = ()
    lines: tuple[LineAdjudication, ...] = ()

    @property
    def patient_responsibility(self) -> Decimal:
        """The amount the prior payer assigned to the patient (all PR adjustments)."""
        total = sum((a.amount for a in self.claim_adjustments if a.group == "PR"), ZERO)
        for line in self.lines:
            total += sum((a.amount for a in line.adjustments if a.group == "PR"), ZERO)
        return total


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """An ICD-10-CM code as billed (with its period, e.g. ``E11.22``) and, for inpatient
    claims, its present-on-admission indicator (Y, N, U, W, 1 or empty)."""

    code: str
    poa: str = ""


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """One billed service.

    Attributes:
        line_id: stable identity of the charge across resubmissions, so that a corrected claim
            can carry only the lines that changed.
        procedure: CPT/HCPCS code (professional) or HCPCS/CPT on a revenue line (institutional,
            may be empty when the revenue code alone describes the service).
        modifiers: up to four two-character modifiers.
        units: service units (days, visits, minutes ... as the code defines).
        pointers: 1-based positions in the claim's diagnosis list, at most four.
        revenue_code: four-digit revenue code (institutional only).
        place_of_service: two-digit POS when it differs from the claim's (professional).
        ndc: the 11-digit National Drug Code of a drug line (no hyphens), with
            ``ndc_quantity`` in ``ndc_unit`` (UN units, ML, GR, F2 international units).
    """

    line_id: str
    procedure: str
    charge: Decimal
    service_date: date
    units: Decimal = Decimal(1)
    modifiers: tuple[str, ...] = ()
    pointers: tuple[int, ...] = (1,)
    service_date_end: date | None = None
    place_of_service: str = ""
    revenue_code: str = ""
    ndc: str = ""
    ndc_quantity: Decimal | None = None
    ndc_unit: str = "UN"


@dataclass(frozen=True, slots=True)
class Occurrence:
    """A UB-04 occurrence code (FL31-34, 837I HI*BH) and the date of the event (an accident,
    the onset of symptoms, the date benefits for a Medicare inpatient were exhausted ...)."""

    code: str
    on: date


@dataclass(frozen=True, slots=True)
class OccurrenceSpan:
    """A UB-04 occurrence span code (FL35-36, 837I HI*BI) and the period it covers (a
    qualifying stay, non-covered days ...), first and last day included."""

    code: str
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class ValueCode:
    """A UB-04 value code (FL39-41, 837I HI*BE) and its amount (blood deductible, covered
    days, the amount another payer is responsible for ...)."""

    code: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Institutional:
    """Fields only an institutional claim has (UB-04 form locators 4, 6, 12-41, 69, 76, 77).

    ``condition_codes`` are two-character UB-04 condition codes (837I HI*BG);
    ``occurrences``, ``occurrence_spans`` and ``values`` the occurrence (HI*BH), occurrence
    span (HI*BI) and value codes (HI*BE); ``operating`` is the operating physician (loop 2310B).
    """

    type_of_bill: str
    admission_type: str = ""
    admission_source: str = ""
    patient_status: str = ""
    admission_date: date | None = None
    admission_hour: str = ""
    discharge_hour: str = ""
    statement_from: date | None = None
    statement_to: date | None = None
    attending: Provider | None = None
    admitting_diagnosis: str = ""
    operating: Provider | None = None
    condition_codes: tuple[str, ...] = ()
    occurrences: tuple[Occurrence, ...] = ()
    occurrence_spans: tuple[OccurrenceSpan, ...] = ()
    values: tuple[ValueCode, ...] = ()


@dataclass(frozen=True, slots=True)
class Accident:
    """Why the services relate to an accident: CLM11 code (AA auto, EM employment, OA other),
    the state of an auto accident, and the date."""

    cause: str
    on: date
    state: str = ""


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim to one payer.

    Attributes:
        claim_id: the patient control number (CLM01) the practice uses to match responses.
        coverage: the policy this claim is sent under; ``other_coverages`` are the rest of the
            patient's policies (COB).
        payer_claim_control_number: the payer's number of the claim being replaced or voided
            (frequency 7 or 8).
        prior_adjudications: earlier payers' results (required on secondary/tertiary claims).
    """

    claim_id: str
    kind: ClaimKind
    billing_provider: Provider
    coverage: Coverage
    patient: Person
    diagnoses: tuple[Diagnosis, ...]
    lines: tuple[ServiceLine, ...]
    place_of_service: str = "11"
    frequency: Frequency = Frequency.ORIGINAL
    payer_claim_control_number: str = ""
    rendering_provider: Provider | None = None
    referring_provider: Provider | None = None
    service_facility: Provider | None = None
    other_coverages: tuple[Coverage, ...] = ()
    prior_adjudications: tuple[PriorAdjudication, ...] = ()
    prior_authorization: str = ""
    referral_number: str = ""
    accident: Accident | None = None
    onset_date: date | None = None
    institutional: Institutional | None = None
    encounter_id: str = ""

    @property
    def payer(self) -> Payer:
        """The payer this claim is sent to."""
        return self.coverage.payer

    @property
    def total_charge(self) -> Decimal:
        """CLM02: the sum of the line charges."""
        return sum([line.charge for line in self.lines], ZERO)

    @property
    def first_service_date(self) -> date:
        """The earliest line date (the claim's date of service for timely filing)."""
        return min(line.service_date for line in self.lines)

    @property
    def last_service_date(self) -> date:
        """The latest line date, counting line end dates."""
        return max(line.service_date_end or line.service_date for line in self.lines)
