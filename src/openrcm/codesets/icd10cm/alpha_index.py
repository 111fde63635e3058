"""The Alphabetic Index, Table of Drugs and Chemicals, Neoplasm Table and External Cause Index.

All four are the same shape in the CDC XML (schema ``icd10cm-index-YYYY.xsd``): letters hold
main terms, main terms hold nested terms, and each term may carry ``see``, ``see also``, a code,
``manif``/``subcat``/``seecat`` and, in the two tables, one code per column (``cell``). The
bundled FY2025 Alphabetic Index is a flattened CSV (row order + level) that is read into the
same tree, so one API serves both.

Compiled form of one part (marshal-able)::

    {"version": "2025", "title": "...", "heads": ((col, heading), ...), "terms": (term, ...)}
    term = (title, nemod, see, see_also, code, manif, subcat, seecat,
            ((col, code), ...), (child term, ...))
"""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openrcm.codesets.icd10cm.errors import SourceFormatError

TITLE, NEMOD, SEE, SEE_ALSO, CODE, MANIF, SUBCAT, SEECAT, CELLS, CHILDREN = range(10)
CSV_COLUMNS = ("RowID", "Letter", "Level", "Term", "See", "SeeAlso", "NonEssModif", "Code")

TermTuple = tuple[Any, ...]
IndexPart = dict[str, Any]


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


