"""CMS National Correct Coding Initiative edits: procedure-to-procedure pairs, medically
unlikely edits and add-on codes billed without their primary.

NCCI applies per patient, provider and date of service; one claim has one billing provider,
so pairs are compared among lines with the same date.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from openrcm.claims.scrub.engine import Edit, Facts, Hit
from openrcm.claims.scrub.reference import ptp_in_effect
from openrcm.findings import Severity

NCCI = "CMS NCCI"
NONE: Sequence[Hit] = ()

#: Modifiers that let a modifier-indicator-1 pair through (NCCI Policy Manual, chapter I,
#: section E): distinct procedural service, its X{EPSU} subsets, anatomic modifiers, global
#: surgery modifiers and repeat lab.
BYPASS = frozenset(
    [
        "59",
        "XE",
        "XS",
        "XP",
        "XU",
        "E1",
        "E2",
        "E3",
        "E4",
        "FA",
        "F1",
        "F2",
        "F3",
        "F4",
        "F5",
        "F6",
        "F7",
        "F8",
        "F9",
        "TA",
        "T1",
        "T2",
        "T3",
        "T4",
        "T5",
        "T6",
        "T7",
        "T8",
        "T9",
        "LT",
        "RT",
        "LC",
        "LD",
        "RC",
        "LM",
        "RI",
        "24",
        "25",
        "57",
        "27",
        "91",
    ]
)


def ptp(f: Facts) -> Sequence[Hit]:
    ncci = f.ncci
    lines = f.claim.lines
    if ncci is None or len(lines) < 2:
        return NONE
    hits: list[Hit] = []
    procs = f.procedures
    for i, a in enumerate(procs):
        day = lines[i].service_date
        partners = ncci.ptp_partners(a)
        for j, b in enumerate(procs):
            if i == j or a == b:
                continue
            rows = partners[b]
            if not rows or lines[j].service_date != day:
                continue
            edit = ptp_in_effect(rows, day)
            if edit is None or edit.modifier_indicator == 9:
                continue
            if edit.modifier_indicator == 1 and (f.mods[i] & BYPASS or f.mods[j] & BYPASS):
                continue
            hits.append(
                (
                    {"line": j + 1, "column1_line": i + 1},
                    {"c1": a, "c2": b, **(_MI0 if edit.modifier_indicator == 0 else _MI1)},
                )
            )
    return hits


_MI0 = {
    "why": "no modifier can unbundle it (modifier indicator 0)",
    "fix": "Remove the column 2 code: it is not separately payable with the column 1 code.",
}
_MI1 = {
    "why": "no bypass modifier is present (modifier indicator 1)",
    "fix": "If it was a distinct service (other site, session or encounter), add 59 or "
    "XE/XS/XP/XU or an anatomic modifier; otherwise remove it.",
}


def _mue_totals(f: Facts) -> dict[tuple[str, date], tuple[Decimal, int]]:
    totals: dict[tuple[str, date], tuple[Decimal, int]] = {}
    for i, ln in enumerate(f.claim.lines):
        key = (f.procedures[i], ln.service_date)
        units, first = totals.get(key, (Decimal(0), i))
        totals[key] = (units + ln.units, first)
    return totals


def mue(f: Facts) -> Sequence[Hit]:
    ncci = f.ncci
    if ncci is None:
        return NONE
    hits: list[Hit] = []
    per_day: set[str] = set()
    lines = f.claim.lines
    procedures = f.procedures
    for i, code in enumerate(procedures):
        limit = ncci.mue(code, lines[i].service_date)
        if limit is None:
            continue
        units = lines[i].units
        if limit.mai != 1 and procedures.count(code) > 1:
            per_day.add(code)
        elif units > limit.units:
            per = "line" if limit.mai == 1 else "day"
            hits.append(
                (
                    {"line": i + 1},
                    {
                        "code": code,
                        "units": units,
                        "limit": limit.units,
                        "per": per,
                        "mai": limit.mai,
                    },
                )
            )
    if per_day:
        for (code, day), (units, first) in _mue_totals(f).items():
            if code in per_day:
                limit = ncci.mue(code, day)
                if limit is not None and units > limit.units:
                    hits.append(
                        (
                            {"line": first + 1},
                            {
                                "code": code,
                                "units": units,
                                "limit": limit.units,
                                "per": "day",
                                "mai": limit.mai,
                            },
                        )
                    )
    return hits


def add_on(f: Facts) -> Sequence[Hit]:
    """Add-on codes without a listed primary on the same day (worked out once per claim for
    both add-on edits)."""
    if f.add_on_hits is not None:
        return f.add_on_hits
    ncci = f.ncci
    hits: list[Hit] = []
    if ncci is not None:
        lines = f.claim.lines
        for i, code in enumerate(f.procedures):
            day = lines[i].service_date
            found = ncci.add_on_primaries(code, day)
            if found is None:
                continue
            kind, primaries = found
            if not primaries:
                continue
            if not any(
                p in primaries and lines[j].service_date == day
                for j, p in enumerate(f.procedures)
                if j != i
            ):
                hits.append(({"line": i + 1}, {"code": code, "type": kind}))
    f.add_on_hits = hits
    return hits


def add_ons_clean(f: Facts) -> bool:
    """Screen of both add-on edits: every add-on code has its primary."""
    return not add_on(f)


def add_on_type1(f: Facts) -> Sequence[Hit]:
    return [h for h in add_on(f) if h[1]["type"] == 1]


def add_on_type3(f: Facts) -> Sequence[Hit]:
    return [h for h in add_on(f) if h[1]["type"] != 1]


E, W = Severity.ERROR, Severity.WARNING

EDITS: tuple[Edit, ...] = (
    Edit(
        "NCCI-PTP",
        E,
        "{c2} is bundled into {c1} on the same day and {why}.",
        "{fix}",
        NCCI,
        "",
        "ncci",
        ptp,
    ),
    Edit(
        "NCCI-MUE",
        E,
        "{code} is billed with {units} units per {per}; the MUE allows {limit} (MAI {mai}).",
        "Check the units; MAI 1 lines may be split with modifiers, MAI 2 cannot be exceeded, "
        "MAI 3 needs documentation on appeal.",
        NCCI,
        "",
        "ncci",
        mue,
    ),
    Edit(
        "NCCI-AOC-PRIMARY",
        E,
        "Add-on code {code} is billed without one of its primary procedures on the same day.",
        "Bill the primary procedure on the same claim, or remove the add-on code.",
        NCCI,
        "",
        "ncci",
        add_on_type1,
        screen=add_ons_clean,
    ),
    Edit(
        "NCCI-AOC-PRIMARY-OTHER",
        W,
        "Add-on code {code} is billed without any of its listed "
        "primary procedures (edit type {type}).",
        "Check that the primary procedure was billed; the payer may accept others.",
        NCCI,
        "",
        "ncci",
        add_on_type3,
        screen=add_ons_clean,
    ),
)
