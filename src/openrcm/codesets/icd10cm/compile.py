"""Compile every source of the store: parse all first, write only when all parsed.

Parsing everything before writing anything is what keeps a corrupt import from damaging the
store: the exception leaves the folder as it was.
"""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

from openrcm.codesets.icd10cm.store import Source, atomic_write, read_source
from openrcm.codesets.icd10cm.tabular import TabularData, parse_tabular


def history(tabulars: dict[str, TabularData]) -> dict[str, tuple[str, ...]]:
    """Codes missing from at least one release -> the releases (by name) that list them."""
    names = list(tabulars)
    everywhere = set.intersection(*(set(t["codes"]) for t in tabulars.values()))
    out: dict[str, list[str]] = {}
    for name in names:
        for code in tabulars[name]["codes"]:
            if code not in everywhere:
                out.setdefault(code, []).append(name)
    return {c: tuple(r) for c, r in out.items()}


def build_all(srcs: list[Source], directory: Path) -> dict[str, Any]:
    """Parse every source, then write the compiled files; returns extra manifest entries."""
    from openrcm.codesets.icd10cm.alpha_index import parse_index_source
    from openrcm.codesets.icd10cm.search_index import (
        build_search_index,
        build_spelling,
        index_documents,
    )

    tabulars: dict[str, TabularData] = {}
    for src in srcs:
        if src.kind == "tabular":
            tabulars[f"FY{src.fiscal_year}"] = parse_tabular(read_source(src.path), src.path.name)
    index_parts = {
        src.kind: parse_index_source(read_source(src.path), src.path.name, src.fmt)
        for src in srcs
        if src.kind != "tabular"
    }
    docs = index_documents(index_parts)
    searches = {name: build_search_index(tab, docs) for name, tab in tabulars.items()}
    for name, tab in tabulars.items():
        atomic_write(directory / f"{name}.tabular.marshal", marshal.dumps(tab))
        atomic_write(directory / f"{name}.search.marshal", marshal.dumps(searches[name]))
        spelling = build_spelling(searches[name]["postings"])
        atomic_write(directory / f"{name}.spelling.marshal", marshal.dumps(spelling))
    atomic_write(directory / "history.marshal", marshal.dumps(history(tabulars)))
    atomic_write(directory / "index.marshal", marshal.dumps(index_parts))
    return {
        "index": {
            src.kind: {"source": src.path.name, "fiscal_year": src.fiscal_year, "note": src.note}
            for src in srcs
            if src.kind != "tabular"
        }
    }
