"""The claim scrubber: edits as data, one engine, reports per claim and per batch.

``scrubber(reference, packs)`` is the usual way in: every built-in edit (TR3 completeness,
ICD-10-CM conventions, MCE, NCCI, payer rules) plus the edits of any YAML payer rule packs.
"""

from __future__ import annotations

from collections.abc import Iterable

from openrcm.claims.scrub import codes, ncci, payer, tr3
from openrcm.claims.scrub.engine import (
    BatchReport,
    ClaimReport,
    Edit,
    History,
    Scrubber,
    billed_keys,
)
from openrcm.claims.scrub.reference import Reference
from openrcm.claims.scrub.rulepack import RulePack, RulePackError, load_pack, parse_pack

BUILT_IN: tuple[Edit, ...] = tr3.EDITS + codes.EDITS + ncci.EDITS + payer.EDITS


def scrubber(reference: Reference | None = None, packs: Iterable[RulePack] = ()) -> Scrubber:
    """A scrubber with every built-in edit and the edits of ``packs``."""
    extra = tuple(e for pack in packs for e in pack.edits())
    ids = [e.id for e in BUILT_IN + extra]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise RulePackError(f"edit IDs defined twice: {', '.join(dupes)}")
    return Scrubber(BUILT_IN + extra, reference or Reference())


__all__ = [
    "BUILT_IN",
    "BatchReport",
    "ClaimReport",
    "Edit",
    "History",
    "Reference",
    "RulePack",
    "RulePackError",
    "Scrubber",
    "billed_keys",
    "load_pack",
    "parse_pack",
    "scrubber",
]
