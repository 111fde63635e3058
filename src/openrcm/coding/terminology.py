"""What the coding pipeline needs to know about ICD-10-CM, as a narrow interface.

Why an interface of its own: the pipeline needs a handful of facts per code (title, billable,
the codes named by its Excludes1 / code first / use additional code notes, its billable
descendants) and a walk over the Alphabetic Index and tabular terms to build its lexicon. The
code-set service (:mod:`openrcm.codesets`) answers all of these; keeping the pipeline on this
small protocol lets tests use a hand-made terminology and lets the adapter in
:mod:`openrcm.coding.codesets_adapter` absorb changes in the code-set API.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

_CODE_REF = re.compile(
    r"\b([A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)(?:-(?:\s*([A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?))?)?"
)


@dataclass(frozen=True, slots=True)
class CodeFacts:
    """The tabular facts about one code the guideline rules use.

    Attributes:
        code: dotted ICD-10-CM code.
        title: tabular title.
        billable: True when the code may be reported as is.
        excludes1: code prefixes the code's Excludes1 notes name (inherited ones included).
        code_first: code prefixes a "code first" note names (the code is a manifestation or
            secondary code when this is not empty and ``manifestation`` is True).
        use_additional: code prefixes a "use additional code" note names.
        manifestation: True when the code may never be first-listed (its title is printed in
            italics in the tabular list, i.e. it carries a "code first" note for an etiology).
        billable_children: billable descendants, most general first (for a header code).
        seventh: the 7th characters the code takes, empty when none.
    """

    code: str
    title: str
    billable: bool
    excludes1: tuple[str, ...] = ()
    code_first: tuple[str, ...] = ()
    use_additional: tuple[str, ...] = ()
    manifestation: bool = False
    billable_children: tuple[str, ...] = ()
    seventh: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """One Alphabetic Index term with a code or a cross reference.

    Attributes:
        path: titles from the main term down (``("Diabetes, diabetic", "type 2", "with",
            "chronic kidney disease")``).
        nonessential: nonessential modifiers of the last term, without parentheses.
        code: the code given (may be a category the tabular completes), or empty.
        see: a ``see`` reference (``Pain, abdominal``), or empty.
        see_also: a ``see also`` reference (``Hemorrhage`` under ``Bleeding``), or empty;
            where the term has no code, the coder takes the code of the term it names.
    """

    path: tuple[str, ...]
    nonessential: tuple[str, ...]
    code: str
    see: str = ""
    see_also: str = ""


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of a table of the index: a site of the Table of Neoplasms or a substance of the
    Table of Drugs and Chemicals.

    Attributes:
        path: site or substance titles (``("liver", "primary")``, ``("Corticosteroid",
            "topical NEC")``; for neoplasms, below the table's main term).
        nonessential: nonessential modifiers of the last title, without parentheses.
        cells: (column heading, code) pairs: ``("Malignant Secondary", "C78.7")``,
            ``("Adverse effect", "T46.2X5")``.
    """

    path: tuple[str, ...]
    nonessential: tuple[str, ...]
    cells: tuple[tuple[str, str], ...]


class Terminology(Protocol):
    """The ICD-10-CM questions the coding pipeline asks, for one date of service."""

    @property
    def release(self) -> str:
        """Name of the release answering (``FY2026``)."""
        ...

    def facts(self, code: str) -> CodeFacts | None:
        """Facts about ``code``, or None when it does not exist in the release."""
        ...

    def index_entries(self) -> Iterable[IndexEntry]:
        """Every Alphabetic Index term that carries a code or a ``see`` reference."""
        ...

    def tabular_terms(self) -> Iterable[tuple[str, str]]:
        """(term, code) for every billable code's title and inclusion terms."""
        ...

    def neoplasm_rows(self) -> Iterable[TableRow]:
        """Every site row of the Table of Neoplasms that gives a code."""
        ...

    def drug_rows(self) -> Iterable[TableRow]:
        """Every substance row of the Table of Drugs and Chemicals that gives a code."""
        ...

    def external_cause_entries(self) -> Iterable[IndexEntry]:
        """Every External Cause Index term that carries a code or a ``see`` reference."""
        ...


def code_refs(text: str) -> tuple[str, ...]:
    """Code prefixes mentioned in a note text: ``"diabetes (E10.-)"`` -> ``("E10",)``."""
    out = []
    for m in _CODE_REF.finditer(text):
        first = m.group(1).rstrip(".")
        last = m.group(2)
        if last:
            # a range (N18.1-N18.6): the common prefix covers it
            a, b = first.replace(".", ""), last.replace(".", "")
            common = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), 0)
            first = a[: max(3, common)]
        out.append(first)
    return tuple(out)


def covered_by(code: str, prefixes: Iterable[str]) -> bool:
    """True when ``code`` falls under one of the code prefixes (``E11.9`` under ``E11``)."""
    bare = code.replace(".", "")
    return any(bare.startswith(p.replace(".", "")) for p in prefixes)


@dataclass(frozen=True, slots=True)
class MemoryTerminology:
    """A terminology held in plain mappings: small practice-specific sets and tests.

    Attributes:
        name: release name.
        codes: code -> facts.
        index: Alphabetic Index entries.
        terms: (term, code) tabular terms; titles of billable codes are added automatically.
        neoplasms: Table of Neoplasms rows.
        drugs: Table of Drugs and Chemicals rows.
        external_causes: External Cause Index entries.
    """

    name: str
    codes: Mapping[str, CodeFacts]
    index: tuple[IndexEntry, ...] = ()
    terms: tuple[tuple[str, str], ...] = ()
    neoplasms: tuple[TableRow, ...] = ()
    drugs: tuple[TableRow, ...] = ()
    external_causes: tuple[IndexEntry, ...] = ()

    @property
    def release(self) -> str:
        return self.name

    def facts(self, code: str) -> CodeFacts | None:
        return self.codes.get(code)

    def index_entries(self) -> Iterable[IndexEntry]:
        return iter(self.index)

    def tabular_terms(self) -> Iterable[tuple[str, str]]:
        yield from self.terms
        for code, facts in self.codes.items():
            if facts.billable:
                yield facts.title, code

    def neoplasm_rows(self) -> Iterable[TableRow]:
        return iter(self.neoplasms)

    def drug_rows(self) -> Iterable[TableRow]:
        return iter(self.drugs)

    def external_cause_entries(self) -> Iterable[IndexEntry]:
        return iter(self.external_causes)
