"""JSON for frozen dataclass values (the typed views, claims, claim contexts) and back, exactly.

openrcm has one way to turn its values into JSON: this module. ``openrcm.claims.jsonio``
(claims in CLI files and API bodies), the x12 operations (typed views in and out) and the
payer simulator's saved state all use it, so the rules are written once:

* field names are the keys; optional fields may be left out, unknown ones are refused;
* money and other decimals are strings (``"34.00"``), because most JSON readers turn numbers
  into floats; a whole number is accepted on input, a float or a boolean never;
* dates are ISO ``YYYY-MM-DD``; enums are their values; tuples and sets are lists;
* a mistake names its path: ``claims[0].charge: 'twelve' is not an amount``.

``from_json(cls, to_json(value)) == value``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, TypeVar, cast

from openrcm.money import MoneyError, money

T = TypeVar("T")


class ViewJSONError(ValueError):
    """A JSON document does not have the shape of the value asked for; names the path."""


def to_json(value: Any) -> Any:
    """A dataclass tree as JSON-ready dicts, lists and strings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(to_json(v) for v in value)
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _items(tp: Any, data: Any, where: str) -> list[Any]:
    if not isinstance(data, list):
        raise ViewJSONError(f"{where}: expected a list")
    item_type = typing.get_args(tp)[0]
    return [_convert(item_type, item, f"{where}[{i}]") for i, item in enumerate(data)]


def _scalar(tp: Any, data: Any, where: str) -> Any:
    if isinstance(tp, type) and issubclass(tp, Enum):
        try:
            return tp(data)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in tp)
            raise ViewJSONError(f"{where}: {data!r} is not one of {allowed}") from None
    if tp is Decimal:
        if isinstance(data, bool) or not isinstance(data, str | int):
            raise ViewJSONError(f'{where}: expected an amount as a string, e.g. "120.00"')
        try:
            return money(data)
        except MoneyError:
            raise ViewJSONError(f"{where}: {data!r} is not an amount") from None
    if tp is date:
        if not isinstance(data, str):
            raise ViewJSONError(f"{where}: expected a date YYYY-MM-DD")
        try:
            return date.fromisoformat(data)
        except ValueError:
            raise ViewJSONError(f"{where}: {data!r} is not a date YYYY-MM-DD") from None
    expected = {bool: "true or false", int: "a whole number", str: "a string"}.get(tp)
    if expected is None:
        raise ViewJSONError(f"{where}: unsupported type {tp!r}")
    # bool is an int subclass: a whole number must not be true or false
    if not isinstance(data, tp) or (tp is int and isinstance(data, bool)):
        raise ViewJSONError(f"{where}: expected {expected}")
    return data


def _convert(tp: Any, data: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        return _convert(options[0], data, where)
    if origin is tuple:
        return tuple(_items(tp, data, where))
    if origin is frozenset:
        return frozenset(_items(tp, data, where))
    if origin is dict:
        value_type = typing.get_args(tp)[1]
        if not isinstance(data, dict):
            raise ViewJSONError(f"{where}: expected an object")
        return {k: _convert(value_type, v, f"{where}.{k}") for k, v in data.items()}
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return from_json(tp, data, where)
    return _scalar(tp, data, where)


def from_json(cls: type[T], data: Any, where: str = "") -> T:
    """Rebuild a dataclass ``cls`` from :func:`to_json` output; checks every field.

    Raises:
        ViewJSONError: the data does not fit, with the path (``where`` is the path of
            ``data`` itself, empty at the top) and the problem.
    """
    if not isinstance(data, dict):
        raise ViewJSONError(f"{where or cls.__name__}: expected an object")
    hints = _hints(cast(Any, cls))
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ViewJSONError(f"{where or cls.__name__}: unknown field(s) {', '.join(unknown)}")
    values: dict[str, Any] = {}
    for name, f in fields.items():
        path = f"{where}.{name}" if where else name
        if name in data:
            values[name] = _convert(hints[name], data[name], path)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise ViewJSONError(f"{path}: missing")
    return cls(**values)
