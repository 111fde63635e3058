"""Every public 5010 sample: parses, round-trips, gets the TR3 verdict, errors where expected.

One test id per fixture and check (``test_verdict[837p/stupidedi--ambulance.edi]``), driven by
manifest.yaml; README.md says how each expectation was reached and MISLABELLED.md lists the
samples whose upstream label the TR3 contradicts.
"""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest

from openrcm.x12.parser import parse
from openrcm.x12.writer import write_bytes
from tests.x12.conformance.corpus import (
    FIXTURES,
    data_of,
    entries,
    errors,
    expected_errors,
    params,
    verdict,
)

PYX12_SETS = ("837P", "837I", "835")


@pytest.mark.parametrize("entry", params("roundtrip"))
def test_parses_and_round_trips(entry: dict[str, Any]) -> None:
    data = data_of(entry)
    document = parse(data)
    if entry["parses"]:
        read = len(document.interchanges)
        same = write_bytes(document) == data
        assert read > 0, f"no interchange read from {entry['file']}"
        assert same, "written bytes differ from the input"
    else:
        blocking = len(errors(document.all_findings()))
        assert blocking > 0, "a non-interchange must produce error findings"


@pytest.mark.parametrize("entry", params("verdict"))
def test_verdict(entry: dict[str, Any]) -> None:
    document = parse(data_of(entry))
    found = [f"{f.code} {f.where()}" for f in errors(document.all_findings())]
    got = verdict(document)
    assert got == entry["verdict"], found


@pytest.mark.parametrize("entry", params("errors", [e for e in entries() if e.get("errors")]))
def test_located_errors(entry: dict[str, Any]) -> None:
    reported = errors(parse(data_of(entry)).all_findings())
    missing = [e for e in expected_errors(entry) if not any(e.matched_by(f) for f in reported)]
    assert not missing, (
        [f"{e.level} {e.segment_id}@{e.position} {e.element} {e.codes}: {e.reason}"
         for e in missing],
        [f"{f.code} {f.where()}" for f in reported])


def _pyx12_accepts(path: str) -> bool:
    """pyx12's verdict on a file; a guide it has no map for counts as not accepted."""
    import pyx12.errors
    import pyx12.params
    import pyx12.x12n_document

    logging.getLogger("pyx12").setLevel(logging.CRITICAL)
    try:
        return bool(pyx12.x12n_document.x12n_document(
            pyx12.params.params(), path, io.StringIO(), None))
    except (pyx12.errors.EngineError, pyx12.errors.X12Error, UnicodeDecodeError):
        return False


@pytest.mark.parametrize(
    "entry", params("pyx12", [e for e in entries() if e["set"] in PYX12_SETS]))
def test_verdict_agrees_with_pyx12(entry: dict[str, Any]) -> None:
    """openrcm accepts exactly what pyx12 accepts, except where the manifest says why not."""
    pyx12_accepts = _pyx12_accepts(str(FIXTURES / entry["file"]))
    openrcm_accepts = verdict(parse(data_of(entry))) == "accept"
    recorded = entry["pyx12"]["verdict"] == "accept"
    assert pyx12_accepts == recorded, "pyx12's verdict changed"
    if "pyx12_disagrees" in entry:
        assert openrcm_accepts != pyx12_accepts, entry["pyx12_disagrees"]
    else:
        assert openrcm_accepts == pyx12_accepts