# --- CSV (flattened FY2025 index) ------------------------------------------------------------
def parse_flattened_csv(data: bytes, source: str) -> IndexPart:
    """Rebuild the index tree from the flattened CSV (a level-0 row starts a main term)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFormatError(f"{source}: not UTF-8 text (byte {exc.start})") from exc
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header) != CSV_COLUMNS:
        raise SourceFormatError(
            f"{source}: line 1: expected the columns {', '.join(CSV_COLUMNS)}",
            hint="this reader takes the flattened index CSV; use the XML reader for CDC files",
        )
    roots: list[list[Any]] = []
    stack: list[list[Any]] = []
    for lineno, row in enumerate(reader, start=2):
        if len(row) != len(CSV_COLUMNS):
            raise SourceFormatError(f"{source}: line {lineno}: {len(row)} fields, expected 8")
        try:
            level = int(row[2])
        except ValueError as exc:
            raise SourceFormatError(f"{source}: line {lineno}: level {row[2]!r} is not a number"
                                    ) from exc
        if level > len(stack) or level < 0:
            raise SourceFormatError(
                f"{source}: line {lineno}: level {level} under level {len(stack) - 1}"
            )
        title, nemod = split_title(_clean(row[3]), _clean(row[6]))
        node: list[Any] = [title, nemod, _clean(row[4]), _clean(row[5]),
                           _clean(row[7]), "", "", "", (), []]
        del stack[level:]
        (stack[-1][CHILDREN] if stack else roots).append(node)
        stack.append(node)
    if not roots:
        raise SourceFormatError(f"{source}: no index terms")
    return {"version": "", "title": "", "heads": (), "terms": tuple(_freeze(n) for n in roots)}


_PLURAL = frozenset({"(s)", "(es)", "(ies)"})


def _groups(text: str) -> list[tuple[bool, str]]:
    """``text`` as (parenthesized, piece) runs, nested parentheses kept inside their group."""
    runs: list[tuple[bool, str]] = []
    depth = 0
    piece = ""
    for ch in text:
        if ch == "(" and depth == 0 and piece:
            runs.append((False, piece))
            piece = ""
        piece += ch
        depth += (ch == "(") - (ch == ")")
        if ch == ")" and depth == 0:
            runs.append((True, piece))
            piece = ""
    if piece:
        runs.append((depth > 0, piece))
    return runs


def split_title(term: str, nemod: str) -> tuple[str, str]:
    """The title and the nonessential modifiers of a flattened-CSV row.

    The CSV cuts some titles at their first parenthesis and leaves the rest, essential words
    included, in the modifier column: "Alder" + "(-Reilly) anomaly or syndrome",
    "gravitational" + "(G) forces or states (effect of)", "Amnes" + "(t)ic syndrome",
    "breast" + "(s) (and nipple(s)) (acquired)". Words outside parentheses go back to the
    title; a group glued to the next word is part of it ("Amnestic", "Achromatism,
    achromatopsia"), a plural mark stays on the title ("breast(s)"), the other groups remain
    the modifiers. A modifier column of parenthesized groups only is returned as it is.
    """
    runs = _groups(nemod)
    if all(grouped or not piece.strip() for grouped, piece in runs):
        return term, nemod
    title, modifiers = term, []
    for i, (grouped, piece) in enumerate(runs):
        following = runs[i + 1][1] if i + 1 < len(runs) else ""
        glued = bool(following) and not following[0].isspace()
        if not grouped:
            title += piece if i else " " + piece
        elif piece.strip() in _PLURAL and i == 0:
            title += piece.strip()
        elif glued and not following.lstrip().startswith("("):
            title += piece.strip()[1:-1]
        else:
            modifiers.append(piece.strip())
            title += " "
    return _clean(title), " ".join(modifiers)


def _freeze(node: list[Any]) -> TermTuple:
    node[CHILDREN] = tuple(_freeze(c) for c in node[CHILDREN])
    return tuple(node)


# --- XML (official CDC format) ---------------------------------------------------------------
def _title(elem: ET.Element | None) -> tuple[str, str]:
    if elem is None:
        return "", ""
    nemod = elem.find("nemod")
    parts = [elem.text or ""]
    if nemod is not None:
        parts.append(nemod.tail or "")
    return _clean(" ".join(parts)), _clean("".join(nemod.itertext()) if nemod is not None else "")


def _term(elem: ET.Element) -> TermTuple:
    title_elem = elem.find("title")
    if title_elem is None:
        title_elem = elem.find("diff")
    title, nemod = _title(title_elem)
    cells = tuple(
        (int(c.get("col", "0")), _clean("".join(c.itertext()))) for c in elem.findall("cell")
    )
    return (
        title, nemod,
        _clean(elem.findtext("see")), _clean(elem.findtext("seeAlso")),
        _clean(elem.findtext("code")), _clean(elem.findtext("manif")),
        _clean(elem.findtext("subcat")), _clean(elem.findtext("seecat")),
        cells, tuple(_term(t) for t in elem.findall("term")),
    )


def parse_index_xml(data: bytes, source: str) -> IndexPart:
    """Read a CDC index XML (Alphabetic Index, External Cause, Drug or Neoplasm table)."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, col = exc.position
        raise SourceFormatError(
            f"{source}: not well-formed XML at line {line}, column {col}"
        ) from exc
    if root.tag != "ICD10CM.index":
        raise SourceFormatError(
            f"{source}: root element is <{root.tag}>, expected <ICD10CM.index>",
            hint="this reader takes the CDC index XML (icd10cm-index-YYYY.xml, -eindex, -drug,"
            " -neoplasm)",
        )
    letters = root.findall("letter")
    if not letters:
        raise SourceFormatError(f"{source}: no <letter> elements")
    heads = tuple(
        (int(h.get("col", "0")), _clean(h.text)) for h in root.findall("indexHeading/head")
    )
    terms = tuple(_term(m) for letter in letters for m in letter.findall("mainTerm"))
    return {
        "version": _clean(root.findtext("version")),
        "title": _clean(root.findtext("title")),
        "heads": heads,
        "terms": terms,
    }


def parse_index_source(data: bytes, source: str, fmt: str) -> IndexPart:
    """Read one index part in the format its source declares (``csv`` or ``xml``)."""
    if fmt == "csv":
        return parse_flattened_csv(data, source)
    return parse_index_xml(data, source)


# --- API -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class IndexTerm:
    """One term of an index, with the path of terms above it.

    Attributes:
        path: titles from the main term down to this term.
        title: this term's title (without nonessential modifiers).
        nemod: nonessential modifiers, as printed: ``(mellitus) (sugar)``.
        see, see_also: cross references (``Diabetes, type 1``).
        code: the code the index gives (may end in ``-``: incomplete, see the tabular).
        manif: manifestation code printed in brackets after the code.
        subcat, seecat: subcategory/category references of the official XML.
        cells: for the Drug and Neoplasm tables, column heading -> code.
    """

    path: tuple[str, ...]
    title: str
    nemod: str
    see: str
    see_also: str
    code: str
    manif: str
    subcat: str
    seecat: str
    cells: tuple[tuple[str, str], ...]
    _children: tuple[TermTuple, ...]
    _heads: tuple[tuple[int, str], ...]

    @property
    def children(self) -> tuple[IndexTerm, ...]:
        """Subterms, in index order."""
        return tuple(_wrap(c, self.path, self._heads) for c in self._children)

    def subterm(self, title: str) -> IndexTerm | None:
        """The direct subterm whose title is ``title`` (case-insensitive), if any."""
        want = title.casefold()
        for c in self._children:
            if c[TITLE].casefold() == want:
                return _wrap(c, self.path, self._heads)
        return None

    def walk(self) -> Iterator[IndexTerm]:
        """This term and every subterm below it, depth first in index order."""
        yield self
        for c in self.children:
            yield from c.walk()


def _wrap(t: TermTuple, parent_path: tuple[str, ...], heads: tuple[tuple[int, str], ...]
          ) -> IndexTerm:
    names = dict(heads)
    cells = tuple((names.get(col, str(col)), code) for col, code in t[CELLS])
    return IndexTerm(
        path=(*parent_path, t[TITLE]), title=t[TITLE], nemod=t[NEMOD], see=t[SEE],
        see_also=t[SEE_ALSO], code=t[CODE], manif=t[MANIF], subcat=t[SUBCAT], seecat=t[SEECAT],
        cells=cells, _children=t[CHILDREN], _heads=heads,
    )


class AlphabeticIndex:
    """One index part (the Alphabetic Index, or one of the tables), searchable by main term."""

    def __init__(self, kind: str, part: IndexPart) -> None:
        self.kind = kind
        self.version: str = part["version"]
        self._heads: tuple[tuple[int, str], ...] = part["heads"]
        self._terms: tuple[TermTuple, ...] = part["terms"]
        self._by_title: dict[str, int] | None = None

    @property
    def headings(self) -> tuple[str, ...]:
        """Column headings of a table (Drug, Neoplasm); empty for the plain indexes."""
        return tuple(h for _, h in self._heads)

    def __len__(self) -> int:
        return len(self._terms)

    def main_terms(self) -> Iterator[IndexTerm]:
        """Every main term, in index order."""
        return (self._wrap(t) for t in self._terms)

    def _wrap(self, t: TermTuple) -> IndexTerm:
        return _wrap(t, (), self._heads)

    def find(self, main_term: str) -> IndexTerm | None:
        """The main term titled ``main_term`` (case-insensitive).

        ``Diabetes`` also finds ``Diabetes, diabetic``: the part before the first comma is the
        word a coder looks up.
        """
        if self._by_title is None:
            table: dict[str, int] = {}
            for i, t in enumerate(self._terms):
                title = t[TITLE].casefold()
                table.setdefault(title, i)
                table.setdefault(title.split(",")[0].strip(), i)
            self._by_title = table
        found = self._by_title.get(main_term.strip().casefold())
        return None if found is None else self._wrap(self._terms[found])

    def resolve_path(self, path: str) -> IndexTerm | None:
        """Follow a ``see`` reference such as ``Diabetes, type 1`` or ``Pregnancy, complicated
        by, diabetes``: the main term, then subterms as far as they match."""
        parts = [p.strip() for p in path.split(",") if p.strip()]
        for cut in range(len(parts), 0, -1):
            term = self.find(", ".join(parts[:cut]))
            if term is None:
                continue
            for sub in parts[cut:]:
                nxt = term.subterm(sub)
                if nxt is None:
                    break
                term = nxt
            return term
        return None
