"""835 typed view: values read right, JSON and X12 round trips give the view back."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from openrcm.findings import has_errors
from openrcm.x12.builders.envelope import BuildError, Envelope
from openrcm.x12.builders.remittance import write_remittance
from openrcm.x12.parser import parse
from openrcm.x12.views.codec import ViewJSONError, from_json, to_json
from openrcm.x12.views.remittance import Remittance, iter_remittances, remittance_of

from .conftest import sample, samples

ENVELOPE = Envelope("SENDER", "RECEIVER", 17, 4, date(2024, 3, 1), "0930")


def _view(name: str) -> Remittance:
    return remittance_of(next(parse(sample("835", name)).transactions()))


def test_payment_payer_payee_and_claims() -> None:
    view = _view("multiple-claims-single-check.edi")
    assert view.amount == Decimal("810.8") and view.method == "CHK"
    assert view.payment_date == date(2014, 3, 31) and view.trace_number == "12345"
    assert view.payer.last == "DENTAL OF ABC" and view.payer.address is not None
    assert view.payee.id_qualifier == "FI" and view.payee.id == "999994703"
    first = view.claims[0]
    assert (first.patient_control, first.status, first.charge, first.paid) == (
        "7722337", "1", Decimal("226"), Decimal("132"))
    assert first.payer_control == "119932404007801"
    assert first.patient is not None and first.patient.last == "DOE"
    line = first.lines[0]
    assert (line.qualifier, line.code, line.charge, line.paid) == (
        "AD", "D0120", Decimal("46"), Decimal("25"))
    assert line.service_date == date(2014, 3, 24)
    assert line.adjustments[0].group == "CO" and line.adjustments[0].amount == Decimal("21")
    assert line.allowed == Decimal("25")
    assert sum(c.paid for c in view.claims) == view.amount


@pytest.mark.parametrize("path", samples("835"), ids=lambda p: p.name)
def test_json_and_x12_round_trips(path: Path) -> None:
    for tx in parse(path.read_bytes()).transactions():
        view = remittance_of(tx)
        assert from_json(Remittance, json.loads(json.dumps(to_json(view)))) == view
        written = parse(write_remittance([view], ENVELOPE))
        assert not has_errors(written.all_findings()), written.all_findings()
        assert remittance_of(next(written.transactions())) == view


def test_money_is_a_string_in_json() -> None:
    data = to_json(_view("era-sample.edi"))
    assert isinstance(data["amount"], str)


def test_bad_json_names_the_field() -> None:
    data = to_json(_view("era-sample.edi"))
    data["claims"][0]["charge"] = "twelve"
    with pytest.raises(ViewJSONError, match=r"claims\[0\]\.charge"):
        from_json(Remittance, data)
    del data["claims"][0]["charge"]
    with pytest.raises(ViewJSONError, match="charge: missing"):
        from_json(Remittance, data)


def test_builder_refuses_delimiters_in_values() -> None:
    view = _view("era-sample.edi")
    broken = Remittance(**{**{f: getattr(view, f) for f in view.__dataclass_fields__},
                           "trace_number": "12*34"})
    with pytest.raises(BuildError, match="delimiter"):
        write_remittance([broken], ENVELOPE)


def test_provider_adjustments() -> None:
    view = _view("dollars-and-data-sent-together.edi")
    assert len(view.provider_adjustments) >= 1
    adj = view.provider_adjustments[0]
    assert adj.reason and adj.provider_id
    claims = sum(c.paid for c in view.claims)
    assert view.amount == claims - sum(a.amount for a in view.provider_adjustments)


def _files_835() -> list[Path]:
    """The 835 samples and corpus files that are interchanges (some corpus files lack an ISA)."""
    corpus = Path(__file__).parent / "conformance" / "fixtures" / "835"
    files = [*samples("835"), *sorted(p for p in corpus.rglob("*") if p.is_file())]
    return [p for p in files if p.read_bytes().lstrip(b"\xef\xbb\xbf \r\n").startswith(b"ISA")]


@pytest.mark.parametrize("path", _files_835(), ids=lambda p: p.name)
@pytest.mark.parametrize("brk", ["", "\r\n", "mixed"])
def test_streaming_view_equals_tree_view(path: Path, brk: str) -> None:
    raw = path.read_bytes()
    term = raw.lstrip(b"\xef\xbb\xbf \r\n")[105:106]
    flat = raw.replace(term + b"\r\n", term).replace(term + b"\n", term)
    if brk == "mixed":
        pieces = flat.split(term)
        raw = b"".join(p + term + (b"\n" if i % 3 else b"") for i, p in enumerate(pieces[:-1]))
    else:
        raw = flat.replace(term, term + brk.encode())
    expected = [remittance_of(tx) for tx in parse(raw).transactions() if tx.set_id == "835"]
    assert expected
    assert list(iter_remittances(raw)) == expected
    assert list(iter_remittances(io.BytesIO(raw))) == expected


def test_interchanges_with_other_separators_stream_with_their_own() -> None:
    """A second sender's ISA declaring other separators (and ISA16) is read with them."""
    raw = sample("835", "multiple-claims-single-check.edi")
    other = raw.replace(b"*", b"|").replace(b":", b">").replace(b"~", b"!\r\n")
    both = raw + b"\n" + other
    one = [remittance_of(tx) for tx in parse(raw).transactions()]
    document = parse(both)
    assert not has_errors(document.all_findings())
    assert [remittance_of(tx) for tx in document.transactions()] == one * 2
    assert list(iter_remittances(both)) == one * 2
    assert list(iter_remittances(io.BytesIO(both))) == one * 2
    assert one[0].claims[0].lines[0].qualifier == "AD"
