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
            ``completions``), ``deleted`` (the release no longer has it: ``reason`` says since
            when) or ``unknown``.
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
        return Reconciled(
            index_code, code, "completed-by-tabular", rel, completions,
            f"{code} is completed by the tabular list in {rel}: "
            f"{len(completions)}{'+' if len(completions) == 50 else ''} billable codes",
        )
    status = "deleted" if v.reason_code == "ICD10CM-DELETED" else "unknown"
    return Reconciled(index_code, code, status, rel, (), v.reason)
