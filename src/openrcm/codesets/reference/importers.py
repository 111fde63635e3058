"""Importers for the official code-list files, and for a user's licensed CPT file.

Accepted layouts (every importer checks the whole file before it writes anything, and writes
``<home>/codesets/reference/<kind>.json`` through a temporary file and a rename):

* ``carc``, ``rarc`` — X12 code list CSV (or tab/pipe): a header line with ``Code`` and
  ``Description``; optional ``Status`` (current/deactivated), ``Start Date``, ``Last Modified``
  and ``Stop Date`` / ``Deactivation Date`` columns. A stop date makes the code deactivated from
  that day; dates as YYYY-MM-DD, MM/DD/YYYY or YYYYMMDD.
* ``taxonomy`` — NUCC taxonomy CSV (``Code, Grouping, Classification, Specialization,
  Definition, Notes, Display Name, Section``).
* ``pos`` — CMS place-of-service table as CSV: ``Code`` (or ``Place of Service Code(s)``),
  ``Name`` (``Place of Service Name``), optional ``Description``, ``Type``/``Facility``
  (Facility / Non-Facility / Unassigned) and ``Effective Date``.
* ``hcpcs`` — CMS HCPCS annual/quarterly file, the fixed-width ``HCPC20xx_CONTR_ANWEB`` record
  (see ``hcpcs_fixed.py``), or its CSV form with the record layout's field names as headers
  (``HCPC``, ``LONG_DESCRIPTION``, ``SHORT_DESCRIPTION``, ``ADD_DT``, ``ACT_EFF_DT``,
  ``TERM_DT``, ``ACTION_CD``, ...).
* ``cpt`` — a CPT file the user is licensed for, one code per line: ``code<TAB>descriptor``,
  ``code|descriptor`` or ``code descriptor`` (the AMA's LONGULT/MEDU/SHORTU text files), more
  delimited columns ignored, leading header or copyright lines skipped. openrcm ships no CPT
  descriptors; imported ones stay in the user's ``home``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from functools import partial
from pathlib import Path

from openrcm.codesets.edits.codes import parse_date
from openrcm.codesets.edits.store import open_text, write_atomically
from openrcm.codesets.importers import Importer, ImportFailed, ImportSummary
from openrcm.codesets.reference.codelist import (
    CURRENT,
    DEACTIVATED,
    UNASSIGNED,
    CodeEntry,
    CodeList,
)
from openrcm.codesets.reference.formats import cpt_category, read_table
from openrcm.codesets.reference.hcpcs_fixed import read_hcpcs
from openrcm.codesets.reference.lists import reference_dir, taxonomy_entries


def _date(text: str, source: str, line: int) -> date | None:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise ImportFailed(f"{source}, line {line}: {exc}") from None


def read_x12_list(kind: str, lines: Iterable[str], source: str) -> list[CodeEntry]:
    """CARC or RARC entries from an X12 code list table."""
    columns = {
        "code": ("code", "reason code", "remark code", "carc", "rarc"),
        "description": ("description", "desc", "text"),
        "status": ("status",),
        "start": ("start date", "start", "effective date"),
        "modified": ("last modified", "last modified date", "modified"),
        "stop": ("stop date", "stop", "deactivation date", "end date"),
    }
    entries = []
    for row in read_table(lines, source, columns, ("code", "description")):
        v = row.values
        code = v["code"]
        if not code or len(code) > 6 or not code.isalnum():
            raise ImportFailed(f"{source}, line {row.line}: not a {kind.upper()} code: {code!r}")
        status = v.get("status", "").lower() or CURRENT
        if status not in (CURRENT, DEACTIVATED):
            raise ImportFailed(f"{source}, line {row.line}: unknown status {v['status']!r}")
        stop = _date(v.get("stop", ""), source, row.line)
        if stop is not None:
            status = DEACTIVATED
        modified = v.get("modified", "")
        entries.append(
            CodeEntry(
                code.upper(),
                v["description"],
                status,
                _date(v.get("start", ""), source, row.line),
                stop - timedelta(days=1) if stop else None,
                {"last_modified": modified} if modified else {},
            )
        )
    return entries


def read_taxonomy(lines: Iterable[str], source: str) -> list[CodeEntry]:
    """NUCC taxonomy entries; the code must be 10 characters ending in X."""
    names = ("code", "grouping", "classification", "specialization", "definition")
    columns = {n: (n,) for n in names}
    columns |= {"display": ("display name",), "section": ("section",)}
    rows = []
    for row in read_table(lines, source, columns, ("code", "grouping", "classification")):
        code = row.values["code"]
        if len(code) != 10 or not code.endswith("X") or not code.isalnum():
            raise ImportFailed(f"{source}, line {row.line}: not a NUCC taxonomy code: {code!r}")
        v = row.values
        rows.append(
            {
                "Code": code,
                "Grouping": v["grouping"],
                "Classification": v["classification"],
                "Specialization": v.get("specialization", ""),
                "Definition": v.get("definition", ""),
                "Display Name": v.get("display", ""),
                "Section": v.get("section", ""),
            }
        )
    return list(taxonomy_entries(iter(rows)))


def read_pos(lines: Iterable[str], source: str) -> list[CodeEntry]:
    """Place-of-service entries from CMS's table saved as CSV."""
    columns = {
        "code": ("code", "pos code", "place of service code", "place of service code s", "pos"),
        "name": ("name", "pos name", "place of service name"),
        "description": ("description", "place of service description", "pos description"),
        "type": ("type", "pos type", "facility", "facility type"),
        "effective": ("effective date", "effective"),
    }
    entries = []
    for row in read_table(lines, source, columns, ("code", "name")):
        v = row.values
        code = v["code"].zfill(2)
        if len(code) != 2 or not code.isdigit():
            raise ImportFailed(f"{source}, line {row.line}: not a place of service code: {code!r}")
        kind = v.get("type", "").lower()
        unassigned = kind == "unassigned" or v["name"].lower() == "unassigned"
        attributes = {"name": v["name"]}
        if kind in ("facility", "non-facility", "y", "n"):
            attributes["facility"] = "Y" if kind in ("facility", "y") else "N"
        entries.append(
            CodeEntry(
                code,
                v.get("description") or v["name"],
                UNASSIGNED if unassigned else CURRENT,
                _date(v.get("effective", ""), source, row.line),
                None,
                attributes,
            )
        )
    return entries


