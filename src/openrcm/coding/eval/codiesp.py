"""The CodiEsp corpus shipped with openrcm, and its mapping to ICD-10-CM.

CodiEsp codes are Spanish CIE-10-ES 2018 (``q62.11``). Most are ICD-10-CM codes written in
lower case; some do not exist in the US edition. A gold code is mapped to the same code when
ICD-10-CM has it, else to its nearest ancestor that ICD-10-CM has (dropping characters from
the right), else to its only ICD-10-CM child; otherwise it is counted as unmappable and
skipped, so the evaluation never scores the pipeline on a code it could not produce.
"""

from __future__ import annotations

import csv
import io
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

SPLITS = ("train", "dev")


@dataclass(frozen=True, slots=True)
class Evidence:
    """An annotator's evidence for a gold diagnosis code: the Spanish words and where the
    first of them starts in the Spanish original (which is not shipped)."""

    code: str
    text: str
    start: int


@dataclass(frozen=True, slots=True)
class Document:
    """One clinical case: its id, English text, raw CodiEsp gold codes, and the annotators'
    Spanish evidence for them (train only: the dev evidence is not shipped)."""

    doc_id: str
    text: str
    gold: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()


@lru_cache(maxsize=2)
def load_split(split: str) -> tuple[Document, ...]:
    """Read one split (``train`` or ``dev``) from the packaged ``codiesp.tar.xz``."""
    if split not in SPLITS:
        raise ValueError(f"unknown CodiEsp split {split!r}; expected one of {SPLITS}")
    archive = resources.files("openrcm.coding.eval").joinpath("data/codiesp.tar.xz")
    texts: dict[str, str] = {}
    gold: dict[str, list[str]] = {}
    evidence: dict[str, list[Evidence]] = {}
    with archive.open("rb") as raw, tarfile.open(fileobj=raw, mode="r:xz") as tar:
        for member in tar:
            if not member.isfile() or not member.name.startswith(f"codiesp/{split}/"):
                continue
            handle = tar.extractfile(member)
            if handle is None:
                continue
            content = handle.read().decode("utf-8")
            name = member.name.rsplit("/", 1)[-1]
            if name.endswith("D.tsv"):
                for row in csv.reader(io.StringIO(content), delimiter="\t"):
                    if len(row) >= 2:
                        gold.setdefault(row[0], []).append(row[1].strip())
            elif name.endswith("X.tsv"):
                rows = csv.reader(io.StringIO(content), delimiter="\t", quoting=csv.QUOTE_NONE)
                for number, row in enumerate(rows, 1):
                    if len(row) >= 5 and row[1] == "DIAGNOSTICO":
                        evidence.setdefault(row[0], []).append(_evidence(row, name, number))
            elif name.endswith(".txt"):
                texts[name[:-4]] = content
    return tuple(
        Document(
            doc_id,
            texts[doc_id],
            tuple(gold.get(doc_id, ())),
            tuple(evidence.get(doc_id, ())),
        )
        for doc_id in sorted(texts)
    )


def _evidence(row: list[str], name: str, number: int) -> Evidence:
    """One X-file row (document, kind, code, Spanish words, "start end[;start end]")."""
    try:
        start = int(row[4].split(";")[0].split()[0])
    except (IndexError, ValueError) as exc:
        raise ValueError(
            f"{name} line {number}: the position {row[4]!r} is not 'start end'"
        ) from exc
    return Evidence(row[2].strip(), row[3], start)


def to_cm_form(code: str) -> str:
    """``q62.11`` -> ``Q62.11`` (ICD-10-CM dotted upper case)."""
    bare = code.replace(".", "").strip().upper()
    return bare if len(bare) <= 3 else f"{bare[:3]}.{bare[3:]}"


@dataclass(frozen=True, slots=True)
class GoldMapping:
    """How the raw gold codes of a split map to ICD-10-CM."""

    mapped: dict[str, set[str]]
    exact: int
    to_parent: int
    to_child: int
    unmappable: int
    unmappable_codes: tuple[str, ...]


def map_gold(
    documents: tuple[Document, ...],
    is_valid: Callable[[str], bool],
    children: Callable[[str], tuple[str, ...]],
) -> GoldMapping:
    """Map every gold code to ICD-10-CM (same code, parent, or single child) or skip it."""
    mapped: dict[str, set[str]] = {}
    exact = parent = child = 0
    missing: list[str] = []
    for doc in documents:
        codes: set[str] = set()
        for raw in doc.gold:
            code = to_cm_form(raw)
            if is_valid(code):
                codes.add(code)
                exact += 1
                continue
            ancestor = _nearest_valid_ancestor(code, is_valid)
            if ancestor is not None:
                codes.add(ancestor)
                parent += 1
                continue
            kids = children(code)
            if len(kids) == 1:
                codes.add(kids[0])
                child += 1
                continue
            missing.append(raw)
        mapped[doc.doc_id] = codes
    return GoldMapping(mapped, exact, parent, child, len(missing), tuple(sorted(set(missing))))


def _nearest_valid_ancestor(code: str, is_valid: Callable[[str], bool]) -> str | None:
    bare = code.replace(".", "")
    for cut in range(len(bare) - 1, 2, -1):
        candidate = to_cm_form(bare[:cut])
        if is_valid(candidate):
            return candidate
    return None
