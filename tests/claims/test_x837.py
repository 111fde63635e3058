"""837P/837I files written from claims: accepted by openrcm's validator and by pyx12."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from openrcm.claims.builder import corrected_claim
from openrcm.claims.model import (
    Accident,
    Address,
    Adjustment,
    Claim,
    Coverage,
    Frequency,
    LineAdjudication,
    Person,
    PriorAdjudication,
    Responsibility,
)
from openrcm.claims.x837 import Party, next_control_numbers, write_837
from openrcm.findings import Severity
from openrcm.x12.builders.envelope import BuildError, Envelope
from openrcm.x12.parser import parse
from tests.claims.factories import COVERAGE, PATIENT, PAYER, claim, institutional, line

ENV = Envelope("SUBMITTER1", "RECEIVER1", 101, 201, date(2025, 3, 20), "1230", usage="T")
SUBMITTER = Party("Maple Billing", "SUB123", "Jane Doe", "5555551234")
RECEIVER = Party("Acme Clearing", "REC456")

CHILD = Person(
    "P9",
    "Testperson",
    "Kim",
    date(2015, 2, 3),
    "M",
    Address("12 Oak Ave", "Springfield", "IL", "62702"),
)
MEDICARE = replace(PAYER, payer_id="MEDI1", name="Medicare", filing_indicator="MB")
PRIMARY_PAID = PriorAdjudication(
    "MEDI1",
    Responsibility.PRIMARY,
    Decimal("80.00"),
    date(2025, 3, 15),
    lines=(
        LineAdjudication(
            "L-99213",
            "99213",
            Decimal("80.00"),
            Decimal(1),
            (Adjustment("CO", "45", Decimal("20.00")), Adjustment("PR", "2", Decimal("20.00"))),
        ),
        LineAdjudication(
            "L-81002",
            "81002",
            Decimal("0.00"),
            Decimal(1),
            (Adjustment("CO", "97", Decimal("15.00")),),
        ),
    ),
)


def pyx12_accepts(text: str, tmp_path: Path) -> tuple[bool, str]:
    import pyx12.params
    import pyx12.x12n_document

    src = tmp_path / "claims.837"
    src.write_text(text)
    ack = io.StringIO()
    ok = pyx12.x12n_document.x12n_document(
        param=pyx12.params.params(), src_file=str(src), fd_997=ack, fd_html=None
    )
    return bool(ok), ack.getvalue()


def errors(text: str) -> list[str]:
    doc = parse(text)
    return [
        f"{f.code} {f.where()} {f.message}"
        for f in doc.all_findings()
        if f.severity is Severity.ERROR
    ]


_stay = institutional().institutional
assert _stay is not None
INPATIENT_STAY = _stay

CASES: dict[str, list[Claim]] = {
    "837p-simple": [claim(), claim(claim_id="ENC2")],
    "837p-dependent-accident-referral": [
        claim(
            patient=CHILD,
            coverage=replace(COVERAGE, relationship="19"),
            accident=Accident("AA", date(2025, 3, 1), "IL"),
            onset_date=date(2025, 3, 1),
            referral_number="REF77",
            prior_authorization="PA123",
            lines=(
                line("99213", modifiers=("25",), pointers=(1, 2)),
                line(
                    "20610",
                    modifiers=("RT",),
                    place_of_service="22",
                    service_date_end=date(2025, 3, 11),
                ),
            ),
        )
    ],
    "837p-drug-line": [
        claim(
            lines=(
                line("99213", modifiers=("25",)),
                line("J1100", ndc="00009004701", ndc_quantity=Decimal("2"), ndc_unit="ML"),
            )
        )
    ],
    "837p-secondary-with-cob": [
        claim(
            coverage=replace(COVERAGE, responsibility=Responsibility.SECONDARY),
            other_coverages=(Coverage(MEDICARE, Responsibility.PRIMARY, PATIENT, "1EG4TE5MK72"),),
            prior_adjudications=(PRIMARY_PAID,),
        )
    ],
    "837p-replacement": [corrected_claim(claim(), claim(prior_authorization="PA9"), "ICN2025")],
    "837i-inpatient": [institutional()],
    "837i-outpatient-many-dx": [
        institutional(
            institutional=replace(
                INPATIENT_STAY,
                type_of_bill="131",
                admission_date=None,
                admission_hour="",
                discharge_hour="",
            ),
            diagnoses=tuple(replace(d, poa="") for d in institutional().diagnoses)
            + tuple(
                replace(institutional().diagnoses[1], code=c)
                for c in (
                    "I10",
                    "E78.5",
                    "N18.30",
                    "Z79.4",
                    "E66.9",
                    "K21.9",
                    "M54.50",
                    "R51.9",
                    "J45.909",
                    "F41.1",
                    "G47.33",
                    "I25.10",
                    "E03.9",
                )
            ),
        )
    ],
}


@pytest.mark.parametrize("name", list(CASES))
def test_written_837_is_valid_for_openrcm_and_pyx12(name: str, tmp_path: Path) -> None:
    text = write_837(CASES[name], ENV, SUBMITTER, RECEIVER, 301)
    assert errors(text) == []
    ok, ack = pyx12_accepts(text, tmp_path)
    assert ok, ack
    assert "IK5*A" in ack


def test_837_carries_the_claim_data() -> None:
    text = write_837(CASES["837p-secondary-with-cob"], ENV, SUBMITTER, RECEIVER, 302)
    segs = [s.split("*") for s in text.split("~\n") if s]
    by_id: dict[str, list[list[str]]] = {}
    for s in segs:
        by_id.setdefault(s[0], []).append(s)
    assert by_id["ST"][0][:3] == ["ST", "837", "0302"]
    assert by_id["CLM"][0][1:3] == ["ENC1001", "135"]
    assert by_id["SBR"][0][1] == "S" and by_id["SBR"][1][1] == "P"
    assert by_id["AMT"][0] == ["AMT", "D", "80"]
    assert ["SVD", "MEDI1", "80", "HC:99213", "", "1"] in by_id["SVD"]
    assert ["CAS", "CO", "45", "20"] in by_id["CAS"]
    assert by_id["HI"][0] == ["HI", "ABK:E119", "ABF:I10"]
    repl = write_837(CASES["837p-replacement"], ENV, SUBMITTER, RECEIVER, 303)
    assert "CLM*ENC1001*135***11:B:7*Y*A*Y*Y~" in repl and "REF*F8*ICN2025~" in repl


def test_accented_names_are_sent_as_ascii() -> None:
    """X12 text is ASCII: the validator rejects any other byte, so the writer folds accents."""
    accented = replace(PATIENT, last_name="Mu\u00f1oz-Ib\u00e1\u00f1ez", first_name="Zo\u00eb")
    text = write_837([claim(patient=accented, coverage=replace(COVERAGE, subscriber=accented))],
                     ENV, SUBMITTER, RECEIVER, 304)
    assert text.isascii() and "*MUNOZ-IBANEZ*ZOE*" in text
    assert errors(text) == []


def test_mixed_kinds_and_missing_data_are_refused() -> None:
    with pytest.raises(BuildError, match="separate files"):
        write_837([claim(), institutional()], ENV, SUBMITTER, RECEIVER, 1)
    with pytest.raises(BuildError, match="phone"):
        write_837([claim()], ENV, replace(SUBMITTER, phone=""), RECEIVER, 1)
    with pytest.raises(BuildError, match="no matching other coverage"):
        write_837([claim(prior_adjudications=(PRIMARY_PAID,))], ENV, SUBMITTER, RECEIVER, 1)
    with pytest.raises(BuildError, match="transaction control"):
        write_837([claim()], ENV, SUBMITTER, RECEIVER, 0)


def test_control_numbers() -> None:
    assert next_control_numbers(0, 3) == (1, 2, 3)
    assert next_control_numbers(999_999_998, 3) == (999_999_999, 1, 2)
    with pytest.raises(ValueError):
        next_control_numbers(-1, 1)
    with pytest.raises(ValueError):
        next_control_numbers(5, 0)


def test_void_frequency_written() -> None:
    void = replace(claim(), frequency=Frequency.VOID, payer_claim_control_number="ICN1")
    text = write_837([void], ENV, SUBMITTER, RECEIVER, 9)
    assert ":B:8*" in text and errors(text) == []


@pytest.mark.parametrize("name", list(CASES))
def test_x12_typed_view_reads_back_the_claims(name: str) -> None:
    """openrcm.x12 parses the written 837 into its typed claim view with the same data."""
    from openrcm.x12.views.claim import claim_file_of

    claims = CASES[name]
    doc = parse(write_837(claims, ENV, SUBMITTER, RECEIVER, 301))
    (tx,) = list(doc.transactions())
    view = claim_file_of(tx)
    assert view.kind == claims[0].kind.value and view.control == "0301"
    assert len(view.claims) == len(claims)
    for mine, read in zip(claims, view.claims, strict=True):
        assert read.id == mine.claim_id and read.charge == mine.total_charge
        assert read.frequency == str(mine.frequency)
        assert read.payer_claim_control == mine.payer_claim_control_number
        assert read.prior_authorization == mine.prior_authorization
        assert read.billing_provider.entity.id == mine.billing_provider.npi
        assert read.subscriber.entity.id == mine.coverage.member_id
        assert read.subscriber.responsibility == str(mine.coverage.responsibility)
        assert read.payer.id == mine.payer.payer_id
        assert [(d.code, d.poa) for d in read.diagnoses if d.qualifier != "ABJ"] == [
            (d.code.replace(".", ""), d.poa) for d in mine.diagnoses
        ]
        assert (read.patient is None) == (mine.coverage.relationship == "18")
        assert [(ln.code, ln.modifiers, ln.charge, ln.quantity) for ln in read.lines] == [
            (ln.procedure, ln.modifiers, ln.charge, ln.units) for ln in mine.lines
        ]
        if mine.kind.value == "professional":
            assert [ln.pointers for ln in read.lines] == [ln.pointers for ln in mine.lines]
        else:
            assert [ln.revenue_code for ln in read.lines] == [ln.revenue_code for ln in mine.lines]
        paid = {a.payer_id: a.paid for a in mine.prior_adjudications}
        assert {o.payer.id: o.paid for o in read.other_payers} == paid
        assert [a.paid for ln in read.lines for a in ln.adjudications] == [
            la.paid for a in mine.prior_adjudications for la in a.lines
        ]


def test_drug_line_writes_2410() -> None:
    text = write_837(CASES["837p-drug-line"], ENV, SUBMITTER, RECEIVER, 5)
    assert "LIN**N4*00009004701~" in text and "CTP****2*ML~" in text
    no_qty = claim(lines=(line("J1100", ndc="00009004701"),))
    with pytest.raises(BuildError, match="quantity"):
        write_837([no_qty], ENV, SUBMITTER, RECEIVER, 5)
