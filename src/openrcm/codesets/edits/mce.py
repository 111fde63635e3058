"""Medicare Code Editor (MCE) simple code edit lists, by version and fiscal year.

The MCE is versioned with the MS-DRG grouper: version 33 is FY2016 (the first ICD-10 year,
2015-10-01 .. 2016-09-30), so version N covers FY(1983 + N): v33 FY2016 ... v37 FY2020. The
shipped lists are those five versions; a date of service after FY2020 is outside them, and
``release_for`` says so unless the caller accepts the newest version (``latest_if_later``).

Each list row ties a code (without its period) to one edit: age conflicts (``Newborn_Only``,
``Pediatric_Only``, ``Maternity_Only``, ``Adult_Only``), sex conflicts (``Female_Only``,
``Male_Only``), ``Principal_Manifestation``, ``Principal_Unacceptable``,
``Principal_Questionable_Admit``, ``Wrong_Performed``, and procedure coverage edits
(``Noncovered_Always``, ``Noncovered_Over60``, ``Limited_Coverage``, ``Noncovered_LOS_96hr``).
The age ranges behind the age edits are not part of these files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from openrcm.codesets.edits.mue import NoEditRelease
from openrcm.codesets.edits.store import DATA, edits_dir, open_text, write_atomically
from openrcm.codesets.importers import Importer, ImportFailed, ImportSummary

HEADER = [
    "MCE_Version",
    "ICD_Version",
    "MCE_Section",
    "MCE_Subsection",
    "MCE_Edit_Type",
    "ICD_Code_Type",
    "ICD_Code",
    "ICD_Desc",
]
DIAGNOSIS = "D"
PROCEDURE = "P"
_CODE = re.compile(r"^[A-Z0-9]{3,7}$")
SHIPPED_VERSIONS = (33, 34, 35, 36, 37)


def fiscal_year(version: int) -> int:
    """The federal fiscal year an MCE version covers (v33 -> 2016)."""
    return version + 1983


def fiscal_year_dates(year: int) -> tuple[date, date]:
    """First and last day of a federal fiscal year (FY2016: 2015-10-01 .. 2016-09-30)."""
    return date(year - 1, 10, 1), date(year, 9, 30)


@dataclass(frozen=True, slots=True)
class MceRelease:
    """One MCE version's lists: (code type, code) -> the edit types naming it."""

    version: int
    edits: Mapping[tuple[str, str], frozenset[str]]

    @property
    def fiscal_year(self) -> int:
        return fiscal_year(self.version)

    @property
    def start(self) -> date:
        return fiscal_year_dates(self.fiscal_year)[0]

    @property
    def end(self) -> date:
        return fiscal_year_dates(self.fiscal_year)[1]

    def edit_types(self) -> frozenset[str]:
        """Every edit type present in this version."""
        return frozenset(t for types in self.edits.values() for t in types)


def _key(code: str) -> str:
    return code.replace(".", "").strip().upper()


def read_mce(lines: Iterable[str], source: str) -> MceRelease:
    """An MCE simple code edit file (tab-delimited, header ``MCE_Version ... ICD_Desc``).

    Raises:
        ImportFailed: wrong header, mixed versions, a row with a bad code, type or field count.
    """
    it = iter(lines)
    header = next(it, "").removeprefix("\ufeff").rstrip("\r\n").split("\t")
    if header != HEADER:
        raise ImportFailed(f"{source}, line 1: expected the header {' '.join(HEADER)}")
    version: int | None = None
    edits: dict[tuple[str, str], set[str]] = {}
    for number, line in enumerate(it, start=2):
        if not line.strip():
            continue
        fields = line.rstrip("\r\n").split("\t")
        if len(fields) != len(HEADER):
            raise ImportFailed(f"{source}, line {number}: expected 8 fields, found {len(fields)}")
        try:
            row_version = int(fields[0])
        except ValueError:
            raise ImportFailed(f"{source}, line {number}: bad MCE version {fields[0]!r}") from None
        if version is None:
            version = row_version
        elif row_version != version:
            raise ImportFailed(
                f"{source}, line {number}: version {row_version} in a v{version} file"
            )
        code_type, code, edit_type = fields[5], _key(fields[6]), fields[4].strip()
        if code_type not in (DIAGNOSIS, PROCEDURE):
            raise ImportFailed(f"{source}, line {number}: code type must be D or P: {code_type!r}")
        if not _CODE.match(code) or not edit_type:
            raise ImportFailed(f"{source}, line {number}: bad code {fields[6]!r} or edit type")
        edits.setdefault((code_type, code), set()).add(edit_type)
    if version is None:
        raise ImportFailed(f"{source}: no MCE rows")
    return MceRelease(version, {k: frozenset(v) for k, v in edits.items()})


