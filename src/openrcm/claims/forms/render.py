"""Draw the paper claim forms with reportlab, in two flavours.

``data``: only the values, in the character grid of the preprinted red form, for printing on
the form stock. ``review``: the same values inside a drawn box for every field, with its box
number and label, so a biller can read and check a claim on plain paper or on screen.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from enum import StrEnum

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from openrcm.claims.forms.layout import (
    CHAR,
    CMS1500,
    CMS1500_FIRST_ROW,
    CMS1500_LINE,
    CMS1500_SHADED,
    LINE,
    UB04,
    UB04_FIRST_ROW,
    UB04_LINE,
    Field,
    point,
)
from openrcm.claims.forms.values import Page, cms1500_pages, ub04_pages
from openrcm.claims.model import Claim

#: The drop-out red of the preprinted forms (OCR scanners ignore it).
FORM_RED = Color(0.85, 0.15, 0.15)
SHADE = Color(1.0, 0.9, 0.9)


class Flavour(StrEnum):
    """``data`` prints on the preprinted form; ``review`` draws the form too."""

    DATA = "data"
    REVIEW = "review"


def _text(c: Canvas, f: Field, line: int, value: str) -> None:
    if not value:
        return
    x, y = point(line, f.col)
    c.setFillColor(black)
    c.setFont("Courier", 12)
    c.drawString(x, y, value.upper()[: f.width])


def _box(c: Canvas, f: Field, line: int, shaded: bool = False, label: bool = True) -> None:
    """A field's box. A long label sits in a strip above the box (the form's labelled rows
    are two lines apart, so the strip is free); a one- or two-letter label (diagnosis
    letters) sits to the left; continuation rows and repeated service lines get none."""
    x, y = point(line, f.col)
    width = max(f.width, 1) * CHAR + 3
    if shaded:
        c.setFillColor(SHADE)
        c.rect(x - 1.5, y - 3, width, LINE, stroke=0, fill=1)
    c.setStrokeColor(FORM_RED)
    c.setLineWidth(0.4)
    tall = label and len(f.label) > 2
    c.rect(x - 1.5, y - 3, width, LINE + (7.5 if tall else 0), stroke=1, fill=0)
    if label and f.label:
        c.setFillColor(FORM_RED)
        c.setFont("Helvetica", 4.5)
        if tall:
            c.drawString(x, y + LINE + 0.5, f.label)
        else:
            c.drawString(x - 9, y + 1, f.label)


def _title(c: Canvas, title: str, subtitle: str) -> None:
    c.setFillColor(FORM_RED)
    c.setFont("Helvetica-Bold", 11)
    c.drawString(18, 792 - 20, title)
    c.setFont("Helvetica", 6)
    c.drawString(18, 792 - 28, subtitle)


def _page(
    c: Canvas,
    page: Page,
    header: Sequence[Field],
    line_fields: Sequence[Field],
    shaded: Sequence[Field],
    first_row: int,
    step: int,
    slots: int,
    flavour: Flavour,
) -> None:
    if flavour is Flavour.REVIEW:
        for f in header:
            _box(c, f, f.line)
        labels = first_row - step - (1 if shaded else 0)
        c.setFillColor(FORM_RED)
        c.setFont("Helvetica", 4.5)
        for f in line_fields:
            x, y = point(labels, f.col)
            c.drawString(x, y, f.label)
        for k in range(slots):
            row = first_row + k * step
            for f in line_fields:
                _box(c, f, row, label=False)
            for f in shaded:
                _box(c, f, row - 1, shaded=True, label=False)
    for f in header:
        _text(c, f, f.line, page.boxes.get(f.key, ""))
    for k, values in enumerate(page.lines):
        row = first_row + k * step
        for f in line_fields:
            _text(c, f, row, values.get(f.key, ""))
        for f in shaded:
            _text(c, f, row - 1, values.get(f.key, ""))


def cms1500_pdf(claim: Claim, printed_on: date, flavour: Flavour = Flavour.DATA) -> bytes:
    """The claim on CMS-1500 (02/12) pages as a PDF."""
    out = io.BytesIO()
    c = Canvas(out, pagesize=letter, pageCompression=1)
    c.setTitle(f"CMS-1500 claim {claim.claim_id}")
    for page in cms1500_pages(claim, printed_on):
        if flavour is Flavour.REVIEW:
            _title(
                c,
                "HEALTH INSURANCE CLAIM FORM",
                "APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12 - REVIEW COPY",
            )
        _page(c, page, CMS1500, CMS1500_LINE, CMS1500_SHADED, CMS1500_FIRST_ROW, 2, 6, flavour)
        c.showPage()
    c.save()
    return out.getvalue()


def ub04_pdf(claim: Claim, printed_on: date, flavour: Flavour = Flavour.DATA) -> bytes:
    """The claim on UB-04 (CMS-1450) pages as a PDF."""
    out = io.BytesIO()
    c = Canvas(out, pagesize=letter, pageCompression=1)
    c.setTitle(f"UB-04 claim {claim.claim_id}")
    for page in ub04_pages(claim, printed_on):
        _page(c, page, UB04, UB04_LINE, (), UB04_FIRST_ROW, 1, 22, flavour)
        c.showPage()
    c.save()
    return out.getvalue()
