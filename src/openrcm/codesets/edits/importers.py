"""Importers for CMS's quarterly NCCI files: PTP, MUE (three settings) and add-on code edits.

Each one reads and checks the whole file first and only then writes its compiled table under
``<home>/codesets/edits/``, so a corrupt file leaves the previous release in place.
"""

from __future__ import annotations

import re
from datetime import date
from functools import partial
from pathlib import Path

from openrcm.codesets.edits.aoc import AocTable
from openrcm.codesets.edits.mce import importers as mce_importers
from openrcm.codesets.edits.mue import MueRelease
from openrcm.codesets.edits.readers import read_aoc, read_mue
from openrcm.codesets.edits.store import (
    PTP_SETTINGS,
    aoc_to_json,
    compile_ptp,
    edits_dir,
    mue_release_to_json,
    open_text,
    write_atomically,
)
from openrcm.codesets.importers import Importer, ImportFailed, ImportSummary

_MUE_SETTINGS = {"practitioner": "practitioner", "outpatient": "outpatient", "dme": "dme"}
_DATE_IN_NAME = (
    (re.compile(r"(\d{2})[-_](\d{2})[-_](\d{4})"), (3, 1, 2)),
    (re.compile(r"(\d{4})[-_](\d{2})[-_](\d{2})"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)"), (1, 2, 3)),
)


def effective_from_name(name: str) -> date | None:
    """The effective date CMS puts in an MUE file name (``..._Eff_07-01-2024.csv``), if any."""
    for pattern, (y, m, d) in _DATE_IN_NAME:
        match = pattern.search(name)
        if match:
            try:
                return date(int(match[y]), int(match[m]), int(match[d]))
            except ValueError:
                continue
    return None


def _missing(path: Path) -> None:
    if not path.exists():
        raise ImportFailed(f"{path}: no such file or folder")


def import_ptp(setting: str, path: Path, home: Path) -> ImportSummary:
    """Import a CMS PTP release (a .txt file, a folder of them, or CMS's zip)."""
    _missing(path)
    try:
        table = compile_ptp(path, setting, path.stem)
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{path.name}: not a text file ({exc.reason})") from None
    if len(table) == 0:
        raise ImportFailed(f"{path.name}: no PTP edit rows")
    write_atomically(edits_dir(home) / f"ptp-{setting}.bin", table.to_bytes())
    return ImportSummary(f"ncci-ptp-{setting}", table.release, len(table))


def import_mue(setting: str, path: Path, home: Path) -> ImportSummary:
    """Import a CMS MUE CSV of one setting; the effective date comes from the file name."""
    _missing(path)
    with open_text(path) as stream:
        limits = read_mue(stream, path.name)
    effective = effective_from_name(path.name)
    notes: tuple[str, ...] = ()
    if effective is None:
        notes = ("no effective date in the file name: the values apply to every date",)
    release = MueRelease(setting, path.stem, effective, limits)
    write_atomically(edits_dir(home) / f"mue-{setting}.json", mue_release_to_json(release))
    return ImportSummary(f"ncci-mue-{setting}", release.release, len(limits), notes)


def import_aoc(path: Path, home: Path) -> ImportSummary:
    """Import CMS's add-on code edit file (fixed-width text)."""
    _missing(path)
    with open_text(path) as stream:
        table = AocTable(path.stem, read_aoc(stream, path.name))
    write_atomically(edits_dir(home) / "aoc.json", aoc_to_json(table))
    return ImportSummary("ncci-aoc", table.release, len(table))


def importers() -> list[Importer]:
    """The NCCI and MCE importers, for ``openrcm.codesets.importers.registry``."""
    found = [
        Importer(
            f"ncci-ptp-{setting}",
            f"CMS NCCI PTP edits, {setting} (quarterly tab-delimited .txt, folder or zip)",
            partial(import_ptp, setting),
        )
        for setting in PTP_SETTINGS
    ]
    found += [
        Importer(
            f"ncci-mue-{setting}",
            f"CMS NCCI MUE values, {setting} (quarterly CSV)",
            partial(import_mue, setting),
        )
        for setting in _MUE_SETTINGS
    ]
    found.append(Importer("ncci-aoc", "CMS NCCI add-on code edits (fixed-width .txt)", import_aoc))
    found += mce_importers()
    return found