@dataclass(frozen=True, slots=True)
class MceHit:
    """The MCE edits naming a code, and the version that answered."""

    code: str
    edit_types: frozenset[str]
    version: int


class MceTable:
    """MCE versions side by side, each answering for its fiscal year."""

    def __init__(self, releases: Iterable[MceRelease]) -> None:
        self.releases = sorted(releases, key=lambda r: r.version)
        if not self.releases:
            raise ValueError("an MCE table needs at least one version")

    def release_for(self, on: date, *, latest_if_later: bool = False) -> MceRelease:
        """The version covering ``on``; the newest one for a later date if the caller allows.

        Raises:
            NoEditRelease: ``on`` is outside every loaded version (and not accepted as later).
        """
        for release in self.releases:
            if release.start <= on <= release.end:
                return release
        newest = self.releases[-1]
        if latest_if_later and on > newest.end:
            return newest
        first, last = self.releases[0], newest
        raise NoEditRelease(
            f"date of service {on} is outside the loaded MCE versions "
            f"v{first.version}-v{last.version} ({first.start} .. {last.end})"
        )

    def edits(
        self, code: str, on: date, *, code_type: str = DIAGNOSIS, latest_if_later: bool = False
    ) -> MceHit:
        """The MCE edit types that name ``code`` (with or without its period) on ``on``."""
        release = self.release_for(on, latest_if_later=latest_if_later)
        key = _key(code)
        found = release.edits.get((code_type, key), frozenset())
        return MceHit(key, found, release.version)

    def has(self, edit_type: str, code: str, on: date, *, latest_if_later: bool = False) -> bool:
        """True when ``code`` (diagnosis or procedure) is on the ``edit_type`` list on ``on``."""
        release = self.release_for(on, latest_if_later=latest_if_later)
        key = _key(code)
        return any(
            edit_type in release.edits.get((t, key), frozenset()) for t in (DIAGNOSIS, PROCEDURE)
        )


@cache
def _shipped(version: int) -> MceRelease:
    path = DATA / "mce" / f"MCE_Simple_Code_Edits_v{version}.txt.xz"
    with open_text(path) as stream:
        return read_mce(stream, path.name)


def load_mce(home: Path | None = None) -> MceTable:
    """The shipped versions v33-v37 plus any imported under ``home`` (an import of a shipped
    version number replaces it)."""
    releases = {v: _shipped(v) for v in SHIPPED_VERSIONS}
    if home is not None:
        for path in sorted(edits_dir(home).glob("mce-v*.txt")):
            with path.open(encoding="latin-1") as stream:
                release = read_mce(stream, path.name)
            releases[release.version] = release
    return MceTable(releases.values())


def import_mce(path: Path, home: Path) -> ImportSummary:
    """Import one MCE simple code edit file; it answers for its version's fiscal year."""
    if not path.is_file():
        raise ImportFailed(f"{path}: no such file")
    with open_text(path) as stream:
        text = stream.read()
    release = read_mce(text.splitlines(), path.name)
    write_atomically(edits_dir(home) / f"mce-v{release.version}.txt", text.encode("latin-1"))
    return ImportSummary("mce", f"v{release.version} (FY{release.fiscal_year})", len(release.edits))


def importers() -> list[Importer]:
    """The MCE importer, for ``openrcm.codesets.importers.registry``."""
    return [
        Importer(
            "mce", "CMS Medicare Code Editor simple code edit list (tab-delimited)", import_mce
        )
    ]
