"""Property tests: built transactions round-trip; corrupted files give findings, not crashes."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openrcm.findings import has_errors
from openrcm.x12.ack import acknowledge
from openrcm.x12.builders.claim import write_claim_files
from openrcm.x12.builders.remittance import write_remittance
from openrcm.x12.jsonio import document_from_json, document_to_json
from openrcm.x12.parser import parse
from openrcm.x12.tokens import X12SyntaxError
from openrcm.x12.views.claim import Diagnosis, claim_file_of
from openrcm.x12.views.common import Adjustment, Entity
from openrcm.x12.views.remittance import (
    ClaimPayment,
    Remittance,
    ServicePayment,
    iter_remittances,
    remittance_of,
)
from openrcm.x12.writer import write_bytes

from .conftest import samples
from .factories import ENVELOPE, claim, claim_file, line

cents = st.integers(min_value=0, max_value=500_000).map(lambda c: Decimal(c).scaleb(-2))
codes = st.sampled_from(["99213", "99214", "36415", "80053", "J1100", "97110"])
dx = st.sampled_from(["E119", "I10", "J069", "M545", "Z0000", "R51"])
names = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ ", min_size=1, max_size=20).map(
    lambda s: s.strip() or "A")


@st.composite
def claims(draw: st.DrawFn, index: int = 0) -> object:
    diagnoses = tuple(Diagnosis("ABK" if i == 0 else "ABF", c)
                      for i, c in enumerate(draw(st.lists(dx, min_size=1, max_size=4,
                                                          unique=True))))
    lines = tuple(
        line(draw(codes), str(draw(cents)),
             tuple(sorted(set(draw(st.lists(st.integers(1, len(diagnoses)), min_size=1,
                                            max_size=4))))),
             str(draw(st.integers(1, 9))))
        for _ in range(draw(st.integers(1, 5))))
    return claim(f"PCN{draw(st.integers(1, 10**8))}", lines, diagnoses)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(claims(), min_size=1, max_size=4))
def test_random_valid_837p_round_trips(built: list[object]) -> None:
    view = claim_file(tuple(built))  # type: ignore[arg-type]
    text = write_claim_files([view], ENVELOPE)
    doc = parse(text)
    assert not has_errors(doc.all_findings())
    assert claim_file_of(next(doc.transactions())) == view
    assert write_bytes(doc) == text.encode("latin-1")


@st.composite
def remittances(draw: st.DrawFn) -> Remittance:
    payments: list[ClaimPayment] = []
    for n in range(draw(st.integers(1, 4))):
        lines: list[ServicePayment] = []
        for _ in range(draw(st.integers(1, 3))):
            charge = draw(cents)
            paid = min(draw(cents), charge)
            adj = (Adjustment("CO", "45", charge - paid),) if charge != paid else ()
            lines.append(ServicePayment("HC", draw(codes), charge, paid, adjustments=adj))
        payments.append(ClaimPayment(
            patient_control=f"C{n}{draw(st.integers(0, 999))}", status="1",
            charge=sum((ln.charge for ln in lines), Decimal("0")),
            paid=sum((ln.paid for ln in lines), Decimal("0")), filing_indicator="CI",
            payer_control=f"P{n}", lines=tuple(lines),
            patient=Entity("QC", "DOE", "JOHN", person=True, id_qualifier="MI", id=f"M{n}")))
    from .test_remittance import _view

    base = _view("era-sample.edi")
    return replace(base, amount=sum((c.paid for c in payments), Decimal("0")),
                   claims=tuple(payments), provider_adjustments=())


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(remittances())
def test_random_balanced_835_round_trips(view: Remittance) -> None:
    text = write_remittance([view], ENVELOPE)
    doc = parse(text)
    assert not has_errors(doc.all_findings()), doc.all_findings()
    assert remittance_of(next(doc.transactions())) == view
    assert list(iter_remittances(text)) == [view]


SAMPLES = [p.read_bytes() for p in samples("835") + samples("837p")]


@st.composite
def corruptions(draw: st.DrawFn) -> bytes:
    raw = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "delete", "truncate", "duplicate", "insert"]))
        if not raw:
            break
        at = draw(st.integers(0, len(raw) - 1))
        if kind == "flip":
            raw[at] = draw(st.integers(0, 255))
        elif kind == "delete":
            del raw[at:at + draw(st.integers(1, 40))]
        elif kind == "truncate":
            del raw[at:]
        elif kind == "insert":
            raw[at:at] = draw(st.sampled_from([b"~", b"*", b":", b"^", b"\n", b"~~", b"ISA*"]))
        else:
            end = raw.find(b"~", at)
            start = raw.rfind(b"~", 0, at) + 1
            if end > start:
                raw[end + 1:end + 1] = raw[start:end + 1]
    return bytes(raw)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corruptions())
def test_corrupted_files_give_findings_not_exceptions(raw: bytes) -> None:
    doc = parse(raw)
    findings = doc.all_findings()
    assert write_bytes(doc) == raw or not doc.interchanges or findings
    assert write_bytes(document_from_json(document_to_json(doc))) == write_bytes(doc)
    acknowledge(doc, 1, ENVELOPE.created, "0000")
    for tx in doc.transactions():
        if tx.set_id == "835":
            remittance_of(tx)
        elif tx.set_id == "837":
            claim_file_of(tx)
    try:
        list(iter_remittances(raw))
    except X12SyntaxError:
        assert not doc.interchanges  # the fast path refuses only what parse could not read
