"""ICD-10-CM releases and the dates each one is in force.

The US fiscal year ``FYn`` runs from 1 October of year n-1 to 30 September of year n, and a
new ICD-10-CM release takes effect on each 1 October. Since 2023 CMS/NCHS also publish an
April 1 update in the middle of the year, adding a few codes.

The bundled files are the *April 1 updates* of FY2025 and FY2026. openrcm applies each one to
its whole fiscal year. What that implies: a code added by the April 1 update (e.g. 1 April 2025)
is answered as valid from the 1 October before it (2024-10-01), six months early, and a code
deleted by an April update is answered as invalid for the six months before the update. Load
the October release with ``openrcm codes import icd10cm-tabular`` when that difference matters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Release:
    """One loaded release: which fiscal year, which dates it answers for, and its source.

    Attributes:
        name: ``FY2026``; the key used everywhere (store files, API, CLI).
        fiscal_year: 2026.
        effective_from: first date of service the release answers for (inclusive).
        effective_to: last date of service (inclusive).
        source: the file it was compiled from (the bundled file name or the imported path).
        note: where the file comes from and what it is (e.g. "April 1 2026 update").
    """

    name: str
    fiscal_year: int
    effective_from: date
    effective_to: date
    source: str
    note: str

    def covers(self, on: date) -> bool:
        """True when a date of service ``on`` falls inside this release's window."""
        return self.effective_from <= on <= self.effective_to

    def window(self) -> str:
        """``2025-10-01..2026-09-30``, the form every message uses."""
        return f"{self.effective_from.isoformat()}..{self.effective_to.isoformat()}"


def fiscal_year_window(fiscal_year: int) -> tuple[date, date]:
    """The dates of service of a US fiscal year: 1 October of the year before to 30 September."""
    return date(fiscal_year - 1, 10, 1), date(fiscal_year, 9, 30)


# The releases shipped with openrcm: (fiscal year, bundled file, note).
BUNDLED_TABULAR: tuple[tuple[int, str, str], ...] = (
    (2025, "icd10cm-tabular-2025-april.xml.xz", "CDC ICD-10-CM FY2025, April 1 2025 update"),
    (2026, "icd10cm-tabular-2026-april.xml.xz", "CDC ICD-10-CM FY2026, April 1 2026 update"),
)
