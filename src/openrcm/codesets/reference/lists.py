"""The shipped code lists, and ``load(kind, home)`` which prefers an imported release.

Each shipped list is read once per process and shared (``CodeList`` is read-only).

Shipped (``data/``, see SOURCES.md there): HCPCS Level II July 2024 with its NOC list, Level II
modifiers, place of service 2024, CARC and RARC (X12 lists of 2026-08-17 for status and text,
with start/stop dates from the 2024 list where it has them), claim adjustment group codes,
claim status codes and categories, NUCC taxonomy 25.1 and the UB-04 value lists (revenue
codes, point of origin / admit source, admission type, patient discharge status, POA).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

from openrcm.codesets.edits.store import open_text
from openrcm.codesets.reference.codelist import (
    CURRENT,
    DEACTIVATED,
    UNASSIGNED,
    CodeEntry,
    CodeList,
)

DATA = Path(__file__).parent / "data"


def _rows(name: str) -> Iterator[dict[str, str]]:
    with open_text(DATA / name) as stream:
        text = stream.read().replace("\r\n", "\n")
    # latin-1 read of UTF-8 files: re-decode so descriptions keep their dashes and quotes
    decoded = text.encode("latin-1").decode("utf-8-sig")
    yield from csv.DictReader(decoded.splitlines())


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _x12_adjustment(kind: str, x12_file: str) -> CodeList:
    dated = {
        r["adj_code"]: r
        for r in _rows("carc_rarc_group_codes_northstar_2024.csv.gz")
        if r["adj_type"] == kind.upper()
    }
    entries = []
    for row in _rows(x12_file):
        extra = dated.get(row["code"], {})
        stop = _date(extra.get("adj_end_date"))
        attributes = {"last_modified": extra.get("adj_last_modified", "")}
        if extra.get("adj_notes"):
            attributes["notes"] = extra["adj_notes"]
        entries.append(
            CodeEntry(
                row["code"],
                row["description"],
                DEACTIVATED if row["status"] == "deactivated" else CURRENT,
                _date(extra.get("adj_start_date")),
                stop - timedelta(days=1) if stop else None,
                {k: v for k, v in attributes.items() if v},
            )
        )
    return CodeList(kind, "X12 2026-08-17", entries)


@cache
def carc() -> CodeList:
    """Claim adjustment reason codes; ``end`` is the day before X12's stop date."""
    return _x12_adjustment("carc", "carc_x12_2026-08-17.csv")


@cache
def rarc() -> CodeList:
    """Remittance advice remark codes; ``end`` is the day before X12's stop date."""
    return _x12_adjustment("rarc", "rarc_x12_2026-08-17.csv")


@cache
def group_codes() -> CodeList:
    """Claim adjustment group codes. CR is not in the 005010 code list (CAS01 allows CO, OA,
    PI, PR), so it is kept as deactivated."""
    entries = [
        CodeEntry(
            r["adj_code"],
            r["adj_description"],
            DEACTIVATED if r["adj_code"] == "CR" else CURRENT,
        )
        for r in _rows("carc_rarc_group_codes_northstar_2024.csv.gz")
        if r["adj_type"] == "Group"
    ]
    return CodeList("group", "X12 2024", entries)


@cache
def claim_status() -> CodeList:
    """Health care claim status codes (X12 code list 508)."""
    rows = _rows("claim_status_codes_508_opendental_2024.csv")
    return CodeList(
        "claim-status", "X12 2024", (CodeEntry(r["code"], r["description"]) for r in rows)
    )


@cache
def claim_status_category() -> CodeList:
    """Health care claim status category codes (X12 code list 507)."""
    rows = _rows("claim_status_category_codes_507_opendental_2024.csv")
    return CodeList(
        "claim-status-category", "X12 2024", (CodeEntry(r["code"], r["description"]) for r in rows)
    )


_EFFECTIVE = re.compile(r"\(Effective ([A-Z][a-z]+ \d{1,2}, \d{4})\)")


def effective_in_text(text: str) -> date | None:
    """The date of CMS's "(Effective October 1, 2003)" note in a POS description, if any."""
    match = _EFFECTIVE.search(text)
    if not match:
        return None
    return datetime.strptime(match[1], "%B %d, %Y").date()


@cache
def place_of_service() -> CodeList:
    """Place of service codes 2024: 99 numbers, unassigned ones marked, facility flag kept."""
    with (DATA / "pos_codes_samhogg.json").open(encoding="utf-8") as stream:
        dated = {
            r["placeOfServiceCode"]: effective_in_text(r["placeOfServiceDescription"])
            for r in json.load(stream)
        }
    entries = []
    for r in _rows("place_of_service_codes_northstar_2024.csv"):
        kind = r["pos_type"]
        status = UNASSIGNED if kind == "Unassigned" else CURRENT
        attributes = {"name": r["pos_name"]}
        if status == CURRENT:
            attributes["facility"] = "Y" if kind == "Facility" else "N"
        entries.append(
            CodeEntry(
                r["pos_code"],
                r["pos_description"] or r["pos_name"],
                status,
                dated.get(r["pos_code"]),
                None,
                attributes,
            )
        )
    return CodeList("pos", "CMS 2024", entries)


