"""Guide edits: situational rules that need more than one segment (FORMAT.md section 5)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from openrcm.findings import Finding, Severity
from openrcm.x12.tokens import Segment
from openrcm.x12.tree import Transaction

Edit = Callable[[Transaction], list[Finding]]

_REGISTRY: dict[str, list[Edit]] = {}


def register(*guide_ids: str) -> Callable[[Edit], Edit]:
    """Decorator: run this edit on every transaction parsed with one of these guides."""

    def wrap(edit: Edit) -> Edit:
        for guide_id in guide_ids:
            _REGISTRY.setdefault(guide_id, []).append(edit)
        return edit

    return wrap


def run_edits(tx: Transaction) -> list[Finding]:
    """Findings of every edit registered for the transaction's guide."""
    if tx.guide is None:
        return []
    _load()
    out: list[Finding] = []
    for edit in _REGISTRY.get(tx.guide.id, ()):
        out.extend(edit(tx))
    return out


def _load() -> None:
    """Import the edit modules once; they register themselves."""
    from openrcm.x12.edits import npi, x221, x222  # noqa: F401


def edit_finding(tx: Transaction, code: str, message: str, segment: Segment | None, loop: str,
                 element: str = "") -> Finding:
    """A finding located like the parser's own, for an edit about ``segment``."""
    location: dict[str, str | int] = {"interchange": tx.interchange_control,
                                      "group": tx.group_control, "transaction": tx.control,
                                      "set": tx.set_id, "loop": loop}
    if segment is not None:
        location["segment"] = segment.index - tx.st.index + 1
        location["segment_id"] = segment.elements[0]
        location["line"] = segment.line
    if element:
        location["element"] = element
    return Finding(code, Severity.ERROR, message, location, source=f"TR3 {tx.guide_id}")


def decimal_of(text: str) -> Decimal | None:
    """An amount element as Decimal, None when empty or not a number (already reported)."""
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None
