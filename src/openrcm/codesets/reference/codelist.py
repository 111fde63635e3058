"""One shape for every flat code list: code, description, status, validity dates, attributes.

HCPCS Level II, modifiers, place of service, CARC, RARC, claim status codes, provider taxonomy
and the UB-04 value lists differ only in their extra columns, so each is a ``CodeList`` of
``CodeEntry`` values, and every list answers the same date-of-service question.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

CURRENT = "current"
DEACTIVATED = "deactivated"
UNASSIGNED = "unassigned"
STATUSES = frozenset({CURRENT, DEACTIVATED, UNASSIGNED})


@dataclass(frozen=True, slots=True)
class CodeEntry:
    """One code of a list.

    Attributes:
        code: the code as the list writes it (``"CO"``, ``"N130"``, ``"J3301"``, ``"11"``).
        description: the list's text for it.
        status: current, deactivated (no longer to be used) or unassigned (reserved number).
        start: first day of validity, when the list gives one.
        end: last day of validity, when the list gives one.
        attributes: the list's other columns by name (e.g. ``facility`` for POS).
    """

    code: str
    description: str
    status: str = CURRENT
    start: date | None = None
    end: date | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)

    def valid_on(self, on: date) -> bool:
        """True when the code may be used on ``on``: not unassigned and within its dates.

        A deactivated code with no end date is taken as invalid on every date, since the list
        no longer says until when it was good.
        """
        if self.status == UNASSIGNED or (self.status == DEACTIVATED and self.end is None):
            return False
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(frozen=True, slots=True)
class Validity:
    """Whether a code may be used on a date, and why not.

    Attributes:
        code: the code asked about, as given.
        valid: True when it may be used.
        reason: ``valid``, ``unknown``, ``unassigned``, ``deactivated``, ``not-yet-effective``
            or ``ended`` — stable words a program can match on.
        message: the same for a person, with the dates involved.
        entry: the list's entry when the code is in the list.
    """

    code: str
    valid: bool
    reason: str
    message: str
    entry: CodeEntry | None = None


class CodeList:
    """A release of one code list, looked up by code."""

    def __init__(self, kind: str, release: str, entries: Iterable[CodeEntry]) -> None:
        self.kind = kind
        self.release = release
        self._entries: dict[str, CodeEntry] = {}
        for entry in entries:
            if entry.status not in STATUSES:
                raise ValueError(f"{kind} {entry.code}: unknown status {entry.status!r}")
            self._entries[entry.code.upper()] = entry

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.strip().upper() in self._entries

    def __iter__(self) -> Iterator[CodeEntry]:
        return iter(self._entries.values())

    def get(self, code: str) -> CodeEntry | None:
        """The entry for ``code`` whatever its status or dates (case and spaces ignored)."""
        return self._entries.get(code.strip().upper())

    def lookup(self, code: str, on: date | None = None) -> CodeEntry | None:
        """The entry when ``code`` is valid on ``on`` (current, when ``on`` is None)."""
        entry = self.get(code)
        if entry is None:
            return None
        if on is None:
            return entry if entry.status == CURRENT else None
        return entry if entry.valid_on(on) else None

    def validity(self, code: str, on: date) -> Validity:
        """Whether ``code`` may be used on ``on``, with the reason when it may not."""
        entry = self.get(code)
        name = f"{self.kind} code {code.strip().upper()!r}"
        if entry is None:
            return Validity(code, False, "unknown", f"{name} is not in {self.release}")
        if entry.status == UNASSIGNED:
            return Validity(code, False, "unassigned", f"{name} is not assigned", entry)
        if entry.start is not None and on < entry.start:
            message = f"{name} is effective from {entry.start}, after {on}"
            return Validity(code, False, "not-yet-effective", message, entry)
        if entry.end is not None and on > entry.end:
            message = f"{name} ended on {entry.end}, before {on}"
            return Validity(code, False, "ended", message, entry)
        if entry.status == DEACTIVATED and entry.end is None:
            message = f"{name} is deactivated ({self.release} gives no end date)"
            return Validity(code, False, "deactivated", message, entry)
        return Validity(code, True, "valid", f"{name} is valid on {on}", entry)

    def count(self, status: str = CURRENT) -> int:
        """How many entries have ``status``."""
        return sum(1 for e in self._entries.values() if e.status == status)

    def to_json(self) -> bytes:
        """The compiled form an import writes under ``home``."""
        rows = [
            [
                e.code,
                e.description,
                e.status,
                e.start.isoformat() if e.start else None,
                e.end.isoformat() if e.end else None,
                dict(e.attributes),
            ]
            for e in self._entries.values()
        ]
        return json.dumps({"kind": self.kind, "release": self.release, "rows": rows}).encode()

    @classmethod
    def from_json(cls, data: bytes) -> CodeList:
        """Read what ``to_json`` wrote."""
        raw = json.loads(data)
        return cls(
            str(raw["kind"]),
            str(raw["release"]),
            (
                CodeEntry(
                    r[0],
                    r[1],
                    r[2],
                    date.fromisoformat(r[3]) if r[3] else None,
                    date.fromisoformat(r[4]) if r[4] else None,
                    {str(k): str(v) for k, v in r[5].items()},
                )
                for r in raw["rows"]
            ),
        )
