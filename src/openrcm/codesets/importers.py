"""The registry of code-set importers: one entry per official file format a user can load.

``openrcm codes import KIND FILE`` looks the kind up here. Each importer reads the official
file, checks it completely, and only then replaces the compiled release under ``home``, so a
corrupt file leaves the previously loaded release untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import loaded, for the CLI and API to report."""

    kind: str
    release: str
    records: int
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Importer:
    """One importable format: ``run(source_file, home)`` loads it or raises ``ImportFailed``."""

    kind: str
    description: str
    run: Callable[[Path, Path], ImportSummary]


class ImportFailed(ValueError):
    """The file could not be imported; the message says what and where (file, line)."""


def registry() -> dict[str, Importer]:
    """Every importer, by kind. Imported lazily so ``openrcm --help`` stays fast."""
    from openrcm.codesets.edits.importers import importers as edit_importers
    from openrcm.codesets.icd10cm.importers import importers as icd10cm_importers
    from openrcm.codesets.reference.importers import importers as reference_importers

    importers: list[Importer] = []
    importers += edit_importers()
    importers += icd10cm_importers()
    importers += reference_importers()
    return {imp.kind: imp for imp in importers}
