"""Code shapes (CPT categories, HCPCS Level II) and a header-driven reader for code-list files.

CPT descriptors are the AMA's and are never shipped, but the shape of a CPT code is public:
Category I is five digits (plus the 4-digit + ``U`` laboratory, ``A`` vaccine and ``M``
multianalyte administrative codes), Category II four digits + ``F``, Category III four digits
+ ``T``. HCPCS Level II is a letter A-V and four digits. That is enough to reject a malformed
code on a claim without any licence.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from openrcm.codesets.importers import ImportFailed

_CPT_PATTERNS = (
    (re.compile(r"^\d{5}$"), 1),
    (re.compile(r"^\d{4}[UAM]$"), 1),
    (re.compile(r"^\d{4}F$"), 2),
    (re.compile(r"^\d{4}T$"), 3),
)
_HCPCS_LEVEL2 = re.compile(r"^[A-V]\d{4}$")


def cpt_category(code: str) -> int | None:
    """1, 2 or 3 for a code shaped like a CPT Category I, II or III code, else None."""
    code = code.strip().upper()
    for pattern, category in _CPT_PATTERNS:
        if pattern.match(code):
            return category
    return None


def is_hcpcs_level2(code: str) -> bool:
    """True for a code shaped like a HCPCS Level II code (letter A-V, four digits)."""
    return bool(_HCPCS_LEVEL2.match(code.strip().upper()))


def procedure_code_kind(code: str) -> str | None:
    """``"cpt-1"``, ``"cpt-2"``, ``"cpt-3"``, ``"hcpcs"`` or None for any other shape."""
    category = cpt_category(code)
    if category is not None:
        return f"cpt-{category}"
    return "hcpcs" if is_hcpcs_level2(code) else None


def normalise(header: str) -> str:
    """A column name reduced to lower-case words: ``"Stop Date "`` -> ``"stop date"``."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", header.lower()).split())


@dataclass(frozen=True, slots=True)
class Row:
    """One data row of a table file, with its line number for error messages."""

    line: int
    values: Mapping[str, str]


def read_table(
    lines: Iterable[str],
    source: str,
    columns: Mapping[str, tuple[str, ...]],
    required: tuple[str, ...],
) -> Iterator[Row]:
    """Rows of a CSV, tab- or pipe-delimited file with a header line, keyed by field name.

    ``columns`` maps each field to the normalised header names it may have; fields in
    ``required`` must be present in the header. The delimiter is the one the header uses.

    Raises:
        ImportFailed: no header, a required column missing, or a row with too few fields.
    """
    it = iter(lines)
    header_line = next(it, "").removeprefix("\ufeff")
    if not header_line.strip():
        raise ImportFailed(f"{source}, line 1: the file is empty or has no header line")
    delimiter = max("\t|,", key=header_line.count)
    header = [normalise(h) for h in next(csv.reader([header_line], delimiter=delimiter))]
    index: dict[str, int] = {}
    for field_name, aliases in columns.items():
        for position, name in enumerate(header):
            if name in aliases:
                index[field_name] = position
                break
    missing = [f for f in required if f not in index]
    if missing:
        wanted = "; ".join(f"{f} ({' / '.join(columns[f])})" for f in missing)
        raise ImportFailed(f"{source}, line 1: missing column(s): {wanted}")
    reader = csv.reader(it, delimiter=delimiter)
    for fields in reader:
        line = reader.line_num + 1
        if not any(f.strip() for f in fields):
            continue
        if len(fields) <= max(index.values()):
            raise ImportFailed(
                f"{source}, line {line}: expected {len(header)} fields, found {len(fields)}"
            )
        yield Row(line, {name: fields[i].strip() for name, i in index.items()})
