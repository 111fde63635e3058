"""Readers for the NCCI files in the layouts CMS publishes and in the column layout shipped here.

Every reader takes the file's lines and a ``source`` name, checks every row, and raises
``ImportFailed`` naming the file and line of the first bad one, so nothing half-read is ever
compiled. Layouts:

* PTP, CMS quarterly text file (tab-delimited, after a few header lines): Column 1, Column 2,
  ``*`` = in existence prior to 1996, Effective Date YYYYMMDD, Deletion Date YYYYMMDD or ``*``,
  Modifier 0/1/9, PTP Edit Rationale.
* PTP, column layout (``column1,column2,deletion_date,modifier_indicator,ptp_edit_rationale``),
  the form of the 2024-07-01 tables shipped in ``data/``; it has no effective dates.
* MUE, CMS quarterly CSV (after copyright lines): HCPCS/CPT Code, <setting> MUE Values,
  MUE Adjudication Indicator (``2 Date of Service Edit: Policy`` or a bare digit), MUE Rationale;
  and the column layout ``hcpcs_code,mue_units,mue_mai,mue_rationale,mue_service``.
* AOC, CMS fixed-width text record: position 1 edit type, 2-6 add-on code, 7-13 primary code
  effective date (YYYYDDD), 14-18 primary code (``CCCCC`` = contractor defined), 19-25 primary
  code deletion date, 26-32 add-on code effective date, 33-39 add-on code deletion date; and the
  column layout ``primary_code,add_on_code,aoc_edit_type``; and CMS's spreadsheet form saved
  as CSV / tab-delimited text (columns found by name: Add-on Code, Primary Code, AOC Edit Type,
  and the effective / deletion dates of the add-on code, primary code or pair).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import date

from openrcm.codesets.edits.aoc import CONTRACTOR_DEFINED, AocEdit, check_edit
from openrcm.codesets.edits.codes import NO_END, is_procedure_code, parse_date
from openrcm.codesets.edits.mue import check_row
from openrcm.codesets.edits.ptp import PtpBuilder
from openrcm.codesets.importers import ImportFailed
from openrcm.codesets.reference.formats import normalise, read_table

PTP_COLUMNS = ["column1", "column2", "deletion_date", "modifier_indicator", "ptp_edit_rationale"]
MUE_COLUMNS = ["hcpcs_code", "mue_units", "mue_mai", "mue_rationale", "mue_service"]
AOC_COLUMNS = ["primary_code", "add_on_code", "aoc_edit_type"]
_MAX_HEADER_LINES = 30


def _fail(source: str, line: int, what: str) -> ImportFailed:
    return ImportFailed(f"{source}, line {line}: {what}")


class _Dates:
    """Parses the few distinct date strings of a file once each."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, bool], date | None] = {}

    def __call__(self, text: str, *, end: bool = False) -> date | None:
        try:
            return self._seen[text, end]
        except KeyError:
            value = parse_date(text)
            if end and value == NO_END:
                value = None
            self._seen[text, end] = value
            return value


def _strip_bom(lines: Iterable[str]) -> Iterator[str]:
    first = True
    for line in lines:
        if first:
            line = line.removeprefix("\ufeff")
            first = False
        yield line


def read_ptp(lines: Iterable[str], source: str, builder: PtpBuilder) -> None:
    """Add the rows of a PTP file in either layout to ``builder`` (layout chosen by its head)."""
    it = iter(lines)
    first = next(it, None)
    if first is None:
        raise _fail(source, 1, "the file is empty")
    first = first.removeprefix("\ufeff")
    if next(csv.reader([first])) == PTP_COLUMNS:
        _read_ptp_columns(it, source, builder)
    else:
        _read_ptp_cms(first, it, source, builder)


def _read_ptp_columns(lines: Iterator[str], source: str, builder: PtpBuilder) -> None:
    dates = _Dates()
    for number, row in enumerate(csv.reader(lines), start=2):
        if not row:
            continue
        if len(row) != 5:
            raise _fail(source, number, f"expected 5 columns {PTP_COLUMNS}, found {len(row)}")
        try:
            builder.add(row[0], row[1], None, dates(row[2], end=True), int(row[3]), row[4])
        except ValueError as exc:
            raise _fail(source, number, str(exc)) from None