@cache
def modifiers() -> CodeList:
    """HCPCS Level II modifiers (384), with CMS's notes where it has them.

    CPT modifiers are the AMA's and are not included.
    """
    notes = {r["modifier"]: r for r in _rows("modifier_additional_info_northstar.csv")}
    entries: dict[str, CodeEntry] = {}
    for r in _rows("hcpcs_level2_modifiers_northstar.csv"):
        attributes = {
            k.removeprefix("mod_"): v
            for k, v in r.items()
            if k not in ("mod_code", "mod_description") and v
        }
        note = notes.get(r["mod_code"])
        if note:
            attributes["note"] = note["description"]
            if note["type"]:
                attributes["note_category"] = note["type"]
            if note["references"]:
                attributes["references"] = note["references"]
        earlier = entries.get(r["mod_code"])
        if earlier is not None and "category" in earlier.attributes:
            # KX is listed once per category ("General", "Therapy"): keep both
            attributes["category"] = f"{earlier.attributes['category']}; {attributes['category']}"
        entries[r["mod_code"]] = CodeEntry(
            r["mod_code"], r["mod_description"], attributes=attributes
        )
    return CodeList("modifier", "HCPCS 2024", entries.values())


@cache
def taxonomy() -> CodeList:
    """NUCC Health Care Provider Taxonomy 25.1 (883 codes)."""
    return CodeList("taxonomy", "NUCC 25.1", taxonomy_entries(_rows("nucc_taxonomy_251.csv.gz")))


def taxonomy_entries(rows: Iterator[dict[str, str]]) -> Iterator[CodeEntry]:
    """Entries from rows with NUCC's column names (Code, Grouping, ..., Display Name)."""
    for r in rows:
        name = r.get("Display Name") or " ".join(
            x for x in (r["Classification"], r["Specialization"]) if x
        )
        attributes = {
            "grouping": r["Grouping"],
            "classification": r["Classification"],
            "specialization": r["Specialization"],
            "section": r.get("Section", ""),
            "definition": r.get("Definition", ""),
        }
        yield CodeEntry(r["Code"], name, attributes={k: v for k, v in attributes.items() if v})


@cache
def hcpcs() -> CodeList:
    """HCPCS Level II, July 2024 (8,033 codes): added and termination dates, CMS fields, NOC.

    ``end`` is the termination date (the last day the code may be used).
    """
    noc = {r["hcpcs"] for r in _rows("hcpcs_level2_noc_codes_2024_northstar.csv")}
    fields = ("price", "multi", "cov", "betos", "tos", "action", "asc_grp", "anes", "xref")
    entries = []
    for r in _rows("hcpcs_level2_2024Q3_northstar.csv.gz"):
        attributes = {k: r[k] for k in fields if r[k]}
        attributes["short_description"] = r["short_description"]
        if r["hcpcs_code"] in noc:
            attributes["noc"] = "Y"
        end = _date(r["date_term"])
        entries.append(
            CodeEntry(
                r["hcpcs_code"],
                r["long_description"],
                DEACTIVATED if end else CURRENT,
                _date(r["date_added"]),
                end,
                attributes,
            )
        )
    return CodeList("hcpcs", "HCPCS 2024-07", entries)


def _ub04(kind: str, name: str, release: str) -> Callable[[], CodeList]:
    def load() -> CodeList:
        texts: dict[str, list[str]] = {}
        for r in _rows(f"ub04/{name}.csv"):
            seen = texts.setdefault(r["code"], [])
            if r["description"] not in seen:
                seen.append(r["description"])  # a few revenue codes are listed twice
        entries = (CodeEntry(code, " / ".join(t)) for code, t in texts.items())
        return CodeList(kind, release, entries)

    load.__doc__ = f"UB-04 {kind.replace('-', ' ')} codes (NUBC values via CMS/Tuva)."
    return cache(load)


SHIPPED: dict[str, Callable[[], CodeList]] = {
    "hcpcs": hcpcs,
    "modifier": modifiers,
    "pos": place_of_service,
    "carc": carc,
    "rarc": rarc,
    "group": group_codes,
    "claim-status": claim_status,
    "claim-status-category": claim_status_category,
    "taxonomy": taxonomy,
    "revenue": _ub04("revenue", "revenue_code", "NUBC via Tuva"),
    "admit-source": _ub04("admit-source", "admit_source", "NUBC via Tuva"),
    "admit-type": _ub04("admit-type", "admit_type", "NUBC via Tuva"),
    "patient-status": _ub04("patient-status", "discharge_disposition", "NUBC via Tuva"),
    "poa": _ub04("poa", "present_on_admission", "CMS via Tuva"),
}
"""Every list kind and the function that reads its shipped release."""

KINDS = (*SHIPPED, "cpt")


def reference_dir(home: Path) -> Path:
    """The folder under ``home`` holding imported code lists."""
    return home / "codesets" / "reference"


def load(kind: str, home: Path | None = None) -> CodeList:
    """The code list ``kind``: the imported release under ``home`` if any, else the shipped one.

    ``cpt`` is never shipped: without an import it is an empty list (shape checks still work
    through ``formats.cpt_category``).

    Raises:
        KeyError: unknown kind.
    """
    if kind not in KINDS:
        raise KeyError(f"unknown code list {kind!r}; expected one of {', '.join(KINDS)}")
    if home is not None:
        imported = reference_dir(home) / f"{kind}.json"
        if imported.exists():
            return CodeList.from_json(imported.read_bytes())
    if kind == "cpt":
        return CodeList("cpt", "none imported", ())
    return SHIPPED[kind]()
