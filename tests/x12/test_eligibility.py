"""271 typed view on the public samples, and the 270 builder checked by the validator.

pyx12 has no 005010X279A1 map (only 4010 270/271), so openrcm's own validator is the check
for what the builder writes.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openrcm.findings import Severity
from openrcm.x12.builders.eligibility import EligibilityInquiry, Person, write_270
from openrcm.x12.builders.envelope import BuildError, Envelope
from openrcm.x12.parser import parse
from openrcm.x12.tree import Transaction
from openrcm.x12.views.common import Entity
from openrcm.x12.views.eligibility import eligibility_of

CORPUS = Path(__file__).parent / "conformance" / "fixtures"


def _only(path: str) -> Transaction:
    transactions = list(parse((CORPUS / path).read_bytes()).transactions())
    assert len(transactions) == 1
    return transactions[0]


def test_subscriber_benefits_with_amounts_network_and_related_entity() -> None:
    view = eligibility_of(_only("271/fail/stupidedi--response-to-generic-request-by-clinic-"
                                "for-patient--subscriber--eligibility.edi"))
    assert view.source is not None and view.source.last == "ABC COMPANY"
    assert view.receiver is not None and view.receiver.id == "2000035"
    assert not view.rejected
    (member,) = view.members
    assert member.role == "subscriber" and member.person.id == "123456789"
    assert member.birth_date == date(1963, 5, 19) and member.gender == "M"
    assert member.active
    assert member.traces == (("2", "93175-012547", "9877281234"),)
    active, *_, copay_out = member.benefits
    assert active.info == "1" and active.service_types == ("30",)
    assert active.plan_description == "GOLD 123 PLAN"
    assert copay_out.info == "B" and copay_out.insurance_type == "HM"
    assert copay_out.time_period == "27" and copay_out.amount == Decimal("30")
    assert copay_out.in_network is False
    assert "98" in copay_out.service_types and len(copay_out.service_types) == 10
    (provider,) = copay_out.related
    assert provider.entity == "P3" and provider.last == "JONES" and provider.id == "0202034"
    assert not active.related


def test_dependent_benefits_sit_on_the_dependent() -> None:
    view = eligibility_of(_only("271/pass/lfh--dependent-health-benefit-check.271"))
    subscriber, dependent = view.members
    assert subscriber.role == "subscriber" and not subscriber.benefits
    assert dependent.role == "dependent" and dependent.person.first == "MARY"
    assert dependent.relationship == "19"
    assert dependent.dates[0].qualifier == "346"
    assert dependent.dates[0].start == date(2006, 1, 1)
    assert dependent.active
    in_network = [b for b in dependent.benefits if b.in_network is True]
    assert in_network and in_network[0].amount == Decimal("10.00")


def test_aaa_rejection_is_a_valid_271_with_a_rejection() -> None:
    """A payer refusing the inquiry answers with AAA: the file is valid, the answer is no."""
    tx = _only("271/pass/stupidedi--error-response-from-payer-to-clinic-not-eligible-for-"
               "inquiries-with-payer.edi")
    assert not [f for f in tx.findings if f.severity is Severity.ERROR]
    view = eligibility_of(tx)
    assert view.rejected and not view.members
    (rejection,) = view.rejections
    assert rejection.level == "2100B" and rejection.valid
    assert rejection.reason == "50" and rejection.follow_up == "N"


ENVELOPE = Envelope(sender_id="SUBMITTER01", receiver_id="PAYER01", interchange_control=101,
                    group_control=7, created=date(2026, 11, 2), time="0930")
PAYER = Entity(entity="PR", last="ACME HEALTH PLAN", id_qualifier="PI", id="12345")
PROVIDER = Entity(entity="1P", last="NORTH CLINIC", id_qualifier="XX", id="1234567893")
SUBSCRIBER = Person(last="DOE", first="JANE", member_id="W123456789",
                    birth_date=date(1980, 1, 31), gender="F")


def _inquiry(**changes: object) -> EligibilityInquiry:
    values: dict[str, object] = dict(
        payer=PAYER, provider=PROVIDER, subscriber=SUBSCRIBER, trace="TRACE001",
        trace_originator="1123456789", reference="REF1", created=date(2026, 11, 2),
        time="0930", service_types=("30", "98"), service_date=date(2026, 11, 2))
    values.update(changes)
    return EligibilityInquiry(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("dependent", [None, Person(last="DOE", first="JOHN",
                                                    birth_date=date(2015, 6, 1), gender="M")])
def test_270_written_is_valid_and_placed_by_the_guide(dependent: Person | None) -> None:
    text = write_270(_inquiry(dependent=dependent), ENVELOPE, "0001")
    document = parse(text)
    assert not document.all_findings()
    (tx,) = document.transactions()
    assert tx.guide_id == "005010X279A1"
    eq = next(s for s in tx.segments() if s.id == "EQ")
    assert eq.get(1) == "30^98"
    assert eq.use is not None and eq.use.loop_id == ("2110D" if dependent else "2110C")
    trn = next(s for s in tx.segments() if s.id == "TRN")
    assert trn.use is not None and trn.use.loop_id == ("2000D" if dependent else "2000C")


@pytest.mark.parametrize(("changes", "field"), [
    ({"subscriber": Person(last="DOE")}, "member_id"),
    ({"trace": ""}, "TRN02"),
    ({"trace_originator": "123"}, "TRN03"),
    ({"service_types": ()}, "EQ01"),
    ({"time": "9:30"}, "BHT05"),
])
def test_270_builder_names_the_bad_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(BuildError, match=field):
        write_270(_inquiry(**changes), ENVELOPE, "0001")


_names = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=20)
_ids = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=2, max_size=20)


@settings(max_examples=40, deadline=None)
@given(last=_names, first=_names, member_id=_ids, trace=_ids,
       born=st.dates(min_value=date(1900, 1, 1), max_value=date(2026, 1, 1)),
       types=st.lists(st.sampled_from(["1", "30", "33", "35", "47", "48", "50", "86", "88",
                                       "98", "AL", "MH", "UC"]),
                      min_size=1, max_size=5, unique=True))
def test_any_sensible_270_validates(last: str, first: str, member_id: str, trace: str,
                                    born: date, types: list[str]) -> None:
    subscriber = Person(last=last, first=first, member_id=member_id, birth_date=born,
                        gender="U")
    text = write_270(_inquiry(subscriber=subscriber, trace=trace,
                              service_types=tuple(types)), ENVELOPE, "0001")
    assert not [f.code for f in parse(text).all_findings()]
