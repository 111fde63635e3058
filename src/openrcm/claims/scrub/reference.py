"""What the scrubber needs to know about codes, as small lookup protocols.

The scrubber does not care where the ICD-10-CM tabular or the NCCI tables come from: the code
set packages (``openrcm.codesets``) compile them, a test builds them from a handful of rows, a
benchmark generates them. Each protocol asks exactly the question one family of edits needs,
so an adapter over any source is a few lines and the edits stay fast (one dictionary probe per
question). ``Reference`` bundles whichever sources are present; edits whose source is absent
are not run, and the report says which families ran.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol


@dataclass(frozen=True, slots=True)
class DiagnosisFacts:
    """What the ICD-10-CM tabular says about one code on one date.

    Attributes:
        billable: a leaf code (a header code cannot be billed).
        seventh: the 7th characters the code's category allows; empty when none is required.
        manifestation: the code may not be listed first ("code first" the underlying
            condition; printed in italics in the tabular).
        excludes1: codes or code prefixes (without the period) that must not be reported
            together with this code, inherited notes included.
    """

    billable: bool
    seventh: frozenset[str] = frozenset()
    manifestation: bool = False
    excludes1: tuple[str, ...] = ()


class DiagnosisReference(Protocol):
    """ICD-10-CM facts for a date of service: ``None`` when the code is not valid that day."""

    @property
    def release(self) -> str: ...

    def diagnosis(self, code: str, on: date) -> DiagnosisFacts | None: ...


@dataclass(frozen=True, slots=True)
class PtpEdit:
    """One NCCI procedure-to-procedure edit: column 2 is not paid with column 1 unless the
    modifier indicator (0 never, 1 with a bypass modifier, 9 not applicable) allows it."""

    modifier_indicator: int
    effective: date | None = None
    deletion: date | None = None

    def active_on(self, day: date) -> bool:
        """True when the edit applies to a service on ``day``."""
        return (self.effective is None or self.effective <= day) and (
            self.deletion is None or day <= self.deletion
        )


def ptp_in_effect(rows: tuple[PtpEdit, ...], day: date) -> PtpEdit | None:
    """The row of one pair in effect on ``day``; the one ending soonest when several are."""
    best: PtpEdit | None = None
    for row in rows:
        if row.active_on(day) and (
            best is None or (row.deletion or date.max) < (best.deletion or date.max)
        ):
            best = row
    return best


@dataclass(frozen=True, slots=True)
class MueLimit:
    """Medically unlikely edit: at most ``units`` of the code; the adjudication indicator says
    per line (1), per day absolute (2) or per day clinical (3)."""

    units: int
    mai: int


class NcciReference(Protocol):
    """NCCI tables of one setting (practitioner or outpatient hospital), asked per date of
    service: each answer is the edit in effect that day, or ``None``."""

    @property
    def release(self) -> str: ...

    def ptp_partners(self, column1: str) -> Mapping[str, tuple[PtpEdit, ...]]:
        """The rows of every pair with ``column1`` in column 1, whatever their dates, keyed
        by the column 2 code (``()`` when the pair has no edit).

        One probe per line pair keeps the claim's pair loop cheap; ``ptp_in_effect`` picks
        the row for the date of service.
        """
        ...

    def mue(self, code: str, on: date) -> MueLimit | None: ...

    def add_on_primaries(self, code: str, on: date) -> tuple[int, frozenset[str]] | None:
        """``None`` when ``code`` is not an add-on code, else (edit type, primary codes)."""
        ...


@dataclass(frozen=True, slots=True)
class MceFacts:
    """Medicare Code Editor facts of a diagnosis: sex (``M``/``F``/empty) and age band
    (``newborn``, ``pediatric``, ``maternity``, ``adult`` or empty)."""

    sex: str = ""
    age_band: str = ""


class MceReference(Protocol):
    """The MCE age and sex lists, keyed by ICD-10-CM code without its period."""

    @property
    def release(self) -> str: ...

    def mce(self, code: str, on: date) -> MceFacts | None: ...


#: The MCE age limits in years, inclusive (MCE definitions: newborn 0, pediatric 0-17,
#: maternity 9-64, adult 15-124).
AGE_BANDS: Mapping[str, tuple[int, int]] = {
    "newborn": (0, 0),
    "pediatric": (0, 17),
    "maternity": (9, 64),
    "adult": (15, 124),
}


@dataclass(frozen=True, slots=True)
class TableNcci:
    """An ``NcciReference`` over plain dictionaries (tests, benchmarks, small custom sets).

    ``ptp_pairs`` maps ``column1 + column2`` (concatenated, one string per pair keeps memory
    low) to the edit.
    """

    release: str
    ptp_pairs: Mapping[str, PtpEdit] = field(default_factory=dict)
    mues: Mapping[str, MueLimit] = field(default_factory=dict)
    add_ons: Mapping[str, tuple[int, frozenset[str]]] = field(default_factory=dict)

    def ptp_partners(self, column1: str) -> Mapping[str, tuple[PtpEdit, ...]]:
        return _TablePartners(self.ptp_pairs, column1)

    def mue(self, code: str, on: date) -> MueLimit | None:
        return self.mues.get(code)

    def add_on_primaries(self, code: str, on: date) -> tuple[int, frozenset[str]] | None:
        return self.add_ons.get(code)


class _TablePartners(dict[str, tuple[PtpEdit, ...]]):
    """``TableNcci``'s pairs under one column 1 code, looked up as they are asked for."""

    def __init__(self, pairs: Mapping[str, PtpEdit], column1: str) -> None:
        super().__init__()
        self._pairs = pairs
        self._column1 = column1

    def __missing__(self, column2: str) -> tuple[PtpEdit, ...]:
        edit = self._pairs.get(self._column1 + column2)
        rows = self[column2] = () if edit is None else (edit,)
        return rows


@dataclass(frozen=True, slots=True)
class TableDiagnoses:
    """A ``DiagnosisReference`` over a dictionary valid on one date range (tests, custom)."""

    codes: Mapping[str, DiagnosisFacts]
    first_day: date = date.min
    last_day: date = date.max
    release: str = "custom"

    def diagnosis(self, code: str, on: date) -> DiagnosisFacts | None:
        if not self.first_day <= on <= self.last_day:
            return None
        return self.codes.get(code.replace(".", "").upper())


@dataclass(frozen=True, slots=True)
class TableMce:
    """An ``MceReference`` over a dictionary."""

    release: str
    codes: Mapping[str, MceFacts]

    def mce(self, code: str, on: date) -> MceFacts | None:
        return self.codes.get(code)


@dataclass(frozen=True, slots=True)
class Reference:
    """The code knowledge one scrub run uses; any part may be absent.

    ``ncci`` holds the practitioner tables (professional claims), ``ncci_outpatient`` the
    outpatient hospital ones (institutional claims). ``places_of_service`` and ``modifiers``
    (HCPCS Level II modifiers) are the codes in use; empty sets mean "check the shape only".
    """

    diagnoses: DiagnosisReference | None = None
    ncci: NcciReference | None = None
    ncci_outpatient: NcciReference | None = None
    mce: MceReference | None = None
    places_of_service: frozenset[str] = frozenset()
    modifiers: frozenset[str] = frozenset()
