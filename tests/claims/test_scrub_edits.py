"""Every scrubber edit with a claim that passes it and a claim that fails it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from openrcm.claims.model import (
    Accident,
    Address,
    Claim,
    Coverage,
    Diagnosis,
    Frequency,
    LineAdjudication,
    Person,
    PriorAdjudication,
    Responsibility,
)
from openrcm.claims.scrub import BUILT_IN, History, billed_keys, scrubber
from openrcm.claims.scrub.reference import (
    DiagnosisFacts,
    MceFacts,
    MueLimit,
    PtpEdit,
    Reference,
    TableDiagnoses,
    TableMce,
    TableNcci,
)
from openrcm.findings import Severity
from tests.claims.factories import (
    AS_OF,
    BILLING,
    COVERAGE,
    DOS,
    PATIENT,
    PAYER,
    claim,
    institutional,
    line,
)

DX = TableDiagnoses(
    {
        "E119": DiagnosisFacts(True),
        "I10": DiagnosisFacts(True),
        "J189": DiagnosisFacts(True),
        "E11": DiagnosisFacts(False),
        "S52501": DiagnosisFacts(False, seventh=frozenset("ABC")),
        "S52501A": DiagnosisFacts(True, seventh=frozenset("ABC")),
        "G632": DiagnosisFacts(True, manifestation=True),
        "E1040": DiagnosisFacts(True, excludes1=("E11",)),
        "N40": DiagnosisFacts(True),
        "O80": DiagnosisFacts(True),
    },
    first_day=date(2024, 10, 1),
    last_day=date(2025, 9, 30),
)
NCCI = TableNcci(
    "2024Q3",
    ptp_pairs={
        "2055120552": PtpEdit(1),
        "9921336415": PtpEdit(0),
        "1104011042": PtpEdit(1, deletion=date(2020, 1, 1)),
        "9921381002": PtpEdit(9),
    },
    mues={"20552": MueLimit(1, 2), "97110": MueLimit(4, 1), "81002": MueLimit(2, 3)},
    add_ons={"11045": (1, frozenset({"11042"})), "99417": (3, frozenset({"99205"}))},
)
MCE = TableMce("v37", {"N40": MceFacts(sex="M"), "O80": MceFacts(age_band="maternity")})
REFERENCE = Reference(
    diagnoses=DX, ncci=NCCI, mce=MCE, places_of_service=frozenset({"11", "02", "21"})
)
SCRUB = scrubber(REFERENCE)


def fired(c: Claim, as_of: date = AS_OF, history: History | None = None) -> set[str]:
    return {f.code for f in SCRUB.scrub(c, as_of, history).findings}


def two_lines(a: str, b: str, mods_b: tuple[str, ...] = ()) -> Claim:
    return claim(lines=(line(a), line(b, modifiers=mods_b)))


SECONDARY = Coverage(PAYER, Responsibility.SECONDARY, PATIENT, "ACM123456")
PRIMARY_PAID = PriorAdjudication(
    "MEDI1",
    Responsibility.PRIMARY,
    Decimal("80.00"),
    date(2025, 3, 15),
    lines=(LineAdjudication("L-99213", "99213", Decimal("80.00"), Decimal(1)),),
)
OTHER = Coverage(replace(PAYER, payer_id="MEDI1"), Responsibility.PRIMARY, PATIENT, "M1")
BOB = Person("P2", "Otherperson", "Bob", date(1950, 1, 1), "M")

FAILING: list[tuple[str, Callable[[], Claim]]] = [
    ("CLM-NO-LINES", lambda: claim(lines=())),
    (
        "CLM-TOO-MANY-LINES",
        lambda: claim(lines=tuple(line("99213", line_id=str(i)) for i in range(51))),
    ),
    ("CLM-NO-DIAGNOSIS", lambda: claim(diagnoses=(), lines=(line("99213", pointers=()),))),
    (
        "CLM-TOO-MANY-DX",
        lambda: claim(diagnoses=tuple(Diagnosis(f"I1{i % 10}") for i in range(13))),
    ),
    ("CLM-ID-FORMAT", lambda: claim(claim_id="")),
    ("CLM-ID-LONG", lambda: claim(claim_id="X" * 25)),
    ("PRV-NPI-CHECKDIGIT", lambda: claim(billing_provider=replace(BILLING, npi="1234567890"))),
    ("PRV-TAX-ID", lambda: claim(billing_provider=replace(BILLING, tax_id="12-345678"))),
    ("ADDR-BILLING-MISSING", lambda: claim(billing_provider=replace(BILLING, address=None))),
    (
        "ADDR-FORMAT",
        lambda: claim(
            billing_provider=replace(
                BILLING, address=Address("1 A St", "Springfield", "XX", "627011234")
            )
        ),
    ),
    (
        "ADDR-BILLING-ZIP9",
        lambda: claim(
            billing_provider=replace(
                BILLING, address=Address("1 A St", "Springfield", "IL", "62701")
            )
        ),
    ),
    (
        "ADDR-FACILITY-ZIP9",
        lambda: claim(
            service_facility=replace(
                BILLING, npi="1111111112", address=Address("9 B St", "Springfield", "IL", "62702")
            )
        ),
    ),
    (
        "ADDR-BILLING-PO-BOX",
        lambda: claim(
            billing_provider=replace(
                BILLING, address=Address("P.O. Box 44", "Springfield", "IL", "627011234")
            )
        ),
    ),
    ("SUB-RELATIONSHIP", lambda: claim(coverage=replace(COVERAGE, subscriber=BOB))),
    ("SUB-MEMBER-ID", lambda: claim(coverage=replace(COVERAGE, member_id=""))),
    (
        "PAT-DEMOGRAPHICS",
        lambda: claim(
            patient=replace(PATIENT, sex="X"),
            coverage=replace(COVERAGE, subscriber=replace(PATIENT, sex="X")),
        ),
    ),
    (
        "PAT-BIRTH-AFTER-SERVICE",
        lambda: claim(
            patient=replace(PATIENT, birth_date=date(2025, 4, 1)),
            coverage=replace(COVERAGE, subscriber=replace(PATIENT, birth_date=date(2025, 4, 1))),
        ),
    ),
    ("LINE-CHARGE", lambda: claim(lines=(line("99213", charge=Decimal("0")),))),
    ("LINE-UNITS", lambda: claim(lines=(line("99213", units=Decimal("0")),))),
    ("LINE-PROCEDURE-FORMAT", lambda: claim(lines=(line("9921"),))),
    ("LINE-MODIFIER", lambda: claim(lines=(line("99213", modifiers=("25", "-")),))),
    ("LINE-POS", lambda: claim(place_of_service="99")),
    ("LINE-DATE", lambda: claim(lines=(line("99213", service_date=date(2025, 3, 25)),))),
    ("DX-POINTER", lambda: claim(lines=(line("99213", pointers=(1, 3)),))),
    ("LINE-NDC", lambda: claim(lines=(line("J1100", ndc="0009-0047-01"),))),
    ("CLM-FREQ-REFERENCE", lambda: claim(frequency=Frequency.REPLACEMENT)),
    ("CLM-ACCIDENT-STATE", lambda: claim(accident=Accident("AA", DOS, ""))),
    ("INST-REQUIRED", lambda: institutional(institutional=None)),
    (
        "INST-POA",
        lambda: institutional(diagnoses=(Diagnosis("J18.9", "Y"), Diagnosis("E11.9", ""))),
    ),
    ("DX-FORMAT", lambda: claim(diagnoses=(Diagnosis("E11.9"), Diagnosis("1234")))),
    ("DX-DUPLICATE", lambda: claim(diagnoses=(Diagnosis("E11.9"), Diagnosis("E119")))),
    ("DX-INVALID", lambda: claim(diagnoses=(Diagnosis("E11.9"), Diagnosis("Z99.999")))),
    ("DX-NOT-BILLABLE", lambda: claim(diagnoses=(Diagnosis("E11"), Diagnosis("I10")))),
    ("DX-SEVENTH-CHAR", lambda: claim(diagnoses=(Diagnosis("S52.501"), Diagnosis("I10")))),
    ("DX-MANIFESTATION-FIRST", lambda: claim(diagnoses=(Diagnosis("G63.2"), Diagnosis("E11.9")))),
    ("DX-EXCLUDES1", lambda: claim(diagnoses=(Diagnosis("E10.40"), Diagnosis("E11.9")))),
    ("MCE-SEX-CONFLICT", lambda: claim(diagnoses=(Diagnosis("N40"), Diagnosis("I10")))),
    (
        "MCE-AGE-CONFLICT",
        lambda: claim(
            diagnoses=(Diagnosis("O80"), Diagnosis("I10")),
            patient=replace(PATIENT, birth_date=date(1950, 1, 1)),
            coverage=replace(COVERAGE, subscriber=replace(PATIENT, birth_date=date(1950, 1, 1))),
        ),
    ),
    ("NCCI-PTP", lambda: two_lines("99213", "36415")),
    ("NCCI-MUE", lambda: claim(lines=(line("81002", units=Decimal(3)),))),
    ("NCCI-AOC-PRIMARY", lambda: claim(lines=(line("11045"),))),
    ("NCCI-AOC-PRIMARY-OTHER", lambda: claim(lines=(line("99417"),))),
    ("PAYER-TIMELY-FILING", lambda: claim(lines=(line("99213", service_date=date(2024, 11, 1)),))),
    (
        "PAYER-TIMELY-FILING-SOON",
        lambda: claim(lines=(line("99213", service_date=date(2024, 12, 25)),)),
    ),
    ("PAYER-COVERAGE-INACTIVE", lambda: claim(coverage=replace(COVERAGE, end=date(2025, 2, 28)))),
    ("PAYER-COB-PRIOR-MISSING", lambda: claim(coverage=SECONDARY)),
    (
        "PAYER-COB-UNKNOWN-PAYER",
        lambda: claim(coverage=SECONDARY, prior_adjudications=(PRIMARY_PAID,)),
    ),
]


def test_every_built_in_edit_has_a_failing_case() -> None:
    assert {e.id for e in BUILT_IN} - {"PAYER-DUPLICATE"} == {case[0] for case in FAILING}


@pytest.mark.parametrize("clean", [claim, institutional], ids=["professional", "institutional"])
def test_clean_claims_pass_every_edit(clean: Callable[[], Claim]) -> None:
    report = SCRUB.scrub(clean(), AS_OF)
    assert report.findings == ()
    assert report.clean


@pytest.mark.parametrize(("edit_id", "make"), FAILING, ids=[c[0] for c in FAILING])
def test_failing_claim_fires_its_edit(edit_id: str, make: Callable[[], Claim]) -> None:
    report = SCRUB.scrub(make(), AS_OF)
    codes = {f.code for f in report.findings}
    assert edit_id in codes
    finding = next(f for f in report.findings if f.code == edit_id)
    assert finding.message and finding.source and "{" not in finding.message
    assert finding.location["claim"] == make().claim_id
    assert report.clean is not any(f.severity is Severity.ERROR for f in report.findings)


def test_secondary_with_primary_adjudication_passes() -> None:
    c = claim(coverage=SECONDARY, other_coverages=(OTHER,), prior_adjudications=(PRIMARY_PAID,))
    assert fired(c) == set()


def test_ncci_bypass_modifier_and_deleted_edits() -> None:
    assert "NCCI-PTP" in fired(two_lines("20552", "20551")), "line order does not matter"
    c = claim(lines=(line("20551", line_id="a"), line("20552", line_id="b")))
    assert "NCCI-PTP" in fired(c)
    c = claim(lines=(line("20551", line_id="a"), line("20552", line_id="b", modifiers=("XS",))))
    assert "NCCI-PTP" not in fired(c)
    c = claim(lines=(line("99213", line_id="a"), line("36415", line_id="b", modifiers=("59",))))
    assert "NCCI-PTP" in fired(c), "modifier indicator 0 ignores bypass modifiers"
    assert "NCCI-PTP" not in fired(two_lines("11040", "11042")), "edit deleted in 2020"
    assert "NCCI-PTP" not in fired(two_lines("99213", "81002")), "modifier indicator 9"
    c = claim(lines=(line("99213", line_id="a"), line("36415", service_date=date(2025, 3, 9))))
    assert "NCCI-PTP" not in fired(c), "different dates of service"


def test_mue_per_line_and_per_day() -> None:
    per_line = claim(
        lines=(line("97110", units=Decimal(4)), line("97110", line_id="b", units=Decimal(4)))
    )
    assert "NCCI-MUE" not in fired(per_line), "MAI 1 counts each line alone"
    per_day = claim(lines=(line("20552"), line("20552", line_id="b")))
    assert "NCCI-MUE" in fired(per_day), "MAI 2 adds the day's lines"
    assert "NCCI-MUE" not in fired(claim(lines=(line("20552"),)))


def test_add_on_with_primary_passes() -> None:
    assert "NCCI-AOC-PRIMARY" not in fired(claim(lines=(line("11042"), line("11045"))))


def test_duplicate_detection_against_history_and_within_batch() -> None:
    first = claim()
    again = claim(claim_id="ENC2002")
    assert "PAYER-DUPLICATE" in fired(again, history=History(billed_keys(first)))
    assert "PAYER-DUPLICATE" not in fired(first, history=History(billed_keys(first)))
    replacement = replace(again, frequency=Frequency.REPLACEMENT, payer_claim_control_number="X9")
    assert "PAYER-DUPLICATE" not in fired(replacement, history=History(billed_keys(first)))
    other_day = claim(claim_id="ENC3", lines=(line("99213", service_date=DOS - timedelta(days=1)),))
    batch = SCRUB.scrub_batch([first, again, other_day], AS_OF)
    assert [r.clean for r in batch.claims] == [True, False, True]
    assert batch.counts() == {"PAYER-DUPLICATE": 2}


def test_reference_families_are_skipped_when_absent() -> None:
    bare = scrubber()
    report = bare.scrub(claim(diagnoses=(Diagnosis("E11"), Diagnosis("I10"))), AS_OF)
    assert report.findings == ()
    assert report.families == ("core", "payer")
    assert "ncci" in SCRUB.scrub(claim(), AS_OF).families


def test_report_json_shapes() -> None:
    report = SCRUB.scrub_batch(
        [claim(), claim(claim_id="E2", lines=(line("81002", units=Decimal(3)),))], AS_OF
    )
    data = report.to_json()
    assert data["claims"] == 2 and data["clean"] == 1 and data["blocked"] == 1
    f = data["reports"][1]["findings"][0]
    assert f["code"] == "NCCI-MUE" and f["release"] == "2024Q3"
    assert f["location"] == {"claim": "E2", "line": 1}
    assert f["severity"] == "error"


def test_modifier_list_checks_hcpcs_modifiers_and_shapes_cpt_ones() -> None:
    s = scrubber(Reference(modifiers=frozenset({"RT", "XS"})))
    ok = claim(lines=(line("20610", modifiers=("25", "RT", "XS")),))
    assert "LINE-MODIFIER" not in {f.code for f in s.scrub(ok, AS_OF).findings}
    bad = claim(lines=(line("20610", modifiers=("ZZ",)),))
    assert "LINE-MODIFIER" in {f.code for f in s.scrub(bad, AS_OF).findings}


def test_shipped_pos_and_modifier_lists() -> None:
    from openrcm.claims.scrub.sources import _current

    assert {"11", "02", "21"} <= _current("pos", None)
    assert {"RT", "XS", "GT"} <= _current("modifier", None)


def test_ndc_lines() -> None:
    good = claim(lines=(line("J1100", ndc="00009004701", ndc_quantity=Decimal("1")),))
    assert "LINE-NDC" not in fired(good)
    no_qty = claim(lines=(line("J1100", ndc="00009004701"),))
    bad_unit = claim(
        lines=(line("J1100", ndc="00009004701", ndc_quantity=Decimal(2), ndc_unit="XX"),)
    )
    assert "LINE-NDC" in fired(no_qty) and "LINE-NDC" in fired(bad_unit)
