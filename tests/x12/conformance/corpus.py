"""The conformance corpus as data: manifest entries, openrcm's verdict, located-error matching.

The manifest (``manifest.yaml``, fields in README.md) is the single record of what each public
sample should give; the tests only compare openrcm against it. Keeping the comparison rules
here lets every test read the same way: "this file, this check, this expectation".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from openrcm.findings import Finding, Severity
from openrcm.x12.codes import Level, ack_code
from openrcm.x12.tree import Document

ROOT = Path(__file__).parent
FIXTURES = ROOT / "fixtures"

# The acknowledgment structure that reports each manifest error level.
_LEVELS = {
    "interchange": Level.INTERCHANGE,
    "group": Level.GROUP,
    "transaction": Level.TRANSACTION,
    "segment": Level.SEGMENT,
    "element": Level.ELEMENT,
}


def entries() -> list[dict[str, Any]]:
    """Every manifest entry, in manifest order."""
    data = yaml.safe_load((ROOT / "manifest.yaml").read_text())
    files: list[dict[str, Any]] = data["files"]
    return files


def data_of(entry: dict[str, Any]) -> bytes:
    """The fixture's bytes."""
    return Path(FIXTURES, str(entry["file"])).read_bytes()


def params(check: str, chosen: list[dict[str, Any]] | None = None) -> list[Any]:
    """pytest params, one per entry, id = manifest id; a known gap for ``check`` is a strict xfail.

    ``known_gap`` in the manifest is ``{checks: [...], reason: ...}``: the reason openrcm does
    not reach the expectation yet. Strict, so a fixed gap fails until the manifest says so.
    """
    out = []
    for entry in entries() if chosen is None else chosen:
        gap = entry.get("known_gap")
        marks = []
        if gap and check in gap["checks"]:
            marks.append(pytest.mark.xfail(strict=True, reason=gap["reason"]))
        out.append(pytest.param(entry, id=entry["id"], marks=marks))
    return out


def errors(findings: list[Finding]) -> list[Finding]:
    """The findings that block a file."""
    return [f for f in findings if f.severity is Severity.ERROR]


def verdict(document: Document) -> str:
    """What a 999/TA1 would say: accept, reject, or partial when only some sets are rejected.

    Envelope errors outside any transaction set reject the whole file, as a TA1 or an AK9
    rejection would.
    """
    outside = list(document.findings)
    for interchange in document.interchanges:
        outside.extend(interchange.findings)
        for group in interchange.groups:
            outside.extend(group.findings)
    if errors(outside) or not document.interchanges:
        return "reject"
    rejected = [bool(errors(tx.findings)) for tx in document.transactions()]
    if not rejected:
        return "reject"
    if all(rejected):
        return "reject"
    return "partial" if any(rejected) else "accept"


@dataclass(frozen=True, slots=True)
class Expected:
    """One located error the manifest expects (see README.md, ``errors``)."""

    level: str
    reason: str
    segment_id: str | None = None
    position: int | None = None
    element: str | None = None
    loop: str | None = None
    codes: tuple[str, ...] = ()

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Expected:
        code = raw.get("code")
        codes = tuple(code) if isinstance(code, list) else (() if code is None else (str(code),))
        return cls(level=raw["level"], reason=raw["reason"], segment_id=raw.get("segment_id"),
                   position=raw.get("position"), element=raw.get("element"),
                   loop=raw.get("loop"), codes=codes)

    def matched_by(self, finding: Finding) -> bool:
        """True when the finding reports this error at this place (and with this code)."""
        where = finding.location
        if self.position is not None:
            if where.get("segment") != self.position:
                return False
            if self.segment_id and where.get("segment_id") != self.segment_id:
                return False
        if self.element and not str(where.get("element", "")).startswith(self.element):
            return False
        if self.loop and where.get("loop") != self.loop:
            return False
        ack = ack_code(finding.code)
        if self.codes:
            return ack is not None and ack == (_LEVELS[self.level], ack[1]) and \
                ack[1] in self.codes
        if self.level == "interchange":
            return "transaction" not in where
        return True


def expected_errors(entry: dict[str, Any]) -> list[Expected]:
    """The manifest's located errors of one entry."""
    return [Expected.of(raw) for raw in entry.get("errors", [])]
