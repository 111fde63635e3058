"""277 / 277CA typed view and the 276 builder.

The 277CA samples are synthetic (no public 005010X214 sample was found): one accepted claim
and one rejected claim with a rejected line, as a clearinghouse front end sends them.
pyx12 has no 005010X212 276 map (only 4010), so openrcm's validator checks the builder.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openrcm.findings import Severity
from openrcm.x12.builders.claim_status import ClaimQuery, ClaimStatusInquiry, write_276
from openrcm.x12.builders.eligibility import Person
from openrcm.x12.builders.envelope import BuildError, Envelope
from openrcm.x12.parser import parse
from openrcm.x12.tree import Transaction
from openrcm.x12.views.claim_status import claim_status_of
from openrcm.x12.views.common import Entity

CORPUS = Path(__file__).parent / "conformance" / "fixtures"

ACK_277CA = "\n".join([
    "ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*SUBMITTER01    *261103*1200*^*00501"
    "*000000201*0*P*:~",
    "GS*HN*CLEARINGHOUSE*SUBMITTER01*20261103*1200*201*X*005010X214~",
    "ST*277*0001*005010X214~",
    "BHT*0085*08*BATCH77*20261103*1200*TH~",
    "HL*1**20*1~",
    "NM1*PR*2*ACME HEALTH PLAN*****PI*12345~",
    "TRN*1*RCPT0001~",
    "DTP*050*D8*20261102~",
    "DTP*009*D8*20261103~",
    "HL*2*1*21*1~",
    "NM1*41*2*NORTH CLINIC BILLING*****46*SUBMITTER01~",
    "TRN*2*BATCH0001~",
    "STC*A1:19:PR*20261103*WQ*205~",
    "QTY*90*1~",
    "QTY*AA*1~",
    "AMT*YU*125~",
    "AMT*YY*80~",
    "HL*3*2*19*1~",
    "NM1*85*2*NORTH CLINIC*****XX*1234567893~",
    "TRN*1*PROV0001~",
    "STC*A1:19:PR*20261103*WQ*205~",
    "HL*4*3*PT~",
    "NM1*QC*1*DOE*JANE****MI*W123456789~",
    "TRN*2*CLM0001~",
    "STC*A2:20:PR*20261103*WQ*125~",
    "REF*1K*PAYER0001~",
    "DTP*472*D8*20261001~",
    "HL*5*3*PT~",
    "NM1*QC*1*ROE*RICHARD****MI*W987654321~",
    "TRN*2*CLM0002~",
    "STC*A7:562:85*20261103*U*80~",
    "DTP*472*RD8*20261001-20261003~",
    "SVC*HC:99213*80~",
    "STC*A7:453*20261103*U*80~",
    "REF*FJ*LINE1~",
    "DTP*472*D8*20261001~",
    "SE*35*0001~",
    "GE*1*201~",
    "IEA*1*000000201~",
    "",
])


def _only(data: bytes | str) -> Transaction:
    document = parse(data)
    assert not [f for f in document.all_findings() if f.severity is Severity.ERROR]
    transactions = list(document.transactions())
    assert len(transactions) == 1
    return transactions[0]


def test_277ca_accepted_and_rejected_claims_with_batch_totals() -> None:
    view = claim_status_of(_only(ACK_277CA))
    assert view.acknowledgment and view.guide == "005010X214"
    assert view.source is not None and view.source.id == "12345"
    receiver, provider = view.parties
    assert receiver.level == "receiver" and receiver.trace == "BATCH0001"
    assert receiver.accepted_count == 1 and receiver.rejected_count == 1
    assert receiver.accepted_amount == Decimal("125") and receiver.rejected_amount == Decimal("80")
    assert provider.level == "provider" and provider.party is not None
    assert provider.party.id == "1234567893"
    accepted, rejected = view.claims
    assert accepted.trace == "CLM0001" and not accepted.rejected
    assert accepted.patient_control == "CLM0001"
    assert accepted.payer_claim == "PAYER0001" and accepted.start == date(2026, 10, 1)
    assert accepted.patient is not None and accepted.patient.last == "DOE"
    assert accepted.provider is not None and accepted.provider.entity == "85"
    assert rejected.trace == "CLM0002" and rejected.rejected
    (status,) = rejected.statuses
    assert status.codes[0].category == "A7" and status.codes[0].code == "562"
    assert status.codes[0].entity == "85" and status.action == "U"
    assert status.charge == Decimal("80")
    assert (rejected.start, rejected.end) == (date(2026, 10, 1), date(2026, 10, 3))
    (line,) = rejected.lines
    assert (line.qualifier, line.code, line.charge) == ("HC", "99213", Decimal("80"))
    assert line.control_number == "LINE1" and line.statuses[0].rejected


def test_277_claim_statuses_per_claim_and_line() -> None:
    tx = _only((CORPUS / "277/pass/stupidedi--claim-response.edi").read_bytes())
    view = claim_status_of(tx)
    assert not view.acknowledgment and view.guide == "005010X212"
    smith, jones, mann = view.claims
    assert smith.trace == "ABCXYZ1" and smith.patient_control == "SM123456"
    assert smith.payer_claim == "05347006051" and smith.bill_type == "111"
    assert smith.statuses[0].codes[0].category == "P3"
    assert smith.statuses[0].charge == Decimal("8513.88") and smith.statuses[0].paid is None
    assert (smith.start, smith.end) == (date(2005, 8, 31), date(2005, 9, 6))
    assert jones.statuses[0].codes[0].category == "F0"
    assert jones.statuses[0].paid == Decimal("7599")
    assert mann.patient is not None and mann.patient.entity == "QC"
    assert mann.provider is not None and mann.provider.last == "HOME HOSPITAL PHYSICIANS"
    (line,) = mann.lines
    assert line.code == "99203" and line.statuses[0].codes[0].category == "F2"


def test_277_provider_and_receiver_level_statuses() -> None:
    view = claim_status_of(_only((CORPUS / "277/pass/stupidedi--provider-response.edi")
                                 .read_bytes()))
    (provider,) = view.parties
    assert provider.level == "provider" and provider.trace == "0"
    assert provider.statuses[0].codes[0].entity == "1P"
    receiver_view = claim_status_of(_only(
        (CORPUS / "277/pass/stupidedi--info-receiver-response.edi").read_bytes()))
    (receiver,) = receiver_view.parties
    assert receiver.level == "receiver" and receiver.statuses[0].codes[0].category == "E0"
    assert not receiver_view.claims


ENVELOPE = Envelope(sender_id="SUBMITTER01", receiver_id="PAYER01", interchange_control=102,
                    group_control=8, created=date(2026, 11, 2), time="0930")
PAYER = Entity(entity="PR", last="ACME HEALTH PLAN", id_qualifier="PI", id="12345")
RECEIVER = Entity(entity="41", last="NORTH CLINIC BILLING", id_qualifier="46",
                  id="SUBMITTER01")
PROVIDER = Entity(entity="1P", last="NORTH CLINIC", id_qualifier="XX", id="1234567893")
SUBSCRIBER = Person(last="DOE", first="JANE", member_id="W123456789",
                    birth_date=date(1980, 1, 31), gender="F")
CLAIM = ClaimQuery(trace="T1", charge=Decimal("125.00"), service_start=date(2026, 10, 1),
                   patient_control="CLM0001")


def _inquiry(**changes: object) -> ClaimStatusInquiry:
    values: dict[str, object] = dict(
        payer=PAYER, receiver=RECEIVER, provider=PROVIDER, subscriber=SUBSCRIBER,
        claims=(CLAIM,), reference="R276", created=date(2026, 11, 2), time="0930")
    values.update(changes)
    return ClaimStatusInquiry(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("dependent", [None, Person(last="DOE", first="JOHN",
                                                    birth_date=date(2015, 6, 1), gender="M")])
def test_276_written_is_valid_and_placed_by_the_guide(dependent: Person | None) -> None:
    ranged = ClaimQuery(trace="T2", charge=Decimal("80"), service_start=date(2026, 10, 1),
                        service_end=date(2026, 10, 3), payer_claim="PC9", bill_type="111")
    text = write_276(_inquiry(dependent=dependent, claims=(CLAIM, ranged)), ENVELOPE, "0002")
    document = parse(text)
    assert not document.all_findings()
    (tx,) = document.transactions()
    trns = [s for s in tx.segments() if s.id == "TRN"]
    assert [t.get(2) for t in trns] == ["T1", "T2"]
    claim_loop = "2200E" if dependent else "2200D"
    assert all(t.use is not None and t.use.loop_id == claim_loop for t in trns)
    dtps = [s.get(3) for s in tx.segments() if s.id == "DTP"]
    assert dtps == ["20261001", "20261001-20261003"]


@pytest.mark.parametrize(("changes", "field"), [
    ({"claims": ()}, "at least one claim"),
    ({"subscriber": Person(last="DOE")}, "member_id"),
    ({"claims": (ClaimQuery(trace="", charge=Decimal(1), service_start=date(2026, 1, 1)),)},
     "TRN02"),
    ({"claims": (ClaimQuery(trace="T", charge=Decimal(1), service_start=date(2026, 1, 2),
                            service_end=date(2026, 1, 1)),)}, "before service_start"),
])
def test_276_builder_names_the_bad_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(BuildError, match=field):
        write_276(_inquiry(**changes), ENVELOPE, "0002")


@settings(max_examples=40, deadline=None)
@given(charges=st.lists(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"),
                                    places=2), min_size=1, max_size=5),
       start=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)),
       days=st.integers(min_value=0, max_value=30),
       control=st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1,
                       max_size=20))
def test_any_sensible_276_validates(charges: list[Decimal], start: date, days: int,
                                    control: str) -> None:
    end = date.fromordinal(start.toordinal() + days)
    claims = tuple(ClaimQuery(trace=f"T{n}", charge=charge, service_start=start,
                              service_end=end, patient_control=control)
                   for n, charge in enumerate(charges))
    text = write_276(_inquiry(claims=claims), ENVELOPE, "0002")
    assert not [f.code for f in parse(text).all_findings()]
