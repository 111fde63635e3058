"""Importers of official ICD-10-CM files: a newer tabular release or a full CDC index.

Each importer checks the whole file before touching the store, keeps a copy of it under
``<home>/codesets/icd10cm/sources/``, records it in ``imports.json`` and recompiles. If anything
fails, ``imports.json`` is put back and the compiled store is left as it was (the compiler
writes nothing until every source has parsed).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import lzma
import re
import zlib
from pathlib import Path

from openrcm.codesets.icd10cm.alpha_index import parse_index_xml
from openrcm.codesets.icd10cm.errors import CodeSetError
from openrcm.codesets.icd10cm.store import atomic_write, load_imports, read_source, store_dir
from openrcm.codesets.icd10cm.tabular import parse_tabular
from openrcm.codesets.importers import Importer, ImportFailed, ImportSummary


def _fiscal_year(version: str, source: Path) -> int:
    if not re.fullmatch(r"(19|20)\d\d", version):
        raise ImportFailed(
            f"{source}: <version> is {version!r}; expected the fiscal year (e.g. 2027)"
        )
    return int(version)


def _read(source: Path) -> bytes:
    try:
        return read_source(source)
    except OSError as exc:
        raise ImportFailed(f"{source}: cannot read the file ({exc.strerror})") from exc
    except (EOFError, ValueError, lzma.LZMAError, gzip.BadGzipFile, zlib.error) as exc:
        raise ImportFailed(f"{source}: damaged compressed file ({exc})") from exc


def _install(home: Path, source: Path, data: bytes, section: str, key: str,
             entry: dict[str, str]) -> None:
    """Copy the file into the store, record it, rebuild; restore the record on failure."""
    from openrcm.codesets.icd10cm.compile import build_all
    from openrcm.codesets.icd10cm.store import open_store

    directory = store_dir(home)
    digest = hashlib.sha256(data).hexdigest()[:16]
    name = f"{section}-{key}-{digest}.xml"
    atomic_write(directory / "sources" / name, data)
    imports_path = directory / "imports.json"
    previous = imports_path.read_bytes() if imports_path.exists() else None
    imports = load_imports(directory)
    imports.setdefault(section, {})[key] = {**entry, "file": name, "original": source.name}
    atomic_write(imports_path, json.dumps(imports, indent=1).encode())
    try:
        open_store(home, build_all)
    except CodeSetError as exc:
        if previous is None:
            imports_path.unlink(missing_ok=True)
        else:
            atomic_write(imports_path, previous)
        raise ImportFailed(exc.message) from exc


def import_tabular(source: Path, home: Path) -> ImportSummary:
    """Load a CDC ICD-10-CM tabular XML; it answers for its fiscal year from then on."""
    data = _read(source)
    try:
        parsed = parse_tabular(data, str(source))
    except CodeSetError as exc:
        raise ImportFailed(exc.message) from exc
    fy = _fiscal_year(parsed["version"], source)
    note = f"imported from {source.name}"
    _install(home, source, data, "tabular", str(fy), {"note": note})
    return ImportSummary("icd10cm-tabular", f"FY{fy}", len(parsed["codes"]),
                         (f"answers for dates of service {fy - 1}-10-01..{fy}-09-30",))


def _index_importer(kind: str, part: str, description: str) -> Importer:
    def run(source: Path, home: Path) -> ImportSummary:
        data = _read(source)
        try:
            parsed = parse_index_xml(data, str(source))
        except CodeSetError as exc:
            raise ImportFailed(exc.message) from exc
        fy = _fiscal_year(parsed["version"], source)
        _install(home, source, data, "index", part,
                 {"note": f"imported from {source.name}", "fiscal_year": str(fy),
                  "format": "xml"})
        return ImportSummary(kind, f"FY{fy}", len(parsed["terms"]),
                             (f"replaces the {part} part of the ICD-10-CM index",))

    return Importer(kind, description, run)


def importers() -> list[Importer]:
    """The ICD-10-CM entries of ``openrcm.codesets.importers.registry()``."""
    return [
        Importer("icd10cm-tabular",
                 "CDC ICD-10-CM tabular list XML (icd10cm-tabular-YYYY.xml)", import_tabular),
        _index_importer("icd10cm-index", "index",
                        "CDC ICD-10-CM Alphabetic Index XML (icd10cm-index-YYYY.xml)"),
        _index_importer("icd10cm-eindex", "eindex",
                        "CDC ICD-10-CM External Cause Index XML (icd10cm-eindex-YYYY.xml)"),
        _index_importer("icd10cm-drug", "drug",
                        "CDC ICD-10-CM Table of Drugs and Chemicals XML (icd10cm-drug-YYYY.xml)"),
        _index_importer("icd10cm-neoplasm", "neoplasm",
                        "CDC ICD-10-CM Neoplasm Table XML (icd10cm-neoplasm-YYYY.xml)"),
    ]
