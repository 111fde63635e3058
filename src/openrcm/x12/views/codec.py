"""JSON for the typed views: frozen dataclasses to plain JSON values and back, exactly.

Money is written as a string (``"34.00"``) so that no JSON reader turns it into a float;
dates as ISO ``YYYY-MM-DD``. ``from_json(to_json(view))`` equals ``view``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar, cast

T = TypeVar("T")
JSON = dict[str, Any] | list[Any] | str | int | float | bool | None


def to_json(value: Any) -> Any:
    """A dataclass tree as JSON-ready dicts, lists and strings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)


class ViewJSONError(ValueError):
    """A JSON document does not have the shape of the typed view; names the field."""


def _convert(tp: Any, data: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if data is None:
            return None
        return _convert(options[0], data, where)
    if origin is tuple:
        item_type = typing.get_args(tp)[0]
        if not isinstance(data, list):
            raise ViewJSONError(f"{where}: expected a list")
        return tuple(_convert(item_type, item, f"{where}[{i}]") for i, item in enumerate(data))
    if origin is dict:
        value_type = typing.get_args(tp)[1]
        if not isinstance(data, dict):
            raise ViewJSONError(f"{where}: expected an object")
        return {k: _convert(value_type, v, f"{where}.{k}") for k, v in data.items()}
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return from_json(tp, data, where)
    if tp is Decimal:
        try:
            return Decimal(str(data))
        except ArithmeticError as exc:
            raise ViewJSONError(f"{where}: not an amount") from exc
    if tp is date:
        try:
            return date.fromisoformat(str(data))
        except ValueError as exc:
            raise ViewJSONError(f"{where}: not an ISO date") from exc
    if tp is str:
        if not isinstance(data, str):
            raise ViewJSONError(f"{where}: expected a string")
        return data
    if tp is int:
        if not isinstance(data, int):
            raise ViewJSONError(f"{where}: expected an integer")
        return data
    return data


def from_json(cls: type[T], data: Any, where: str = "$") -> T:
    """Rebuild a view (dataclass ``cls``) from :func:`to_json` output; checks every field."""
    if not isinstance(data, dict):
        raise ViewJSONError(f"{where}: expected an object for {cls.__name__}")
    hints = _hints(cast(Any, cls))
    values: dict[str, Any] = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        if f.name in data:
            values[f.name] = _convert(hints[f.name], data[f.name], f"{where}.{f.name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise ViewJSONError(f"{where}.{f.name}: missing")
    unknown = set(data) - {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    if unknown:
        raise ViewJSONError(f"{where}: unknown field(s) {sorted(unknown)}")
    return cls(**values)
