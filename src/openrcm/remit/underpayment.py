"""Underpayment: the payer allowed less than the contract says it should.

The allowed amount of a line is what the payer paid plus what it assigned to the patient
(AMT*B6 when the payer sent it). The contracted amount comes from the payer's fee schedule:
``(procedure, modifier)`` -> allowed per unit, the modifier-less row applying when no row has
the billed modifier. A line allowed below the contracted amount by more than a tolerance is
an underpayment worth a work item.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from openrcm.money import CENT, ZERO, cents
from openrcm.remit.model import Action, ExpectedLine, LinePosting

FeeSchedule = Mapping[tuple[str, str], Decimal]
"""Contracted allowed amount per unit by (procedure, first modifier or "")."""


@dataclass(frozen=True, slots=True)
class Underpayment:
    """One line allowed below contract: by how much."""

    line_id: str
    procedure: str
    contracted: Decimal
    allowed: Decimal

    @property
    def short(self) -> Decimal:
        """How much more the payer should have allowed."""
        return self.contracted - self.allowed


def contracted_amount(schedule: FeeSchedule, line: ExpectedLine) -> Decimal | None:
    """The contracted allowance for a billed line, or None when the schedule has no rate."""
    for modifier in (*line.modifiers, ""):
        rate = schedule.get((line.procedure, modifier))
        if rate is not None:
            return cents(rate * line.units)
    return None


def allowed_amount(posting: LinePosting, reported: Decimal | None = None) -> Decimal:
    """What the payer allowed: AMT*B6 when reported, else paid + patient responsibility."""
    if reported is not None:
        return reported
    return posting.paid + posting.total(Action.TRANSFER)


def underpayment(schedule: FeeSchedule, line: ExpectedLine, posting: LinePosting,
                 reported_allowed: Decimal | None = None,
                 tolerance: Decimal = CENT) -> Underpayment | None:
    """The underpayment of one line, or None (no rate, denied, or paid per contract).

    A line with nothing allowed is a denial, worked as such, not an underpayment.
    """
    contracted = contracted_amount(schedule, line)
    allowed = allowed_amount(posting, reported_allowed)
    if contracted is None or allowed <= ZERO or contracted - allowed < tolerance:
        return None
    return Underpayment(line.line_id, line.procedure, contracted, allowed)
