"""The one door money comes through: exact decimals, never floats.

Amounts in X12, fee schedules and the ledger are dollars with at most two decimal places.
Everything that parses or rounds money does it here so that the rule is written once.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


class MoneyError(ValueError):
    """A text that should be an amount is not one."""


def money(value: str | int | Decimal) -> Decimal:
    """Parse an amount exactly; floats are refused because they cannot hold cents exactly."""
    if isinstance(value, float):
        raise MoneyError("amounts must not be floats")
    try:
        amount = Decimal(value)
    except (InvalidOperation, ValueError) as exc:
        raise MoneyError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise MoneyError(f"not a finite amount: {value!r}")
    return amount


def cents(amount: Decimal) -> Decimal:
    """Round half up to the cent, the way payers and statements round."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
