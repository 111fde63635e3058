"""Claims (and claim contexts) to and from JSON.

The CLI reads a claim from a JSON file and the API accepts one in a request body, so the shape
must be documented and the errors precise. The shape is the dataclasses' own: field names as
keys, dates as ``YYYY-MM-DD``, money and units as strings (``"120.00"``; numbers are refused
for money because JSON numbers are floats to most tools), enums by value, tuples as lists.
Optional fields may be left out. A mistake names its path: ``lines[1].charge: not an amount``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from openrcm.claims.builder import ClaimContext
from openrcm.claims.model import Claim
from openrcm.money import MoneyError, money

T = TypeVar("T")


class ClaimJsonError(ValueError):
    """The JSON does not describe a claim; the message gives the path and the problem."""


def to_json(value: Any) -> Any:
    """A claim (or any value of the claim model) as JSON-able data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(to_json(v) for v in value)
    return value


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _convert(tp: Any, raw: Any, path: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if raw is None:
            return None
        return _convert(args[0], raw, path)
    if origin is tuple:
        if not isinstance(raw, list):
            raise ClaimJsonError(f"{path}: expected a list")
        item = typing.get_args(tp)[0]
        return tuple(_convert(item, v, f"{path}[{i}]") for i, v in enumerate(raw))
    if origin is frozenset:
        if not isinstance(raw, list):
            raise ClaimJsonError(f"{path}: expected a list")
        item = typing.get_args(tp)[0]
        return frozenset(_convert(item, v, f"{path}[{i}]") for i, v in enumerate(raw))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _dataclass(tp, raw, path)
    if isinstance(tp, type) and issubclass(tp, Enum):
        try:
            return tp(raw)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in tp)
            raise ClaimJsonError(f"{path}: {raw!r} is not one of {allowed}") from None
    if tp is date:
        if not isinstance(raw, str):
            raise ClaimJsonError(f"{path}: expected a date YYYY-MM-DD")
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise ClaimJsonError(f"{path}: {raw!r} is not a date YYYY-MM-DD") from None
    if tp is Decimal:
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            raise ClaimJsonError(f'{path}: expected an amount as a string, e.g. "120.00"')
        try:
            return money(raw)
        except MoneyError:
            raise ClaimJsonError(f"{path}: {raw!r} is not an amount") from None
    if tp is bool:
        if not isinstance(raw, bool):
            raise ClaimJsonError(f"{path}: expected true or false")
        return raw
    if tp is int:
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise ClaimJsonError(f"{path}: expected a whole number")
        return raw
    if tp is str:
        if not isinstance(raw, str):
            raise ClaimJsonError(f"{path}: expected a string")
        return raw
    raise ClaimJsonError(f"{path}: unsupported type {tp!r}")


def _dataclass(cls: type[T], raw: Any, path: str) -> T:
    if not isinstance(raw, dict):
        raise ClaimJsonError(f"{path or 'claim'}: expected an object")
    hints = _hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(raw) - set(fields))
    if unknown:
        raise ClaimJsonError(f"{path or 'claim'}: unknown field(s) {', '.join(unknown)}")
    kwargs = {}
    for name, f in fields.items():
        sub = f"{path}.{name}" if path else name
        if name not in raw:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise ClaimJsonError(f"{sub}: missing")
            continue
        kwargs[name] = _convert(hints[name], raw[name], sub)
    return cls(**kwargs)


def claim_from_json(raw: Any) -> Claim:
    """A ``Claim`` from parsed JSON; raises ``ClaimJsonError`` naming the path at fault."""
    return _dataclass(Claim, raw, "")


def context_from_json(raw: Any) -> ClaimContext:
    """A ``ClaimContext`` (encounter to build claims from) from parsed JSON."""
    return _dataclass(ClaimContext, raw, "")
