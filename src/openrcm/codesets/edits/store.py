"""Where the edit tables come from: an imported release under ``home``, else the shipped one.

The shipped tables are the Medicare NCCI edits effective 2024-07-01 (``data/``). Parsing the
2.5 million practitioner PTP rows takes seconds, so the first load compiles them into a binary
file under ``<home>/codesets/edits/cache/`` named for the shipped file's digest, and later loads
read that in well under a second. An import (``importers.py``) writes its own compiled file
beside it, which then takes precedence. Every write goes to a temporary file first and is
renamed into place, so a failed import or compile leaves what was there untouched.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import lzma
import os
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO

from openrcm.codesets.edits.aoc import AocEdit, AocTable
from openrcm.codesets.edits.codes import parse_date
from openrcm.codesets.edits.mue import SETTINGS as MUE_SETTINGS
from openrcm.codesets.edits.mue import MueRelease, MueTable
from openrcm.codesets.edits.ptp import PtpBuilder, PtpTable
from openrcm.codesets.edits.readers import read_aoc, read_mue, read_ptp

DATA = Path(__file__).parent / "data"
SHIPPED_RELEASE = "2024Q3"
SHIPPED_EFFECTIVE = date(2024, 7, 1)
PTP_SETTINGS = ("practitioner", "outpatient")

_SHIPPED_PTP = {
    "practitioner": "ncci_ptp_prac_2024Q3_northstar.csv.gz",
    "outpatient": "ncci_ptp_out_2024Q3_northstar.csv.gz",
}
_SHIPPED_MUE = {
    "practitioner": "ncci_mue_prac_2024Q3_northstar.csv.gz",
    "outpatient": "ncci_mue_out_2024Q3_northstar.csv.gz",
    "dme": "ncci_mue_dme_2024Q3_northstar.csv.gz",
}
_SHIPPED_AOC = "ncci_aoc_2024Q3_northstar.csv.gz"


def edits_dir(home: Path) -> Path:
    """The folder under ``home`` holding imported and cached edit tables."""
    return home / "codesets" / "edits"


def open_text(path: Path) -> IO[str]:
    """Open a plain, ``.gz`` or ``.xz`` text file.

    Latin-1 because CMS's files are not always UTF-8 (a ``©`` in a header line); every code,
    date and rationale is ASCII, which reads the same either way.
    """
    name = path.name.lower()
    if name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="latin-1", newline="")
    if name.endswith(".xz"):
        return lzma.open(path, "rt", encoding="latin-1", newline="")
    return path.open(encoding="latin-1", newline="")


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` through a temporary file and a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def ptp_sources(path: Path) -> Iterator[tuple[str, IO[str]]]:
    """The text files of a PTP release: one file, every ``.txt`` in a folder, or a CMS zip.

    CMS splits the practitioner table over four files per quarter, so a release is often many.
    """
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".txt", ".csv"))
        for file in files:
            with open_text(file) as stream:
                yield file.name, stream
    elif path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            for member in sorted(archive.namelist()):
                if member.lower().endswith(".txt"):
                    with archive.open(member) as raw:
                        yield f"{path.name}:{member}", io.TextIOWrapper(raw, encoding="latin-1")
    else:
        with open_text(path) as stream:
            yield path.name, stream


def compile_ptp(path: Path, setting: str, release: str) -> PtpTable:
    """Read and check every row of a PTP release, then build its table."""
    builder = PtpBuilder()
    for source, stream in ptp_sources(path):
        read_ptp(stream, source, builder)
    return builder.build(setting, release)


def _check_setting(setting: str, known: tuple[str, ...]) -> None:
    if setting not in known:
        raise KeyError(f"unknown setting {setting!r}; expected one of {known}")


def load_ptp(setting: str = "practitioner", home: Path | None = None) -> PtpTable:
    """The PTP table of ``setting``: imported under ``home`` if any, else the shipped one.

    Without ``home`` the shipped table is compiled in memory (seconds); with it, once.
    """
    _check_setting(setting, PTP_SETTINGS)
    if home is not None:
        imported = edits_dir(home) / f"ptp-{setting}.bin"
        if imported.exists():
            return PtpTable.from_bytes(imported.read_bytes())
    shipped = DATA / _SHIPPED_PTP[setting]
    if home is None:
        return compile_ptp(shipped, setting, SHIPPED_RELEASE)
    digest = hashlib.sha256(shipped.read_bytes()).hexdigest()[:16]
    cache = edits_dir(home) / "cache" / f"ptp-{setting}-{digest}.bin"
    if cache.exists():
        try:
            return PtpTable.from_bytes(cache.read_bytes())
        except ValueError:
            cache.unlink()
    table = compile_ptp(shipped, setting, SHIPPED_RELEASE)
    write_atomically(cache, table.to_bytes())
    return table


def mue_release_to_json(release: MueRelease) -> bytes:
    """The compiled form of an imported MUE release."""
    return json.dumps(
        {
            "setting": release.setting,
            "release": release.release,
            "effective": release.effective.isoformat() if release.effective else None,
            "limits": {k: list(v) for k, v in release.limits.items()},
        }
    ).encode()


def _mue_release_from_json(data: bytes) -> MueRelease:
    raw = json.loads(data)
    return MueRelease(
        setting=raw["setting"],
        release=raw["release"],
        effective=parse_date(raw["effective"]) if raw["effective"] else None,
        limits={k: (int(v[0]), int(v[1]), str(v[2])) for k, v in raw["limits"].items()},
    )


def load_mue(home: Path | None = None) -> MueTable:
    """MUE releases of every setting: imported under ``home`` where present, else shipped."""
    releases = {}
    for setting in MUE_SETTINGS:
        imported = None if home is None else edits_dir(home) / f"mue-{setting}.json"
        if imported is not None and imported.exists():
            releases[setting] = _mue_release_from_json(imported.read_bytes())
            continue
        shipped = DATA / _SHIPPED_MUE[setting]
        with open_text(shipped) as stream:
            limits = read_mue(stream, shipped.name)
        releases[setting] = MueRelease(setting, SHIPPED_RELEASE, SHIPPED_EFFECTIVE, limits)
    return MueTable(releases)


def aoc_to_json(table: AocTable) -> bytes:
    """The compiled form of an imported AOC release."""
    rows = [
        [
            e.addon,
            e.primary,
            e.edit_type,
            e.effective.isoformat() if e.effective else None,
            e.deletion.isoformat() if e.deletion else None,
        ]
        for addon in sorted(table.addons())
        for e in table.edits(addon)
    ]
    return json.dumps({"release": table.release, "rows": rows}).encode()


def load_aoc(home: Path | None = None) -> AocTable:
    """Add-on code edits: imported under ``home`` if present, else the shipped 2024Q3 table."""
    imported = None if home is None else edits_dir(home) / "aoc.json"
    if imported is not None and imported.exists():
        raw = json.loads(imported.read_bytes())
        edits = [
            AocEdit(
                r[0],
                r[1],
                int(r[2]),
                date.fromisoformat(r[3]) if r[3] else None,
                date.fromisoformat(r[4]) if r[4] else None,
            )
            for r in raw["rows"]
        ]
        return AocTable(str(raw["release"]), edits)
    shipped = DATA / _SHIPPED_AOC
    with open_text(shipped) as stream:
        return AocTable(SHIPPED_RELEASE, read_aoc(stream, shipped.name))