def read_cpt(lines: Iterable[str], source: str) -> list[CodeEntry]:
    """CPT codes and descriptors from a user's licensed file (layouts in the module doc)."""
    entries: dict[str, CodeEntry] = {}
    started = False
    for number, raw in enumerate(lines, start=1):
        line = raw.removeprefix("\ufeff").rstrip("\r\n")
        if not line.strip():
            continue
        if "\t" in line:
            code, _, rest = line.partition("\t")
            descriptor = rest.split("\t")[0]
        elif "|" in line:
            code, _, rest = line.partition("|")
            descriptor = rest.split("|")[0]
        else:
            code, _, descriptor = line.partition(" ")
        code = code.strip().strip('"').upper()
        descriptor = descriptor.strip().strip('"')
        if cpt_category(code) is None:
            if not started and number <= 30:
                continue  # header or copyright lines before the first code
            raise ImportFailed(f"{source}, line {number}: not a CPT code: {code[:12]!r}")
        started = True
        if not descriptor:
            raise ImportFailed(f"{source}, line {number}: code {code} has no descriptor")
        if code in entries:
            raise ImportFailed(f"{source}, line {number}: code {code} appears twice")
        entries[code] = CodeEntry(
            code, descriptor, attributes={"category": str(cpt_category(code))}
        )
    if not entries:
        raise ImportFailed(f"{source}: no CPT codes found")
    return list(entries.values())


READERS: dict[str, Callable[[Iterable[str], str], list[CodeEntry]]] = {
    "carc": partial(read_x12_list, "carc"),
    "rarc": partial(read_x12_list, "rarc"),
    "taxonomy": read_taxonomy,
    "pos": read_pos,
    "cpt": read_cpt,
}

_DESCRIPTIONS = {
    "carc": "X12 claim adjustment reason codes (code list CSV)",
    "rarc": "X12 remittance advice remark codes (code list CSV)",
    "taxonomy": "NUCC health care provider taxonomy (CSV)",
    "pos": "CMS place of service codes (CSV)",
    "hcpcs": "CMS HCPCS Level II annual/quarterly file (fixed-width record or CSV)",
    "cpt": "your licensed CPT file (tab, pipe or space after the code)",
}


def import_list(kind: str, path: Path, home: Path) -> ImportSummary:
    """Read and check ``path`` as a ``kind`` list, then make it the list ``load`` returns."""
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file")
    with open_text(path) as stream:
        entries = READERS[kind](stream, path.name)
    if not entries:
        raise ImportFailed(f"{path.name}: no codes found")
    codes = CodeList(kind, path.stem, entries)
    write_atomically(reference_dir(home) / f"{kind}.json", codes.to_json())
    return ImportSummary(kind, codes.release, len(codes))


def import_hcpcs(path: Path, home: Path) -> ImportSummary:
    """Import CMS's HCPCS file: its procedure codes, and its modifiers when it has any."""
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file")
    with open_text(path) as stream:
        codes, modifiers = read_hcpcs(stream, path.name)
    if not codes:
        raise ImportFailed(f"{path.name}: no HCPCS procedure codes found")
    hcpcs = CodeList("hcpcs", path.stem, codes)
    notes: tuple[str, ...] = ()
    if modifiers:
        mods = CodeList("modifier", path.stem, modifiers)
        write_atomically(reference_dir(home) / "modifier.json", mods.to_json())
        notes = (f"{len(mods)} modifiers replace the modifier list",)
    write_atomically(reference_dir(home) / "hcpcs.json", hcpcs.to_json())
    return ImportSummary("hcpcs", hcpcs.release, len(hcpcs), notes)


def importers() -> list[Importer]:
    """The code-list importers, for ``openrcm.codesets.importers.registry``."""
    found = [Importer(kind, _DESCRIPTIONS[kind], partial(import_list, kind)) for kind in READERS]
    found.append(Importer("hcpcs", _DESCRIPTIONS["hcpcs"], import_hcpcs))
    return found