def _read_ptp_cms(first: str, lines: Iterator[str], source: str, builder: PtpBuilder) -> None:
    dates = _Dates()
    started = False
    for number, line in enumerate(_chain(first, lines), start=1):
        fields = line.rstrip("\r\n").split("\t")
        is_data = len(fields) >= 6 and is_procedure_code(fields[0].strip())
        if not started:
            if not is_data:
                if number > _MAX_HEADER_LINES:
                    raise _fail(source, number, "no PTP edit rows in the CMS tab-delimited layout")
                continue
            started = True
        if not line.strip():
            continue
        if not is_data:
            raise _fail(source, number, "not a PTP row (7 tab-separated fields expected)")
        if len(fields) > 7:
            raise _fail(source, number, f"expected 7 tab-separated fields, found {len(fields)}")
        prior = fields[2].strip()
        if prior not in ("", "*"):
            raise _fail(source, number, f"prior-to-1996 flag must be '*' or empty: {prior!r}")
        try:
            effective = dates(fields[3])
            if effective is None:
                raise ValueError("effective date is missing")
            builder.add(
                fields[0].strip(),
                fields[1].strip(),
                effective,
                dates(fields[4], end=True),
                int(fields[5]),
                fields[6].strip() if len(fields) > 6 else "",
                prior == "*",
            )
        except ValueError as exc:
            raise _fail(source, number, str(exc)) from None
    if not started:
        raise _fail(source, 1, "no PTP edit rows in the file")


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def read_mue(lines: Iterable[str], source: str) -> dict[str, tuple[int, int, str]]:
    """The MUE rows of a file in either layout: code -> (units, MAI, rationale)."""
    reader = csv.reader(_strip_bom(lines))
    limits: dict[str, tuple[int, int, str]] = {}
    started = False
    for row in reader:
        number = reader.line_num
        if number == 1 and [c.strip() for c in row] == MUE_COLUMNS:
            started = True
            continue
        is_data = len(row) >= 3 and is_procedure_code(row[0].strip())
        if not started:
            if not is_data:
                if number > _MAX_HEADER_LINES:
                    raise _fail(source, number, "no MUE rows in the CMS layout")
                continue
            started = True
        if not any(c.strip() for c in row):
            continue
        if not is_data:
            raise _fail(source, number, "not an MUE row (code, value, MAI, rationale expected)")
        code = row[0].strip().upper()
        try:
            units = int(row[1])
            mai_text = row[2].strip()
            mai = int(mai_text[:1]) if mai_text[:1].isdigit() else int(mai_text)
            check_row(code, units, mai)
        except ValueError as exc:
            raise _fail(source, number, str(exc)) from None
        if code in limits:
            raise _fail(source, number, f"code {code} appears twice")
        limits[code] = (units, mai, row[3].strip() if len(row) > 3 else "")
    if not limits:
        raise _fail(source, max(reader.line_num, 1), "no MUE rows in the file")
    return limits


def read_aoc(lines: Iterable[str], source: str) -> list[AocEdit]:
    """The AOC rows of a file in either layout."""
    it = iter(_strip_bom(lines))
    first = next(it, None)
    if first is None:
        raise _fail(source, 1, "the file is empty")
    if next(csv.reader([first])) == AOC_COLUMNS:
        edits = _read_aoc_columns(it, source)
    elif "add on code" in normalise(first):
        edits = _read_aoc_table(_chain(first, it), source)
    else:
        edits = _read_aoc_fixed(_chain(first, it), source)
    if not edits:
        raise _fail(source, 1, "no add-on code rows in the file")
    return edits


def _read_aoc_columns(lines: Iterator[str], source: str) -> list[AocEdit]:
    edits = []
    for number, row in enumerate(csv.reader(lines), start=2):
        if not row:
            continue
        if len(row) != 3:
            raise _fail(source, number, f"expected 3 columns {AOC_COLUMNS}, found {len(row)}")
        try:
            edit = AocEdit(row[1].strip(), row[0].strip(), int(row[2]))
            check_edit(edit)
        except ValueError as exc:
            raise _fail(source, number, str(exc)) from None
        edits.append(edit)
    return edits


_AOC_TABLE_COLUMNS = {
    "addon": ("add on code", "addon code", "add on code hcpcs cpt"),
    "primary": ("primary code", "primary code hcpcs cpt"),
    "type": ("aoc edit type", "edit type", "aoc type"),
    "primary_effective": ("primary code effective date",),
    "primary_deletion": ("primary code deletion date", "primary code termination date"),
    "effective": ("aoc edit effective date", "add on code effective date", "effective date"),
    "deletion": (
        "aoc edit deletion date",
        "add on code deletion date",
        "add on code termination date",
        "deletion date",
    ),
}


def _read_aoc_table(lines: Iterable[str], source: str) -> list[AocEdit]:
    """The spreadsheet form of CMS's AOC file saved as CSV or tab-delimited text."""
    edits = []
    required = ("addon", "primary", "type")
    for row in read_table(lines, source, _AOC_TABLE_COLUMNS, required):
        v = row.values
        try:
            starts = [
                d
                for d in (parse_date(v.get(k, "")) for k in ("effective", "primary_effective"))
                if d
            ]
            ends = [
                d
                for d in (parse_date(v.get(k, "")) for k in ("deletion", "primary_deletion"))
                if d and d != NO_END
            ]
            edit = AocEdit(
                addon=v["addon"].upper(),
                primary=v["primary"].upper(),
                edit_type=int(v["type"]),
                effective=max(starts) if starts else None,
                deletion=min(ends) if ends else None,
            )
            check_edit(edit)
        except ValueError as exc:
            raise _fail(source, row.line, str(exc)) from None
        edits.append(edit)
    return edits


_AOC_RECORD = re.compile(
    r"^(?P<type>\d)(?P<addon>[0-9A-Za-z]{5})(?P<peff>[\d ]{7})(?P<primary>[0-9A-Za-z]{5})"
    r"(?P<pdel>[\d ]{7})(?P<aeff>[\d ]{7})(?P<adel>[\d ]{7})"
)


def _read_aoc_fixed(lines: Iterable[str], source: str) -> list[AocEdit]:
    dates = _Dates()
    edits = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        match = _AOC_RECORD.match(line)
        if match is None:
            raise _fail(source, number, "not an AOC record in CMS's fixed-width layout")
        try:
            starts = [d for d in (dates(match["peff"]), dates(match["aeff"])) if d]
            ends = [d for d in (dates(match[k], end=True) for k in ("pdel", "adel")) if d]
            primary = match["primary"].upper()
            edit = AocEdit(
                addon=match["addon"].upper(),
                primary=CONTRACTOR_DEFINED if primary == CONTRACTOR_DEFINED else primary,
                edit_type=int(match["type"]),
                effective=max(starts) if starts else None,
                deletion=min(ends) if ends else None,
            )
            check_edit(edit)
        except ValueError as exc:
            raise _fail(source, number, str(exc)) from None
        edits.append(edit)
    return edits
