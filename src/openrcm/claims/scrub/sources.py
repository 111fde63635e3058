"""Adapters from the code-set packages to the scrubber's lookup protocols.

``openrcm.codesets.edits`` compiles the NCCI tables (PTP, MUE, add-on codes); the scrubber asks
them through ``NcciReference``. ``openrcm.codesets.icd10cm`` answers the tabular questions
through ``DiagnosisReference``. The adapters only translate and cache: a claim batch asks about
the same few hundred diagnosis codes again and again, so each (release, code) is worked out
once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from openrcm.claims.scrub.reference import (
    DiagnosisFacts,
    MceFacts,
    MueLimit,
    PtpEdit,
    Reference,
)
from openrcm.codesets.edits.aoc import AocTable
from openrcm.codesets.edits.codes import is_procedure_code
from openrcm.codesets.edits.mce import MceTable, load_mce
from openrcm.codesets.edits.mue import MueTable, NoEditRelease
from openrcm.codesets.edits.ptp import PtpTable
from openrcm.codesets.edits.store import load_aoc, load_mue, load_ptp
from openrcm.codesets.icd10cm import ICD10CM
from openrcm.codesets.icd10cm.errors import CodeSetError, DateOutsideReleases
from openrcm.codesets.reference.codelist import CURRENT
from openrcm.codesets.reference.lists import load as load_list

#: A code or code family inside a note's text: "E10.-", "O24.4-", "Z79.4", "E11".
_NOTE_CODE = re.compile(r"\b([A-Z][0-9][0-9A-Z](?:\.[0-9A-Z]{1,4})?)-?")


class CodesetNcci:
    """``NcciReference`` over the compiled NCCI tables of one setting.

    Args:
        setting: ``practitioner`` (professional claims) or ``outpatient`` (institutional).
    """

    def __init__(self, ptp: PtpTable, mue: MueTable, aoc: AocTable, setting: str) -> None:
        self._ptp = ptp
        self._mue = mue
        self._aoc = aoc
        self._setting = setting
        self._addons = aoc.addons()
        self.release = ptp.release
        release = mue.releases.get(setting)
        self._mue_from = release.effective if release is not None else None
        self._partners: dict[str, _Partners] = {}
        self._limits: dict[str, MueLimit | None] = {}
        # Add-on codes whose rows carry no dates answer the same on every day.
        self._undated_addons: dict[str, tuple[int, frozenset[str]]] = {}

    def ptp_partners(self, column1: str) -> Mapping[str, tuple[PtpEdit, ...]]:
        partners = self._partners.get(column1)
        if partners is None:
            if len(self._partners) >= _CACHE_LIMIT:
                self._partners.clear()
            partners = self._partners[column1] = _Partners(self, column1)
        return partners

    def _rows(self, column1: str, column2: str) -> tuple[PtpEdit, ...]:
        """Every row of the pair, whatever its dates (the date is checked per claim line)."""
        if not (is_procedure_code(column1) and is_procedure_code(column2)):
            return ()
        return tuple(
            PtpEdit(e.modifier_indicator, e.effective, e.deletion)
            for e in self._ptp.history(column1, column2)
        )

    def mue(self, code: str, on: date) -> MueLimit | None:
        if self._mue_from is not None and on < self._mue_from:
            return None
        try:
            return self._limits[code]
        except KeyError:
            pass
        try:
            found = self._mue.limit(code, self._setting, on)
        except NoEditRelease:
            return None
        limit = None if found is None else MueLimit(found.units, found.mai)
        self._limits[code] = limit
        return limit

    def add_on_primaries(self, code: str, on: date) -> tuple[int, frozenset[str]] | None:
        if code not in self._addons:
            return None
        cached = self._undated_addons.get(code)
        if cached is not None:
            return cached
        kind = self._aoc.edit_type(code, on)
        if kind is None:
            return None
        answer = kind, self._aoc.primaries(code, on)
        rows = self._aoc.edits(code)
        if all(e.effective is None and e.deletion is None for e in rows):
            self._undated_addons[code] = answer
        return answer


class _Partners(dict[str, tuple[PtpEdit, ...]]):
    """The PTP rows of the pairs under one column 1 code, read from the table the first time
    each pair is asked for (claims ask the same few hundred pairs again and again)."""

    def __init__(self, ncci: CodesetNcci, column1: str) -> None:
        super().__init__()
        self._ncci = ncci
        self._column1 = column1

    def __missing__(self, column2: str) -> tuple[PtpEdit, ...]:
        rows = self._ncci._rows(self._column1, column2)
        if len(self) < _CACHE_LIMIT:
            self[column2] = rows
        return rows


#: Column 1 codes, and column 2 codes under each, remembered by one adapter (bounds memory).
_CACHE_LIMIT = 20_000


def load_reference(
    home: Path | None, icd10cm: ICD10CM | None = None, outpatient: bool = True
) -> Reference:
    """A ``Reference`` with the NCCI tables of ``openrcm.codesets.edits`` (imported under
    ``home``, else the shipped release; compiled once under ``home``) and, when given, the
    ICD-10-CM releases."""
    mue = load_mue(home)
    aoc = load_aoc(home)
    prac = CodesetNcci(load_ptp("practitioner", home), mue, aoc, "practitioner")
    out = CodesetNcci(load_ptp("outpatient", home), mue, aoc, "outpatient") if outpatient else None
    diagnoses = CodesetDiagnoses(icd10cm) if icd10cm is not None else None
    mce = CodesetMce(load_mce(home))
    return Reference(
        diagnoses=diagnoses,
        ncci=prac,
        ncci_outpatient=out,
        mce=mce,
        places_of_service=_current("pos", home),
        modifiers=_current("modifier", home),
    )


def _current(kind: str, home: Path | None) -> frozenset[str]:
    """The codes of an ``openrcm.codesets.reference`` list that are not deactivated."""
    return frozenset(e.code for e in load_list(kind, home) if e.status == CURRENT)


def _note_codes(text: str) -> tuple[str, ...]:
    """The codes and code families a note names, without periods (prefixes to match)."""
    return tuple(dict.fromkeys(m.replace(".", "") for m in _NOTE_CODE.findall(text)))


class CodesetDiagnoses:
    """``DiagnosisReference`` over ``openrcm.codesets.icd10cm``.

    Manifestation codes are those whose own "code first" note asks for the underlying
    condition or disease (the tabular prints them in italics, "Code first underlying
    disease, such as ..."); other "code first" notes (Z23: "code first any routine childhood
    examination") only ask for sequencing and do not make a code a manifestation.
    """

    def __init__(self, cm: ICD10CM) -> None:
        self._cm = cm
        self.release = "ICD-10-CM " + ", ".join(r.name for r in cm.releases)
        self._release_by_day: dict[date, str | None] = {}
        self._facts: dict[tuple[str, str], DiagnosisFacts | None] = {}

    def diagnosis(self, code: str, on: date) -> DiagnosisFacts | None:
        release = self._release_by_day.get(on, "")
        if release == "":
            try:
                release = self._cm.release_for(on).name
            except DateOutsideReleases:
                release = None
            self._release_by_day[on] = release
        if release is None:
            return None
        key = (release, code)
        try:
            return self._facts[key]
        except KeyError:
            found = self._facts[key] = self._work_out(code, on)
            return found

    def _work_out(self, code: str, on: date) -> DiagnosisFacts | None:
        cm = self._cm
        try:
            info = cm.lookup(code, on=on)
        except CodeSetError:
            base = code[:6]
            if len(code) == 7 and base != code:
                return self._seventh_invalid(base, on)
            return None
        manifestation = any(
            n.kind == "codeFirst"
            and n.level in ("code", "subcategory", "category")
            and "underlying" in n.text.lower()
            and "if applicable" not in n.text.lower()
            for n in info.notes
        )
        excludes = tuple(
            c for n in info.notes if n.kind == "excludes1" for c in _note_codes(n.text)
        )
        seventh = frozenset(s.char for s in info.seventh)
        return DiagnosisFacts(info.billable, seventh, manifestation, excludes)

    def _seventh_invalid(self, base: str, on: date) -> DiagnosisFacts | None:
        """A 7-character code the tabular does not list: when its first six characters take
        a 7th character, report the allowed ones (the 7th is what is wrong)."""
        try:
            info = self._cm.lookup(base, on=on)
        except CodeSetError:
            return None
        if not info.seventh:
            return None
        return DiagnosisFacts(False, frozenset(s.char for s in info.seventh))


_AGE_BANDS = {
    "Newborn_Only": "newborn",
    "Pediatric_Only": "pediatric",
    "Maternity_Only": "maternity",
    "Adult_Only": "adult",
}


class CodesetMce:
    """``MceReference`` over ``openrcm.codesets.edits.mce``.

    The shipped MCE lists end with version 37 (FY2020); a later date of service is answered
    by the newest version loaded (its age and sex lists change little from year to year), and
    ``release`` says which one that is.
    """

    def __init__(self, table: MceTable) -> None:
        self._table = table
        newest = table.releases[-1]
        self.release = f"MCE v{newest.version} (FY{newest.fiscal_year})"
        self._facts: dict[tuple[int, str], MceFacts | None] = {}
        self._version_by_day: dict[date, int | None] = {}

    def mce(self, code: str, on: date) -> MceFacts | None:
        version = self._version_by_day.get(on, 0)
        if version == 0:
            try:
                version = self._table.release_for(on, latest_if_later=True).version
            except NoEditRelease:
                version = None
            self._version_by_day[on] = version
        if version is None:
            return None
        key = (version, code)
        try:
            return self._facts[key]
        except KeyError:
            pass
        types = self._table.edits(code, on, latest_if_later=True).edit_types
        sex = "F" if "Female_Only" in types else "M" if "Male_Only" in types else ""
        band = next((b for t, b in _AGE_BANDS.items() if t in types), "")
        found = self._facts[key] = MceFacts(sex, band) if sex or band else None
        return found
