"""Synthetic claims written as real 837P files for the payer tests (invented people); the
claims themselves come from ``tests.support.claims``."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from openrcm.claims.model import Claim, Payer
from openrcm.claims.x837 import Party, write_837
from openrcm.x12.builders.envelope import Envelope
from tests.support.claims import CLINIC, DOS, NPI, PRIMARY, SECONDARY, D, claim, line

__all__ = ["DOS", "NPI", "PRIMARY", "SECONDARY", "TODAY", "D", "claim", "elsewhere", "line",
           "with_npi", "x837"]
TODAY = date(2026, 3, 10)


def x837(*claims: Claim, control: int = 1) -> str:
    env = Envelope("CLINIC", "OPENRCMSIM", control, control, TODAY, "1200")
    return write_837(list(claims), env, Party("SIM CLINIC", "CLINIC", "BILLING", "5555550100"),
                     Party("OPENRCM SIM", "OPENRCMSIM"), control)


def with_npi(c: Claim, npi: str) -> Claim:
    return replace(c, billing_provider=replace(CLINIC, npi=npi))


def elsewhere(c: Claim) -> Claim:
    """The claim sent to a payer the simulator does not have (a 277CA rejection, A3:116)."""
    return replace(c, coverage=replace(c.coverage, payer=Payer("NOPE", "NO SUCH PAYER")))
