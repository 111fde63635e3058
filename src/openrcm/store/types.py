"""Column types that keep money exact and time zone-aware on both SQLite and PostgreSQL.

SQLite has no exact decimal type (NUMERIC falls back to floating point), so amounts are stored
as integer cents: ``SUM`` over them is exact on both engines. Timestamps are stored as naive
UTC and handed back aware, because SQLite drops the offset.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from openrcm.money import CENT


def new_id() -> str:
    """A random UUID: ids must not be guessable, so tenants cannot probe each other's rows."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """The current instant, aware, in UTC (the shell's clock; the core never reads it)."""
    return datetime.now(UTC)


def cents_to_amount(value: int | None) -> Decimal:
    """Integer cents (e.g. from ``SUM``) back to a two-place Decimal; NULL sums are zero."""
    return (Decimal(int(value or 0)) * CENT).quantize(CENT)


class Cents(TypeDecorator[Decimal]):
    """A Decimal amount with at most two places, stored as integer cents."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("amounts must be Decimal, not float")
        amount = Decimal(value)
        scaled = amount * 100
        if scaled != scaled.to_integral_value():
            raise ValueError("amounts must have at most two decimal places")
        return int(scaled)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return cents_to_amount(int(value))


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC timestamp, stored naive so SQLite and PostgreSQL compare alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)
