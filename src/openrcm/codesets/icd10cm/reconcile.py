"""Reconcile index codes with the tabular release in use.

The index gives codes that are not always billable as printed: ``C79.8-`` (the dash says "see
the tabular for the rest"), a category such as ``E11.2`` that has more specific codes, a leaf
that still needs a 7th character, or (with an older index) a code the newer release deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from openrcm.codesets.icd10cm.codes import normalize
from openrcm.codesets.icd10cm.codeset import ICD10CM
from openrcm.codesets.icd10cm.errors import MalformedCode
from openrcm.codesets.icd10cm.model import CodeRef


@dataclass(frozen=True, slots=True)
class Reconciled:
    """What an index code means in a release.

    Attributes:
        index_code: as printed in the index (``C79.8-``).
        code: tabular form without the dash (``C79.8``); empty when malformed.
        status: ``billable`` (use it as is), ``completed-by-tabular`` (pick one of
            ``completions``), ``expanded`` (billable in the previous release, a header in this
            one: CMS deleted it as a code and added the ``completions``), ``deleted`` (the
            release no longer has it: ``reason`` says since when) or ``unknown``.
        release: the release consulted.
        completions: the billable codes that complete it (first 50).
        reason: one sentence.
    """

    index_code: str
    code: str
    status: str
    release: str
    completions: tuple[CodeRef, ...]
    reason: str


def reconcile(cm: ICD10CM, index_code: str, on: date | None = None) -> Reconciled:
    """Say how ``index_code`` is used with the release in force on ``on``."""
    tab = cm.tabular(on)
    rel = tab.release.name
    raw = index_code.strip().rstrip("-").rstrip(".")
    try:
        code = normalize(raw)
    except MalformedCode as exc:
        return Reconciled(index_code, "", "unknown", rel, (), exc.message)
    v = cm.validate(code, on)
    if v.status == "billable":
        return Reconciled(index_code, code, "billable", rel, (), v.reason)
    if v.status == "not-billable":
        completions = cm.billable_descendants(code, on, 50)
        earlier = [r for r in cm.releases if r.effective_to < tab.release.effective_from]
        if earlier:
            prev = earlier[-1]
            if cm.validate(code, prev.effective_from).status == "billable":
                return Reconciled(
                    index_code, code, "expanded", rel, completions,
                    f"{code} was a billable code in {prev.name} and is deleted as a code in "
                    f"{rel}: use one of {', '.join(c.code for c in completions[:5])}",
                )
        return Reconciled(
            index_code, code, "completed-by-tabular", rel, completions,
            f"{code} is completed by the tabular list in {rel}: "
            f"{len(completions)}{'+' if len(completions) == 50 else ''} billable codes",
        )
    status = "deleted" if v.reason_code == "ICD10CM-DELETED" else "unknown"
    return Reconciled(index_code, code, status, rel, (), v.reason)


@dataclass(frozen=True, slots=True)
class IndexReconciliation:
    """Every code the index and tables give, reconciled with one release.

    Attributes:
        release: the release consulted.
        counts: number of distinct index codes per status.
        flagged: the codes a coder cannot take from the index as printed because of the
            release: ``expanded``, ``deleted`` and ``unknown`` ones, with reasons.
    """

    release: str
    counts: dict[str, int]
    flagged: tuple[Reconciled, ...]


def index_codes(cm: ICD10CM) -> set[str]:
    """Every distinct code printed in the Alphabetic Index, External Cause Index and tables."""
    out: set[str] = set()
    for part in ("index", "eindex", "drug", "neoplasm"):
        for main in cm.index_part(part).main_terms():
            for term in main.walk():
                codes = [term.code, *(code for _, code in term.cells)]
                out.update(c for c in codes if c.strip("-. "))
    return out


def reconcile_index(cm: ICD10CM, on: date | None = None) -> IndexReconciliation:
    """Reconcile every index code with the release in force on ``on``."""
    counts: dict[str, int] = {}
    flagged: list[Reconciled] = []
    for code in sorted(index_codes(cm)):
        r = reconcile(cm, code, on)
        counts[r.status] = counts.get(r.status, 0) + 1
        if r.status in ("expanded", "deleted", "unknown"):
            flagged.append(r)
    return IndexReconciliation(cm.tabular(on).release.name, counts, tuple(flagged))
