"""The coding :class:`~openrcm.coding.terminology.Terminology` over :mod:`openrcm.codesets`.

A thin adapter: it asks the ICD-10-CM code set (one release, chosen by date of service) for
what the pipeline needs, and caches per code. Notes are the tabular's inherited notes, so an
Excludes1 at a category applies to every code below it, as the conventions require.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from openrcm.codesets.icd10cm import ICD10CM, CodeSetError
from openrcm.codesets.icd10cm.release import NOTES
from openrcm.coding.terminology import CodeFacts, IndexEntry, TableRow, code_refs

_NEMOD = re.compile(r"\(([^)]*)\)")


class CodesetsTerminology:
    """ICD-10-CM facts and index terms for one date of service.

    Args:
        cm: the opened code set (keep one per process: ``services.codesets.icd10cm``).
        on: date of service; None means the newest release.
    """

    def __init__(self, cm: ICD10CM, on: date | None = None) -> None:
        self._cm = cm
        self._on = on
        self._tab = cm.tabular(on)
        self._facts: dict[str, CodeFacts | None] = {}

    @property
    def release(self) -> str:
        return self._tab.release.name

    def facts(self, code: str) -> CodeFacts | None:
        if code in self._facts:
            return self._facts[code]
        try:
            info = self._cm.lookup(code, on=self._on)
        except CodeSetError:
            self._facts[code] = None
            return None
        notes: dict[str, list[str]] = {}
        for note in info.notes:
            notes.setdefault(note.kind, []).extend(code_refs(note.text))
        children: tuple[str, ...] = ()
        if not info.billable:
            children = tuple(r.code for r in self._cm.billable_descendants(info.code, on=self._on))
        facts = CodeFacts(
            code=info.code,
            title=info.title,
            billable=info.billable,
            excludes1=tuple(notes.get("excludes1", ())),
            code_first=tuple(notes.get("codeFirst", ())),
            use_additional=tuple(notes.get("useAdditionalCode", ())),
            manifestation="classified elsewhere" in info.title.lower()
            and bool(notes.get("codeFirst")),
            billable_children=children,
            seventh=tuple(s.char for s in info.seventh),
        )
        self._facts[code] = facts
        return facts

    def index_entries(self) -> Iterator[IndexEntry]:
        return self._entries("index")

    def external_cause_entries(self) -> Iterator[IndexEntry]:
        return self._entries("eindex")

    def _entries(self, part: str) -> Iterator[IndexEntry]:
        for main in self._cm.index_part(part).main_terms():
            for term in main.walk():
                if not (term.code or term.see or term.see_also):
                    continue
                nonessential = tuple(m.strip() for m in _NEMOD.findall(term.nemod))
                yield IndexEntry(term.path, nonessential, term.code, term.see, term.see_also)

    def neoplasm_rows(self) -> Iterator[TableRow]:
        # below the table's main term ("Neoplasm, neoplastic")
        return self._rows("neoplasm", 1)

    def drug_rows(self) -> Iterator[TableRow]:
        return self._rows("drug", 0)

    def _rows(self, part: str, below: int) -> Iterator[TableRow]:
        for main in self._cm.index_part(part).main_terms():
            for term in main.walk():
                # a title the index file split at a parenthesis ("cystic (bile) duct
                # (common)") left its essential words in the modifiers: not read
                whole = not _NEMOD.sub("", term.nemod).strip()
                if len(term.path) > below and whole and any(code for _, code in term.cells):
                    nonessential = tuple(m.strip() for m in _NEMOD.findall(term.nemod))
                    yield TableRow(term.path[below:], nonessential, term.cells)

    def tabular_terms(self) -> Iterator[tuple[str, str]]:
        tab = self._tab
        for code in tab.node_codes():
            yield tab.title(code), code
            for kind, texts in tab.node(code)[NOTES]:
                if kind == "inclusionTerm":
                    for text in texts:
                        yield text, code


def codes_under(cm: ICD10CM, prefix: str, on: date | None = None) -> tuple[str, ...]:
    """Every tabular code starting with ``prefix`` (dotted or not), in tabular order."""
    bare = prefix.replace(".", "").upper()
    tab = cm.tabular(on)
    return tuple(c for c in tab.node_codes() if c.replace(".", "").startswith(bare) and c != prefix)
