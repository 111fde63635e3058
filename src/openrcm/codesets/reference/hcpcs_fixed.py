"""CMS's HCPCS Level II annual/quarterly file: the fixed-width ``HCPC20xx_CONTR_ANWEB`` record.

One code spans several 320-character records: record identification code 3 opens a procedure
(7 a modifier) and 4 (8) continues its long description. Both procedures and modifiers are
read: an import refreshes the ``hcpcs`` and the ``modifier`` lists together. Positions
(1-based, inclusive) of the fields openrcm keeps, from CMS's HCPCS record layout:

====================  =========  ==================================================
field                 positions  use
====================  =========  ==================================================
HCPC                  1-5        code (2 characters + spaces for a modifier)
SEQNUM                6-10       record sequence within the code
RECID                 11         3/7 first record, 4/8 continuation
LONG_DESCRIPTION      12-91      long description (continued on 4/8 records)
SHORT_DESCRIPTION     92-119     short description
PRICE1                120-121    pricing indicator
MULT_PI               128        multiple pricing indicator
COV                   230        coverage code
ASC_GRP               231-232    ASC payment group
BETOS                 257-259    BETOS code
TOS1                  261        type of service
ANEST_BU              266-268    anesthesia base units
ADD_DT                269-276    date added (YYYYMMDD)
ACT_EFF_DT            277-284    action effective date
TERM_DT               285-292    termination date: the last day the code may be used
ACTION_CD             293        action code (A add, C change, D discontinue, N none, ...)
====================  =========  ==================================================

The CSV form of the same file (headers named as in the layout) is accepted too.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from openrcm.codesets.edits.codes import parse_date
from openrcm.codesets.importers import ImportFailed
from openrcm.codesets.reference.codelist import CURRENT, DEACTIVATED, CodeEntry
from openrcm.codesets.reference.formats import is_hcpcs_level2

RECORD_LENGTH = 320
FIELDS = {
    "hcpc": (1, 5),
    "seqnum": (6, 10),
    "recid": (11, 11),
    "long": (12, 91),
    "short": (92, 119),
    "price": (120, 121),
    "multi": (128, 128),
    "cov": (230, 230),
    "asc_grp": (231, 232),
    "betos": (257, 259),
    "tos": (261, 261),
    "anes": (266, 268),
    "added": (269, 276),
    "action_effective": (277, 284),
    "term": (285, 292),
    "action": (293, 293),
}
_KEPT = ("price", "multi", "cov", "asc_grp", "betos", "tos", "anes", "action")
_CSV_NAMES = {
    "HCPC": "hcpc",
    "RECID": "recid",
    "LONG_DESCRIPTION": "long",
    "SHORT_DESCRIPTION": "short",
    "PRICE1": "price",
    "MULT_PI": "multi",
    "COV": "cov",
    "ASC_GRP": "asc_grp",
    "BETOS": "betos",
    "TOS1": "tos",
    "ANEST_BU": "anes",
    "ADD_DT": "added",
    "ACT_EFF_DT": "action_effective",
    "TERM_DT": "term",
    "ACTION_CD": "action",
}


def cut(record: str, name: str) -> str:
    """One field of a fixed-width record, stripped."""
    start, end = FIELDS[name]
    return record[start - 1 : end].strip()


@dataclass
class _Code:
    line: int
    fields: dict[str, str]
    long_parts: list[str] = field(default_factory=list)


def read_hcpcs(lines: Iterable[str], source: str) -> tuple[list[CodeEntry], list[CodeEntry]]:
    """The procedure codes and the modifiers of a HCPCS file, each as code-list entries.

    Raises:
        ImportFailed: a record too short, an unknown record id, a continuation without its
            first record, a malformed code or date; the message names file and line.
    """
    it = iter(lines)
    first = next(it, "").removeprefix("\ufeff")
    if not first.strip():
        raise ImportFailed(f"{source}, line 1: the file is empty")
    if first.startswith("HCPC") and ("," in first or "\t" in first):
        found = list(_from_csv(_chain(first, it), source))
    else:
        found = list(_from_fixed(_chain(first, it), source))
    codes = [_entry(c, source) for c in found if c.fields["recid"] == "3"]
    modifiers = [_entry(c, source) for c in found if c.fields["recid"] == "7"]
    return codes, modifiers


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _from_fixed(lines: Iterable[str], source: str) -> Iterator[_Code]:
    current: _Code | None = None
    for number, raw in enumerate(lines, start=1):
        record = raw.rstrip("\r\n")
        if not record.strip():
            continue
        if len(record) < FIELDS["action"][1]:
            raise ImportFailed(
                f"{source}, line {number}: record is {len(record)} characters; the HCPCS "
                f"record layout needs at least {FIELDS['action'][1]}"
            )
        recid = cut(record, "recid")
        code = cut(record, "hcpc")
        if recid in ("3", "7"):
            if current is not None:
                yield current
            current = _Code(number, {name: cut(record, name) for name in FIELDS})
            current.long_parts.append(cut(record, "long"))
        elif recid in ("4", "8"):
            first_id = "3" if recid == "4" else "7"
            if current is None or (current.fields["hcpc"], current.fields["recid"]) != (
                code,
                first_id,
            ):
                raise ImportFailed(
                    f"{source}, line {number}: continuation of {code!r} without its first record"
                )
            current.long_parts.append(cut(record, "long"))
        else:
            raise ImportFailed(f"{source}, line {number}: unknown record identification {recid!r}")
    if current is not None:
        yield current


def _from_csv(lines: Iterable[str], source: str) -> Iterator[_Code]:
    reader = csv.DictReader(lines)
    header = reader.fieldnames or []
    missing = [n for n in ("HCPC", "LONG_DESCRIPTION", "ADD_DT", "TERM_DT") if n not in header]
    if missing:
        raise ImportFailed(f"{source}, line 1: missing column(s): {', '.join(missing)}")
    for row in reader:
        recid = (row.get("RECID") or "3").strip()
        if recid not in ("3", "4", "7", "8"):
            raise ImportFailed(f"{source}, line {reader.line_num}: unknown record id {recid!r}")
        if recid not in ("3", "7"):
            continue  # the CSV form repeats the whole description on the first record
        values = {ours: (row.get(theirs) or "").strip() for theirs, ours in _CSV_NAMES.items()}
        values["recid"] = recid
        code = _Code(reader.line_num, values)
        code.long_parts.append(values["long"])
        yield code


def _entry(code: _Code, source: str) -> CodeEntry:
    values = code.fields
    hcpc = values["hcpc"].upper()
    if values["recid"] == "7":
        if len(hcpc) != 2 or not hcpc.isalnum():
            raise ImportFailed(f"{source}, line {code.line}: not a modifier: {hcpc!r}")
    elif not is_hcpcs_level2(hcpc):
        raise ImportFailed(f"{source}, line {code.line}: not a HCPCS Level II code: {hcpc!r}")
    try:
        added = parse_date(values["added"])
        term = parse_date(values["term"])
        parse_date(values.get("action_effective", ""))
    except ValueError as exc:
        raise ImportFailed(f"{source}, line {code.line}: {hcpc}: {exc}") from None
    attributes = {k: values[k] for k in _KEPT if values.get(k)}
    attributes["short_description"] = values.get("short", "")
    return CodeEntry(
        hcpc,
        " ".join(" ".join(p for p in code.long_parts if p).split()),
        DEACTIVATED if term else CURRENT,
        added,
        term,
        attributes,
    )
