"""837P typed view and builder: values, round trips, path-named errors, pyx12 acceptance."""

from __future__ import annotations

import io
import json
import logging
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from openrcm.findings import has_errors
from openrcm.x12.builders.claim import write_claim_files
from openrcm.x12.builders.envelope import BuildError
from openrcm.x12.parser import parse
from openrcm.x12.views.claim import ClaimFile, Diagnosis, claim_file_of
from openrcm.x12.views.codec import from_json, to_json

from .conftest import sample, samples
from .factories import ENVELOPE, claim, claim_file, line


def pyx12_accepts(text: str, tmp_path: Path) -> tuple[bool, str]:
    """Run pyx12's validator (an independent implementation) on an interchange."""
    import pyx12.params
    import pyx12.x12n_document

    logging.disable(logging.CRITICAL)
    source = tmp_path / "out.x12"
    source.write_text(text)
    ack = io.StringIO()
    ok = pyx12.x12n_document.x12n_document(
        param=pyx12.params.params(), src_file=str(source), fd_997=ack, fd_html=None,
        fd_xmldoc=None, map_path=None)
    logging.disable(logging.NOTSET)
    return bool(ok), ack.getvalue()


def _view(name: str) -> ClaimFile:
    return claim_file_of(next(parse(sample("837p", name)).transactions()))


def test_claim_values() -> None:
    view = _view("commercial-health-insurance.edi")
    first = view.claims[0]
    assert first.billing_provider.entity.id_qualifier == "XX"
    assert first.billing_provider.tax_id
    assert first.diagnoses[0].qualifier in ("ABK", "BK")
    assert first.charge == sum(ln.charge for ln in first.lines)
    assert all(ln.service_date for ln in first.lines)
    assert first.payer.entity == "PR"


BUILDABLE = [p for p in samples("837p") if p.name != "anesthesia.edi"]


@pytest.mark.parametrize("path", BUILDABLE, ids=lambda p: p.name)
def test_sample_views_round_trip_through_json_and_x12(path: Path, tmp_path: Path) -> None:
    view = claim_file_of(next(parse(path.read_bytes()).transactions()))
    assert from_json(ClaimFile, json.loads(json.dumps(to_json(view)))) == view
    text = write_claim_files([view], ENVELOPE)
    assert claim_file_of(next(parse(text).transactions())) == view
    ok, ack = pyx12_accepts(text, tmp_path)
    assert ok, ack


def test_builder_from_typed_values_is_valid_for_openrcm_and_pyx12(tmp_path: Path) -> None:
    view = claim_file((claim("PCN1"), claim("PCN2", (line("99214", "180.00"),))))
    text = write_claim_files([view], ENVELOPE)
    doc = parse(text)
    assert not has_errors(doc.all_findings())
    assert claim_file_of(next(doc.transactions())) == view
    assert text.count("HL*") == 2  # both claims share one provider and one subscriber
    ok, ack = pyx12_accepts(text, tmp_path)
    assert ok, ack


def test_builder_names_the_value_at_fault() -> None:
    bad_pointer = claim(lines=(line(pointers=(3,)),))
    with pytest.raises(BuildError, match=r"claims\[0\]\.lines\[0\]\.pointers"):
        write_claim_files([claim_file((bad_pointer,))], ENVELOPE)
    wrong_total = replace(claim(), charge=Decimal("1.00"))
    with pytest.raises(BuildError, match=r"claims\[0\]\.charge"):
        write_claim_files([claim_file((wrong_total,))], ENVELOPE)
    no_principal = claim(diagnoses=(Diagnosis("ABF", "I10"),))
    with pytest.raises(BuildError, match=r"diagnoses\[0\]"):
        write_claim_files([claim_file((no_principal,))], ENVELOPE)
    dotted = claim(diagnoses=(Diagnosis("ABK", "E11.9"),))
    with pytest.raises(BuildError, match="decimal point"):
        write_claim_files([claim_file((dotted,))], ENVELOPE)


def test_builder_refuses_values_that_fail_validation() -> None:
    bad_state = replace(claim(), accident_state="", related_causes=("ZZ",))
    with pytest.raises(BuildError, match="does not validate"):
        write_claim_files([claim_file((bad_state,))], ENVELOPE)
