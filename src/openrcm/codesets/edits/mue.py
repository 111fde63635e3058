"""NCCI medically unlikely edits (MUE): the most units of a code one patient gets on one day.

CMS publishes one MUE table per setting each quarter, with no dates on the rows: a table is in
effect from its release's first day. ``MueTable`` holds one release per setting and refuses a
date of service before that release (``NoEditRelease``) rather than answer from a quarter that
did not yet exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from openrcm.codesets.edits.codes import pack

SETTINGS = ("practitioner", "outpatient", "dme")
"""Practitioner services, outpatient hospital services, DME supplier services."""

ADJUDICATION_INDICATORS = {
    1: "claim line edit",
    2: "date of service edit: policy",
    3: "date of service edit: clinical",
}
"""MAI: 1 compares units per claim line; 2 and 3 total the units of the day (2 is absolute)."""


class NoEditRelease(LookupError):
    """No loaded edit release covers the date of service asked about."""


@dataclass(frozen=True, slots=True)
class MueLimit:
    """The MUE of one code in one setting.

    Attributes:
        code: HCPCS/CPT code.
        setting: practitioner, outpatient or dme.
        units: the most units of service allowed (per line when ``mai`` is 1, else per day).
        mai: MUE adjudication indicator 1, 2 or 3 (see ``ADJUDICATION_INDICATORS``).
        rationale: CMS's MUE rationale text.
        release: the release label the value comes from.
    """

    code: str
    setting: str
    units: int
    mai: int
    rationale: str
    release: str

    @property
    def per_line(self) -> bool:
        """True when units are counted per claim line (MAI 1) rather than per date of service."""
        return self.mai == 1


@dataclass(frozen=True, slots=True)
class MueRelease:
    """The MUE values of one setting from one quarterly file.

    Attributes:
        setting: practitioner, outpatient or dme.
        release: label such as ``2024Q3``.
        effective: first date of service the values apply to; None when the source did not say.
        limits: code -> (units, MAI, rationale).
    """

    setting: str
    release: str
    effective: date | None
    limits: Mapping[str, tuple[int, int, str]]


def check_row(code: str, units: int, mai: int) -> None:
    """Raise ``ValueError`` naming the bad field of one MUE row."""
    pack(code)
    if units < 0:
        raise ValueError(f"MUE value must not be negative: {units}")
    if mai not in ADJUDICATION_INDICATORS:
        raise ValueError(f"MUE adjudication indicator must be 1, 2 or 3, not {mai}")


class MueTable:
    """MUE releases by setting; ``limit`` answers for one code, setting and date of service."""

    def __init__(self, releases: Mapping[str, MueRelease]) -> None:
        self.releases = dict(releases)

    def limit(self, code: str, setting: str, on: date) -> MueLimit | None:
        """The MUE of ``code`` in ``setting`` for a date of service, None when it has none.

        Raises:
            KeyError: unknown setting.
            NoEditRelease: the date precedes the loaded release of that setting.
        """
        if setting not in SETTINGS:
            raise KeyError(f"unknown MUE setting {setting!r}; expected one of {SETTINGS}")
        release = self.releases.get(setting)
        if release is None:
            raise NoEditRelease(f"no MUE release loaded for the {setting} setting")
        if release.effective is not None and on < release.effective:
            raise NoEditRelease(
                f"date of service {on} precedes the loaded {setting} MUE release "
                f"{release.release} (effective {release.effective})"
            )
        row = release.limits.get(code.upper())
        if row is None:
            return None
        units, mai, rationale = row
        return MueLimit(code.upper(), setting, units, mai, rationale, release.release)

    def count(self, setting: str) -> int:
        """How many codes have an MUE in ``setting``."""
        release = self.releases.get(setting)
        return 0 if release is None else len(release.limits)
