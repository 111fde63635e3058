"""Column types that keep money exact and time zone-aware on both SQLite and PostgreSQL.

SQLite has no exact decimal type (NUMERIC falls back to floating point), so amounts are stored
as integer cents: ``SUM`` over them is exact on both engines. Timestamps are stored as naive
UTC and handed back aware, because SQLite drops the offset.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

from openrcm.money import CENT

_RAND_A = 0xFFF << 64
_RAND_B = (1 << 62) - 1
_VERSION_VARIANT = (0x7 << 76) | (0b10 << 62)


def new_id() -> str:
    """A time-ordered UUID (RFC 9562 version 7): 48-bit Unix milliseconds, then 74 random bits.

    The random bits (``os.urandom``) keep ids unguessable, so tenants cannot probe each other's
    rows; the leading time makes ids created one after another sort one after another, so every
    primary-key and foreign-key index insert lands on the B-tree's last page instead of a
    random one (with random version 4 ids a 100,000-claim ERA posting rewrote pages all over
    the id indexes of its link and event rows). Same 36-character text as before, so old and
    new ids live side by side. The id reveals its row's creation time to the millisecond; ids
    made in the same millisecond are in random order.
    """
    random = int.from_bytes(os.urandom(10))
    value = (time.time_ns() // 1_000_000 << 80 | _VERSION_VARIANT
             | (random << 2 & _RAND_A) | (random & _RAND_B))
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


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
