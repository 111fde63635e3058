"""Plain values remittance posting reads and writes.

The posting core never touches a database: the caller describes the claims it billed
(:class:`ExpectedClaim`, what an 835 can be matched against) and gets back a
:class:`PostingPlan` saying exactly which money moves, what is held for a person, and why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from openrcm.money import ZERO


@dataclass(frozen=True, slots=True)
class ExpectedLine:
    """A billed service line, as the practice sent it.

    Attributes:
        line_id: the line item control number sent in REF*6R (the ledger's line id).
        procedure: CPT/HCPCS code. modifiers: as billed (order does not matter for matching).
        service_date: date of service. charge: billed amount. units: billed units.
        revenue_code: a facility line's revenue code (an 835 may pay it as ``NU``).
    """

    line_id: str
    procedure: str
    charge: Decimal
    service_date: date | None = None
    modifiers: tuple[str, ...] = ()
    units: Decimal = Decimal(1)
    revenue_code: str = ""


@dataclass(frozen=True, slots=True)
class ExpectedClaim:
    """A claim the practice billed to one payer, waiting for its remittance.

    Attributes:
        claim_id: the patient control number sent in CLM01 (the ledger's claim id).
        patient_id: the ledger's patient id.
        payer_id: the ledger's id of the payer billed (the remittance's payer).
        lines: the billed lines.
        payer_control: the payer's claim control number when known (from a 277CA or an
            earlier 835); a second way to find the claim.
        next_payer_id: the ledger's id of the payer to bill next (secondary/tertiary); patient
            responsibility moves there instead of to the patient. None: the patient is next.
    """

    claim_id: str
    patient_id: str
    payer_id: str
    lines: tuple[ExpectedLine, ...]
    payer_control: str = ""
    next_payer_id: str | None = None


class Action(StrEnum):
    """What posting does with one CAS adjustment (see ``data/adjustment_rules.csv``)."""

    CONTRACTUAL = "contractual"  # write down to the allowed amount (adj:contractual)
    TRANSFER = "transfer"  # move to the next payer, else to the patient
    WRITE_OFF = "write_off"  # adj:writeoff:<reason>
    HOLD = "hold"  # leave it on the payer's receivable; a person works the denial
    NONE = "none"  # informational (OA-23: a prior payer's share, posted with that payer)


@dataclass(frozen=True, slots=True)
class LineAdjustment:
    """One CAS adjustment of a matched line, with what posting does with it."""

    group: str
    reason: str
    amount: Decimal
    action: Action


@dataclass(frozen=True, slots=True)
class LinePosting:
    """The money of one matched service line: payment and adjustments."""

    line_id: str
    paid: Decimal
    adjustments: tuple[LineAdjustment, ...] = ()

    def total(self, action: Action) -> Decimal:
        """The sum of this line's adjustments that posting treats as ``action``."""
        return sum((a.amount for a in self.adjustments if a.action is action), ZERO)


@dataclass(frozen=True, slots=True)
class ClaimPosting:
    """A matched claim payment: which claim, which payer number, and its lines' money.

    Attributes:
        reversal: True for CLP02 = 22, the payer taking back an earlier payment of this claim
            (posting reverses what was posted for ``payer_control``, then nothing else).
        status: CLP02 as received.
        position: the CLP's 1-based place in the remittance (links the posting back to the
            claim payment it came from). ``lines`` follow the SVC order of that payment.
    """

    claim_id: str
    patient_id: str
    payer_id: str
    payer_control: str
    status: str
    paid: Decimal
    lines: tuple[LinePosting, ...]
    next_payer_id: str | None = None
    reversal: bool = False
    position: int = 0


@dataclass(frozen=True, slots=True)
class ExceptionItem:
    """Something posting would not guess about; a person decides.

    Attributes:
        code: stable reason code (``REMIT-CLAIM-UNMATCHED``, ``REMIT-LINE-AMBIGUOUS`` ...).
        message: plain words, no PHI. claim: CLP01 as received. line: SVC position (1-based),
            0 for the whole claim. amount: money parked on ``unapplied:<payer>`` because of it.
        position: the CLP's 1-based place in the remittance.
    """

    code: str
    message: str
    claim: str
    line: int = 0
    amount: Decimal = ZERO
    position: int = 0


@dataclass(frozen=True, slots=True)
class Denial:
    """A denied or reduced line (or claim) classified for the denial work queue."""

    claim_id: str
    line_id: str
    group: str
    reason: str
    amount: Decimal
    category: str
    description: str
    remarks: tuple[tuple[str, str], ...]
    next_action: str


@dataclass(frozen=True, slots=True)
class ProviderLevel:
    """A PLB adjustment: reason (PLB03-1), reference, signed amount (positive withholds).

    A recoupment (``WO``, ``72``) whose reference names a billed one-line claim carries that
    line: posting reopens the line's receivable by the amount instead of booking a bare PLB.
    """

    reason: str
    reference: str
    amount: Decimal
    claim_id: str = ""
    line_id: str = ""
    patient_id: str = ""


@dataclass(frozen=True, slots=True)
class PostingPlan:
    """Everything posting one 835 transaction will do, decided before any write.

    Attributes:
        payer_id: the ledger's payer id the remittance is from.
        trace_number: TRN02 (check or EFT number). amount: BPR02. paid_on: BPR16.
        refused: empty when the remittance can post; else why it cannot (nothing posts).
        claims: matched claim payments, in file order.
        unapplied: money received for claims or lines that could not be matched.
        exceptions: what went to the exception queue and why.
        denials: classified denials for the work queue.
        provider_levels: PLB adjustments.
        claims_received: CLP loops in the transaction. claims_unmatched: of those, how many
            went (whole or in part) to the exception queue.
    """

    payer_id: str
    trace_number: str
    amount: Decimal
    paid_on: date | None
    refused: str = ""
    claims: tuple[ClaimPosting, ...] = ()
    unapplied: Decimal = ZERO
    exceptions: tuple[ExceptionItem, ...] = ()
    denials: tuple[Denial, ...] = ()
    provider_levels: tuple[ProviderLevel, ...] = field(default_factory=tuple)
    claims_received: int = 0
    claims_unmatched: int = 0
