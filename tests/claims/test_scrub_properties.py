"""The scrubber never raises, whatever the claim holds: bad data becomes findings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from openrcm.claims.model import Address, Diagnosis, Frequency, ServiceLine
from openrcm.claims.scrub import scrubber
from openrcm.findings import Severity
from tests.claims.factories import BILLING, PATIENT, claim
from tests.claims.test_scrub_edits import REFERENCE

SCRUB = scrubber(REFERENCE)
text = st.text(max_size=12)
days = st.dates(date(1990, 1, 1), date(2030, 12, 31))

lines = st.builds(
    ServiceLine,
    line_id=text,
    procedure=text,
    charge=st.decimals(-1000, 100000, places=2, allow_nan=False, allow_infinity=False),
    service_date=days,
    units=st.decimals(-5, 200000, places=1, allow_nan=False, allow_infinity=False),
    modifiers=st.lists(text, max_size=6).map(tuple),
    pointers=st.lists(st.integers(-3, 30), max_size=6).map(tuple),
    service_date_end=st.none() | days,
    place_of_service=text,
    ndc=text,
    ndc_quantity=st.none() | st.decimals(-5, 50, places=1, allow_nan=False, allow_infinity=False),
)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(lines, max_size=8),
    st.lists(st.builds(Diagnosis, text, text), max_size=15),
    text,
    text,
    text,
    st.sampled_from(list(Frequency)),
    days,
)
def test_scrub_never_raises(
    ls: list[ServiceLine],
    dx: list[Diagnosis],
    claim_id: str,
    npi: str,
    zip_code: str,
    freq: Frequency,
    birth: date,
) -> None:
    c = claim(
        claim_id=claim_id,
        lines=tuple(ls),
        diagnoses=tuple(dx),
        frequency=freq,
        billing_provider=replace(BILLING, npi=npi, address=Address("", "", "", zip_code)),
        patient=replace(PATIENT, birth_date=birth),
    )
    report = SCRUB.scrub(c, date(2026, 1, 1))
    for f in report.findings:
        assert f.code and f.message and f.severity in (Severity.ERROR, Severity.WARNING)
        assert f.location["claim"] == claim_id
    if not ls:
        assert not report.clean
    assert report.clean == (not any(f.severity is Severity.ERROR for f in report.findings))
    assert report.to_json()["claim_id"] == claim_id
    assert Decimal(0) <= sum((ln.charge for ln in ls if ln.charge > 0), Decimal(0))
