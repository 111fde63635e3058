"""Small readers shared by the payer-side and provider-side X12 code: walk a parsed
transaction in order and pick the values this package needs, tolerant of what it ignores."""

from __future__ import annotations

from collections.abc import Iterator

from openrcm.x12.tokens import Segment
from openrcm.x12.tree import Loop


def walk(loop: Loop) -> Iterator[Segment | Loop]:
    """Every loop (before its contents) and segment inside ``loop``, depth first, in order."""
    for child in loop.children:
        yield child
        if isinstance(child, Loop):
            yield from walk(child)


def component(value: str, sep: str, index: int) -> str:
    """The ``index``-th component of a composite element, empty when absent."""
    parts = value.split(sep)
    return parts[index] if index < len(parts) else ""
