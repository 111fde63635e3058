"""837I through the same claim view and builder: institutional lines, codes, pyx12 check."""

from __future__ import annotations

from pathlib import Path

import pytest

from openrcm.findings import has_errors
from openrcm.x12.builders.claim import write_claim_files
from openrcm.x12.parser import parse
from openrcm.x12.views.claim import claim_file_of

from .conftest import samples
from .factories import ENVELOPE
from .test_claim import pyx12_accepts


@pytest.mark.parametrize("path", samples("837i"), ids=lambda p: p.name)
def test_837i_view_builder_round_trip(path: Path, tmp_path: Path) -> None:
    doc = parse(path.read_bytes())
    assert not has_errors(doc.all_findings())
    view = claim_file_of(next(doc.transactions()))
    assert view.kind == "institutional"
    claim = view.claims[0]
    assert claim.facility_qualifier == "A"
    assert all(line.revenue_code for line in claim.lines)
    assert claim.diagnoses[0].qualifier in ("ABK", "BK")
    text = write_claim_files([view], ENVELOPE)
    assert claim_file_of(next(parse(text).transactions())) == view
    ok, ack = pyx12_accepts(text, tmp_path)
    assert ok, ack
