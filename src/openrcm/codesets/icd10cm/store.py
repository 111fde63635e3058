"""The compiled store: releases parsed once, kept as marshal files under ``home``.

Parsing a 10 MB tabular XML takes most of a second; loading its compiled form takes about
60 ms, and only the parts a call needs are loaded (the release for the date asked, the search
index on the first search, the Alphabetic Index on first use). The store is rebuilt when a
source file changes (size or modification time), when a release is imported, or when this
module's ``FORMAT`` changes.

Layout of ``<home>/codesets/icd10cm/``::

    manifest.json            releases, their windows and the fingerprint of every source
    imports.json             releases a user imported (they replace a bundled fiscal year)
    sources/                 copies of imported files
    FY2026.tabular.marshal   TabularData of one release
    FY2026.search.marshal    search index of one release
    FY2026.spelling.marshal  spelling-correction table of one release (read on first typo)
    index.marshal            Alphabetic Index, Drug, Neoplasm and External Cause trees
    history.marshal          codes that are not in every release -> releases holding them

Every file is written to a temporary name and renamed into place, so a failed build or import
leaves the previous store untouched.
"""

from __future__ import annotations

import json
import lzma
import marshal
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from openrcm.codesets.icd10cm.errors import SourceFormatError
from openrcm.codesets.icd10cm.releases import BUNDLED_TABULAR, Release, fiscal_year_window

FORMAT = 7  # 7: flattened-CSV titles cut at a parenthesis are whole again
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "icd10cm"

# Alphabetic Index parts: (kind, bundled file, reader format).
BUNDLED_INDEX: tuple[tuple[str, str, str], ...] = (
    ("index", "icd10cm-index-2025-flattened.csv.xz", "csv"),
    ("drug", "icd10cm-drug-2025.xml.xz", "xml"),
    ("neoplasm", "icd10cm-neoplasm-2025.xml.xz", "xml"),
    ("eindex", "icd10cm-eindex-2025.xml.xz", "xml"),
)


@dataclass(frozen=True, slots=True)
class Source:
    """One input file of the store and how it is read."""

    kind: str  # "tabular" or an index part: index, drug, neoplasm, eindex
    path: Path
    fiscal_year: int
    fmt: str  # xml or csv
    note: str

    def fingerprint(self) -> list[Any]:
        st = self.path.stat()
        return [self.kind, str(self.path), st.st_size, st.st_mtime_ns]


def read_source(path: Path) -> bytes:
    """The bytes of a source file, decompressing ``.xz`` and ``.gz`` transparently."""
    if path.suffix == ".xz":
        return lzma.decompress(path.read_bytes())
    if path.suffix == ".gz":
        import gzip

        return gzip.decompress(path.read_bytes())
    return path.read_bytes()


def store_dir(home: Path) -> Path:
    """Where the ICD-10-CM store of ``home`` lives."""
    return home / "codesets" / "icd10cm"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_imports(directory: Path) -> dict[str, dict[str, dict[str, str]]]:
    """The user's imported releases: ``{"tabular": {"2027": {...}}, "index": {...}}``."""
    path = directory / "imports.json"
    if not path.exists():
        return {}
    data: dict[str, dict[str, dict[str, str]]] = json.loads(path.read_text())
    return data


def sources(directory: Path) -> list[Source]:
    """Every source of the store: bundled files, replaced by imported ones of the same kind."""
    imports = load_imports(directory)
    tabular: dict[int, Source] = {
        fy: Source("tabular", DATA_DIR / name, fy, "xml", note)
        for fy, name, note in BUNDLED_TABULAR
    }
    for fy, entry in imports.get("tabular", {}).items():
        tabular[int(fy)] = Source("tabular", directory / "sources" / entry["file"], int(fy),
                                  "xml", entry["note"])
    index: dict[str, Source] = {
        kind: Source(kind, DATA_DIR / name, 2025, fmt, f"bundled {name}")
        for kind, name, fmt in BUNDLED_INDEX
    }
    for kind, entry in imports.get("index", {}).items():
        index[kind] = Source(kind, directory / "sources" / entry["file"],
                             int(entry["fiscal_year"]), entry["format"], entry["note"])
    return [tabular[fy] for fy in sorted(tabular)] + list(index.values())


Builder = Callable[[list[Source], Path], dict[str, Any]]


class Store:
    """An opened store: the manifest plus lazily loaded, cached marshal files."""

    def __init__(self, directory: Path, manifest: dict[str, Any]) -> None:
        self.directory = directory
        self.manifest = manifest
        self._cache: dict[str, Any] = {}
        self.releases: tuple[Release, ...] = tuple(
            Release(
                name=r["name"],
                fiscal_year=r["fiscal_year"],
                effective_from=date.fromisoformat(r["effective_from"]),
                effective_to=date.fromisoformat(r["effective_to"]),
                source=r["source"],
                note=r["note"],
            )
            for r in manifest["releases"]
        )

    def load(self, name: str) -> Any:
        """The content of ``<name>.marshal``, read once."""
        if name not in self._cache:
            path = self.directory / f"{name}.marshal"
            try:
                self._cache[name] = marshal.loads(path.read_bytes())
            except (OSError, EOFError, ValueError, TypeError) as exc:
                raise SourceFormatError(
                    f"compiled store file {path} is missing or damaged",
                    hint="delete the folder to rebuild it: " + str(self.directory),
                ) from exc
        return self._cache[name]


def release_record(src: Source) -> dict[str, Any]:
    start, end = fiscal_year_window(src.fiscal_year)
    return {
        "name": f"FY{src.fiscal_year}",
        "fiscal_year": src.fiscal_year,
        "effective_from": start.isoformat(),
        "effective_to": end.isoformat(),
        "source": src.path.name,
        "note": src.note,
    }


def open_store(home: Path, build: Builder) -> Store:
    """Open the store of ``home``, (re)building it first when it is missing or stale.

    Args:
        home: ``Settings.home``.
        build: compiles every source into ``<name>.marshal`` files in the folder it is given
            and returns the extra manifest entries (see ``compile.build_all``).
    """
    directory = store_dir(home)
    srcs = sources(directory)
    fingerprint = [FORMAT, *[s.fingerprint() for s in srcs]]
    manifest_path = directory / "manifest.json"
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("fingerprint") == fingerprint:
            return Store(directory, manifest)
    directory.mkdir(parents=True, exist_ok=True)
    extra = build(srcs, directory)
    manifest = {
        "fingerprint": fingerprint,
        "releases": [release_record(s) for s in srcs if s.kind == "tabular"],
        **extra,
    }
    atomic_write(manifest_path, json.dumps(manifest, indent=1).encode())
    return Store(directory, manifest)
