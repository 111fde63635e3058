"""Claims (and claim contexts) to and from JSON.

The CLI reads a claim from a JSON file and the API accepts one in a request body, so the shape
must be documented and the errors precise. The shape and the rules are those of
:mod:`openrcm.x12.views.codec`, openrcm's one JSON codec for dataclass values: field names as
keys, dates as ``YYYY-MM-DD``, money and units as strings (``"120.00"``; numbers are refused
for money because JSON numbers are floats to most tools), enums by value, tuples as lists.
Optional fields may be left out. A mistake names its path: ``lines[1].charge: not an amount``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from openrcm.claims.builder import ClaimContext
from openrcm.claims.model import Claim
from openrcm.x12.views.codec import ViewJSONError, from_json, to_json

__all__ = ["ClaimJsonError", "claim_from_json", "context_from_json", "to_json"]
T = TypeVar("T")


class ClaimJsonError(ViewJSONError):
    """The JSON does not describe a claim; the message gives the path and the problem."""


def _read(cls: type[T], raw: Any) -> T:
    try:
        return from_json(cls, raw)
    except ViewJSONError as exc:
        raise ClaimJsonError(str(exc)) from None


def claim_from_json(raw: Any) -> Claim:
    """A ``Claim`` from parsed JSON; raises ``ClaimJsonError`` naming the path at fault."""
    return _read(Claim, raw)


def context_from_json(raw: Any) -> ClaimContext:
    """A ``ClaimContext`` (encounter to build claims from) from parsed JSON."""
    return _read(ClaimContext, raw)
