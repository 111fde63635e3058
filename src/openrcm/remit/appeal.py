"""Appeal letters as PDF, with the claim facts filled in.

The argument per denial category is data (``data/appeal_paragraphs.yaml``); the letter puts
the practice, payer, claim, patient, service, the denial reason (CARC/RARC with their text)
and that argument on one page. Pure: facts in, PDF bytes out (the caller stores or prints it).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib import resources
from textwrap import wrap

import yaml
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen.canvas import Canvas

from openrcm.remit.model import Denial


@dataclass(frozen=True, slots=True)
class AppealFacts:
    """What the letter says about the claim (the patient's name and ids are PHI: the PDF is
    a document for the payer, never a log line)."""

    practice_name: str
    practice_address: str
    payer_name: str
    claim_id: str
    payer_control: str
    patient_name: str
    member_id: str
    service_date: date
    procedure: str
    billed: Decimal
    letter_date: date


@cache
def paragraphs() -> dict[str, str]:
    """The argument text per denial category."""
    text = resources.files("openrcm.remit").joinpath("data/appeal_paragraphs.yaml").read_text()
    data = yaml.safe_load(text)
    return {str(k): " ".join(str(v).split()) for k, v in data.items()}


def appeal_letter(facts: AppealFacts, denial: Denial) -> bytes:
    """A one-page appeal letter for one denied line, as PDF bytes."""
    argument = paragraphs().get(denial.category, paragraphs()["other"]).format(
        service_date=facts.service_date.isoformat())
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=LETTER, pageCompression=0, invariant=1)
    pdf.setTitle(f"Appeal of claim {facts.claim_id}")
    y = 740.0

    def line(text: str, size: int = 10, gap: float = 14) -> None:
        nonlocal y
        pdf.setFont("Helvetica-Bold" if size > 10 else "Helvetica", size)
        pdf.drawString(72, y, text)
        y -= gap

    line(facts.practice_name, 12, 16)
    line(facts.practice_address)
    y -= 10
    line(facts.letter_date.strftime("%B %d, %Y"))
    line(f"To: {facts.payer_name}, appeals department")
    y -= 10
    line("Request for reconsideration", 12, 18)
    for label, value in (("Claim", facts.claim_id), ("Payer claim number", facts.payer_control),
                         ("Patient", facts.patient_name), ("Member id", facts.member_id),
                         ("Date of service", facts.service_date.isoformat()),
                         ("Service", f"{facts.procedure}, billed {facts.billed}"),
                         ("Denial", f"{denial.group}-{denial.reason}: {denial.description}")):
        for n, part in enumerate(wrap(f"{label}: {value}", 95)):
            line(part if n == 0 else f"    {part}")
    for code, text in denial.remarks:
        for part in wrap(f"Remark {code}: {text}", 95):
            line(part)
    y -= 10
    for part in wrap(argument, 95):
        line(part)
    y -= 10
    line("Sincerely,")
    line(f"Billing office, {facts.practice_name}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
