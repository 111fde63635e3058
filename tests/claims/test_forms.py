"""Paper forms: box values, paging, and PDFs that render to PNG."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from openrcm.claims.forms import (
    Flavour,
    FormError,
    cms1500_pages,
    cms1500_pdf,
    ub04_pages,
    ub04_pdf,
)
from openrcm.claims.forms.layout import CMS1500, PAGE_HEIGHT, PAGE_WIDTH, UB04, Field, point
from openrcm.claims.model import Claim, Frequency
from tests.claims.factories import AS_OF, claim, institutional, line


def test_cms1500_boxes() -> None:
    (page,) = cms1500_pages(claim(), AS_OF)
    b = page.boxes
    assert b["1a"] == "ACM123456" and b["1.CI"] == "X"
    assert b["2"] == "TESTPERSON, ALEX" and b["3.dob"] == "05 17 1980" and b["3.F"] == "X"
    assert b["6.self"] == "X" and b["21.A"] == "E119" and b["21.B"] == "I10"
    assert b["28"] == "135 00" and b["33a"] == "1234567893" and b["25.EIN"] == "X"
    assert page.lines[0]["24e"] == "AB" and page.lines[1]["24e"] == "A"
    assert page.lines[0]["24f"] == "120 00" and page.lines[0]["24a.from"] == "03 10 25"
    assert "22.code" not in b


def test_cms1500_pages_of_six_each_with_its_total() -> None:
    c = claim(lines=tuple(line("99213", line_id=str(i), charge=Decimal(10 + i)) for i in range(8)))
    pages = cms1500_pages(c, AS_OF)
    assert [len(p.lines) for p in pages] == [6, 2]
    assert [p.boxes["28"] for p in pages] == ["75 00", "33 00"]


def test_replacement_prints_box_22() -> None:
    c = claim(frequency=Frequency.REPLACEMENT, payer_claim_control_number="ICN42")
    (page,) = cms1500_pages(c, AS_OF)
    assert page.boxes["22.code"] == "7" and page.boxes["22.ref"] == "ICN42"


def test_ub04_boxes_and_pages() -> None:
    (page,) = ub04_pages(institutional(), AS_OF)
    b = page.boxes
    assert b["4"] == "0111" and b["6.from"] == "031025" and b["6.to"] == "031325"
    assert b["67"] == "J189Y" and b["67A"] == "E119Y" and b["47.total"] == "3090 00"
    assert page.lines[0]["42"] == "0120" and page.lines[1]["44"] == "80053"
    many = institutional(
        lines=tuple(line("", line_id=str(i), revenue_code="0250") for i in range(30))
    )
    pages = ub04_pages(many, AS_OF)
    assert [p.boxes["page"] for p in pages] == ["1 OF 2", "2 OF 2"]
    assert "47.total" not in pages[0].boxes and pages[1].boxes["47.total"] == "3600 00"


def test_wrong_form_for_the_claim_kind() -> None:
    with pytest.raises(FormError, match="UB-04"):
        cms1500_pages(institutional(), AS_OF)
    with pytest.raises(FormError, match="CMS-1500"):
        ub04_pages(claim(), AS_OF)


@pytest.mark.parametrize("fields", [CMS1500, UB04], ids=["cms1500", "ub04"])
def test_every_field_fits_on_the_page_and_keys_are_unique(fields: tuple[Field, ...]) -> None:
    keys = [f.key for f in fields]
    assert len(keys) == len(set(keys))
    for f in fields:
        x, y = point(f.line, f.col)
        assert x > 0 and x + f.width * 7.2 <= PAGE_WIDTH + 1
        assert 0 < y < PAGE_HEIGHT - 9


@pytest.mark.parametrize(
    ("render", "make"),
    [(cms1500_pdf, claim), (ub04_pdf, institutional)],
    ids=["cms1500", "ub04"],
)
@pytest.mark.parametrize("flavour", list(Flavour))
def test_pdf_renders_to_png(
    render: Callable[[Claim, date, Flavour], bytes],
    make: Callable[[], Claim],
    flavour: Flavour,
    tmp_path: Path,
) -> None:
    pdf = render(make(), AS_OF, flavour)
    assert pdf.startswith(b"%PDF-")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils, installed by scripts/bootstrap.sh dev) is absent")
    (tmp_path / "form.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", "-singlefile", "form.pdf", "form"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    png = (tmp_path / "form.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    height = int.from_bytes(png[20:24], "big")
    assert (width, height) == (425, 550)
    text = subprocess.run(
        ["pdftotext", "-layout", "form.pdf", "-"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "TESTPERSON, ALEX" in text and "1234567893" in text


def test_review_flavour_draws_more_than_data_only() -> None:
    c = replace(claim(), claim_id="ENC7")
    assert len(cms1500_pdf(c, AS_OF, Flavour.REVIEW)) > len(cms1500_pdf(c, AS_OF, Flavour.DATA))


def test_ndc_in_the_shaded_row() -> None:
    c = claim(lines=(line("J1100", ndc="00009004701", ndc_quantity=Decimal("2"), ndc_unit="ML"),))
    (page,) = cms1500_pages(c, AS_OF)
    assert page.lines[0]["24.ndc"] == "N400009004701 ML2"
