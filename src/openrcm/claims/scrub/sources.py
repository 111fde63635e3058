"""Adapters from the code-set packages to the scrubber's lookup protocols.

``openrcm.codesets.edits`` compiles the NCCI tables (PTP, MUE, add-on codes); the scrubber asks
them through ``NcciReference``. The adapter only translates: it guards codes the tables cannot
hold (anything not five letters or digits is simply not in NCCI) and caches add-on answers,
which are asked for every line of every claim.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openrcm.claims.scrub.reference import MueLimit, PtpEdit, Reference
from openrcm.codesets.edits.aoc import AocTable
from openrcm.codesets.edits.codes import is_procedure_code
from openrcm.codesets.edits.mue import MueTable, NoEditRelease
from openrcm.codesets.edits.ptp import PtpTable
from openrcm.codesets.edits.store import load_aoc, load_mue, load_ptp


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

    def ptp(self, column1: str, column2: str, on: date) -> PtpEdit | None:
        if not (is_procedure_code(column1) and is_procedure_code(column2)):
            return None
        edit = self._ptp.edits_for(column1, column2, on)
        if edit is None:
            return None
        return PtpEdit(edit.modifier_indicator, edit.effective, edit.deletion)

    def mue(self, code: str, on: date) -> MueLimit | None:
        try:
            limit = self._mue.limit(code, self._setting, on)
        except NoEditRelease:
            return None
        return None if limit is None else MueLimit(limit.units, limit.mai)

    def add_on_primaries(self, code: str, on: date) -> tuple[int, frozenset[str]] | None:
        if code not in self._addons:
            return None
        kind = self._aoc.edit_type(code, on)
        if kind is None:
            return None
        return kind, self._aoc.primaries(code, on)


def shipped_reference(home: Path | None = None, outpatient: bool = True) -> Reference:
    """A ``Reference`` with the NCCI tables ``openrcm.codesets.edits`` provides (imported under
    ``home`` or the shipped release). Loading the practitioner PTP table without a compiled
    cache takes seconds; pass ``home`` so it is compiled once."""
    mue = load_mue(home)
    aoc = load_aoc(home)
    prac = CodesetNcci(load_ptp("practitioner", home), mue, aoc, "practitioner")
    out = CodesetNcci(load_ptp("outpatient", home), mue, aoc, "outpatient") if outpatient else None
    return Reference(ncci=prac, ncci_outpatient=out)
