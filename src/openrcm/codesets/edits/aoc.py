"""NCCI add-on code (AOC) edits: an add-on code is paid only with one of its primary codes.

CMS sorts add-on codes into three types: type 1 lists every acceptable primary code; type 2
lists none (CMS writes the primary as ``CCCCC``: the contractor decides); type 3 lists some
and lets the contractor accept others. ``primaries`` therefore answers with the listed codes
only, and the scrubber reads ``edit_type`` to know how strict to be.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from openrcm.codesets.edits.codes import pack

CONTRACTOR_DEFINED = "CCCCC"
"""The primary code CMS writes for a type 2 add-on code: no list, the contractor decides."""

EDIT_TYPES = {
    1: "only the listed primary codes",
    2: "primary codes defined by the claims processing contractor",
    3: "the listed primary codes and others the contractor accepts",
}


@dataclass(frozen=True, slots=True)
class AocEdit:
    """One add-on code / primary code row.

    Attributes:
        addon: the add-on code.
        primary: an acceptable primary code, or ``CCCCC`` (contractor defined).
        edit_type: 1, 2 or 3 (see ``EDIT_TYPES``).
        effective: first day in effect; None when the source gives no date.
        deletion: last day in effect; None when not deleted.
    """

    addon: str
    primary: str
    edit_type: int
    effective: date | None = None
    deletion: date | None = None

    def in_effect(self, on: date | None) -> bool:
        """True on ``on`` (always, when ``on`` is None)."""
        if on is None:
            return True
        return (self.effective is None or self.effective <= on) and (
            self.deletion is None or on <= self.deletion
        )


def check_edit(edit: AocEdit) -> None:
    """Raise ``ValueError`` naming the bad field of one AOC row."""
    pack(edit.addon)
    if edit.primary != CONTRACTOR_DEFINED:
        pack(edit.primary)
    if edit.edit_type not in EDIT_TYPES:
        raise ValueError(f"AOC edit type must be 1, 2 or 3, not {edit.edit_type}")


class AocTable:
    """Add-on code edits by add-on code."""

    def __init__(self, release: str, edits: Iterable[AocEdit]) -> None:
        self.release = release
        by_addon: dict[str, list[AocEdit]] = {}
        for edit in edits:
            by_addon.setdefault(edit.addon, []).append(edit)
        self._by_addon: Mapping[str, tuple[AocEdit, ...]] = {
            k: tuple(v) for k, v in by_addon.items()
        }

    def __len__(self) -> int:
        return sum(len(v) for v in self._by_addon.values())

    def addons(self) -> frozenset[str]:
        """Every add-on code in the table."""
        return frozenset(self._by_addon)

    def is_addon(self, code: str, on: date | None = None) -> bool:
        """True when ``code`` is an add-on code (with a row in effect ``on``, if given)."""
        return any(e.in_effect(on) for e in self._by_addon.get(code.upper(), ()))

    def edits(self, addon: str, on: date | None = None) -> tuple[AocEdit, ...]:
        """The rows of one add-on code in effect ``on`` (all rows when ``on`` is None)."""
        return tuple(e for e in self._by_addon.get(addon.upper(), ()) if e.in_effect(on))

    def primaries(self, addon: str, on: date | None = None) -> frozenset[str]:
        """The listed primary codes of an add-on code; empty for type 2 and for non-add-ons."""
        return frozenset(
            e.primary for e in self.edits(addon, on) if e.primary != CONTRACTOR_DEFINED
        )

    def edit_type(self, addon: str, on: date | None = None) -> int | None:
        """The AOC edit type (1, 2, 3) of an add-on code, None when it is not one.

        When rows disagree (CMS changed the type), the strictest listed type wins: 1, then 3, 2.
        """
        types = {e.edit_type for e in self.edits(addon, on)}
        for strictest in (1, 3, 2):
            if strictest in types:
                return strictest
        return None
