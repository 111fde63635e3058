"""Read the CDC ICD-10-CM tabular XML into a compact, marshal-able form.

The tabular list is a tree: chapter > section (block) > category > subcategories > codes, and
every level may carry instructional notes. The compiled form keeps all of it as plain dicts and
tuples (no classes) so ``marshal`` can write and read it in milliseconds; ``release.py`` wraps
it in a friendly API.

Compiled layout (``TabularData``)::

    {"version": "2026",
     "chapters": {"1": (title, (block ids...), notes)},
     "blocks": {"A00-A09": (title, chapter, (category codes...), notes)},
     "codes": {"A00.0": (title, parent, block, chapter, (children...), notes,
                         seven_chr_def, seven_chr_note)}}

``notes`` is a tuple of ``(kind, (text, ...))`` pairs in document order; ``seven_chr_def`` is
a tuple of ``(character, meaning)`` pairs, empty when the node defines none.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from openrcm.codesets.icd10cm.errors import SourceFormatError

# Every instructional element of the tabular list, as the XML names it.
NOTE_KINDS: tuple[str, ...] = (
    "inclusionTerm",
    "includes",
    "excludes1",
    "excludes2",
    "codeFirst",
    "useAdditionalCode",
    "codeAlso",
    "notes",
    "visualImpairment",
)

Notes = tuple[tuple[str, tuple[str, ...]], ...]
TabularData = dict[str, Any]


def _text(elem: ET.Element | None) -> str:
    return " ".join("".join(elem.itertext()).split()) if elem is not None else ""


def _visual_impairment_rows(elem: ET.Element) -> tuple[str, ...]:
    """Flatten the WHO visual impairment table of H54 into one line per category."""
    rows = []
    for cat in elem.iter("visCategory"):
        parts = [_text(cat.find("heading")) or _text(cat.find("value"))]
        for rng in cat.iter("visRange"):
            parts.append(
                " ".join(x for x in (_text(rng.find("heading")), _text(rng.find("visMax")),
                                     _text(rng.find("visMin"))) if x)
            )
        rows.append(" | ".join(p for p in parts if p))
    return tuple(rows)


def _notes(elem: ET.Element) -> Notes:
    out: list[tuple[str, tuple[str, ...]]] = []
    for child in elem:
        if child.tag == "visualImpairment":
            out.append((child.tag, _visual_impairment_rows(child)))
        elif child.tag in NOTE_KINDS:
            texts = tuple(_text(n) for n in child.findall("note"))
            if texts:
                out.append((child.tag, texts))
    return tuple(out)


def _seven(elem: ET.Element) -> tuple[tuple[tuple[str, str], ...], str]:
    sdef = elem.find("sevenChrDef")
    chars = (
        tuple((x.get("char", ""), _text(x)) for x in sdef.findall("extension"))
        if sdef is not None
        else ()
    )
    snote = elem.find("sevenChrNote")
    return chars, " ".join(_text(n) for n in snote.findall("note")) if snote is not None else ""


def parse_tabular(xml: bytes, source: str) -> TabularData:
    """Parse one tabular XML release; raise ``SourceFormatError`` naming the file and line.

    Args:
        xml: the whole file (already decompressed).
        source: file name for messages.
    """
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        line, col = exc.position
        raise SourceFormatError(
            f"{source}: not well-formed XML at line {line}, column {col}",
            hint="check that the file is a complete, uncorrupted ICD-10-CM tabular XML",
        ) from exc
    if root.tag != "ICD10CM.tabular":
        raise SourceFormatError(
            f"{source}: root element is <{root.tag}>, expected <ICD10CM.tabular>",
            hint="this importer takes the CDC tabular XML (icd10cm-tabular-*.xml)",
        )
    version = _text(root.find("version"))
    chapters: dict[str, tuple[Any, ...]] = {}
    blocks: dict[str, tuple[Any, ...]] = {}
    codes: dict[str, tuple[Any, ...]] = {}

    def walk(diag: ET.Element, parent: str, block: str, chapter: str) -> str:
        name = _text(diag.find("name"))
        if not name:
            raise SourceFormatError(f"{source}: a <diag> in block {block} has no <name>")
        if name in codes:
            raise SourceFormatError(f"{source}: code {name} appears twice")
        kids = tuple(walk(d, name, block, chapter) for d in diag.findall("diag"))
        chars, snote = _seven(diag)
        codes[name] = (_text(diag.find("desc")), parent, block, chapter, kids, _notes(diag),
                       chars, snote)
        return name

    for chap in root.findall("chapter"):
        num = _text(chap.find("name"))
        block_ids = []
        for sec in chap.findall("section"):
            bid = sec.get("id", "")
            if not bid:
                raise SourceFormatError(f"{source}: a section of chapter {num} has no id")
            cats = tuple(walk(d, "", bid, num) for d in sec.findall("diag"))
            blocks[bid] = (_text(sec.find("desc")), num, cats, _notes(sec))
            block_ids.append(bid)
        chapters[num] = (_text(chap.find("desc")), tuple(block_ids), _notes(chap))
    if not codes:
        raise SourceFormatError(f"{source}: no <chapter>/<section>/<diag> codes found")
    return {"version": version, "chapters": chapters, "blocks": blocks, "codes": codes}
