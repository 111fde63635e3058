"""Appeal letters: a real PDF carrying the claim facts and the category's argument."""

from __future__ import annotations

from datetime import date

from openrcm.remit.appeal import AppealFacts, appeal_letter, paragraphs
from openrcm.remit.plan import plan_remittance
from openrcm.remit.rules import DENIAL_CATEGORIES
from tests.remit.support import D, billed, cas, clp, era, svc

FACTS = AppealFacts("SIM CLINIC", "1 Main St, Springfield IL", "SIMULATED PPO", "C1", "PCN1",
                    "ALEX DOE", "M100", date(2026, 3, 2), "99213", D("150.00"),
                    date(2026, 4, 10))


def test_every_denial_category_has_an_argument() -> None:
    assert set(DENIAL_CATEGORIES) <= set(paragraphs())


def test_letter_is_a_pdf_with_the_claim_facts() -> None:
    remit = era(clp("C1", "150", "0", svc("99213", "150", "0", cas("CO", "50", "150"),
                                         remarks=("N386",)), status="4"))
    (denial,) = plan_remittance(remit, "P1", [billed()]).denials
    pdf = appeal_letter(FACTS, denial)
    assert pdf.startswith(b"%PDF-")
    for text in (b"Claim: C1", b"PCN1", b"CO-50", b"N386", b"medically necessary"):
        assert text in pdf, text
    assert appeal_letter(FACTS, denial) == pdf  # deterministic
