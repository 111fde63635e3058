"""999, 277CA and 277 read through the x12 typed views, on public samples and simulator
answers."""

from __future__ import annotations

from pathlib import Path

from openrcm.payers.acks import explain, read_277ca, read_999
from openrcm.payers.claim_status import read_277
from openrcm.payers.simulator.config import default_config
from openrcm.payers.simulator.engine import SimState, handle
from tests.payers.support import TODAY, D, claim, elsewhere, x837

FIXTURES = Path(__file__).parents[1] / "x12" / "conformance" / "fixtures"


def test_999_sample_gives_each_set_its_verdict_and_error_segments() -> None:
    (ack,) = read_999((FIXTURES / "999" / "fail" / "staedi--simple999.edi").read_bytes())
    assert ack.group_control == "17456"
    assert [(s.control, s.accepted) for s in ack.sets] == [
        ("0001", True), ("0002", False), ("0003", False)]
    assert ack.sets[1].errors == ("segment CLM at position 22",)


def test_277_samples_give_status_amounts_and_payer_claim_number() -> None:
    pending, done, *_ = read_277((FIXTURES / "277" / "pass" / "lfh--claim-level-status.277")
                                 .read_bytes())
    assert (pending.claim_id, pending.status, pending.payer_control) == (
        "SM123456", "P3:317", "05347006051")
    assert not pending.finalized and pending.charge == D("8513.88") and pending.paid is None
    assert pending.meaning.startswith("The claim or encounter is waiting")
    assert (done.claim_id, done.status, done.paid) == ("J0234567", "F0:3", D("7599.00"))
    assert done.finalized and "awaiting payment cycle" in done.meaning
    (inquiry,) = read_277((FIXTURES / "277" / "pass" /
                           "lfh--information-receiver-level-status.277").read_bytes())
    assert (inquiry.claim_id, inquiry.status) == ("ABC276XXX", "E0:0")  # the 276's trace
    assert inquiry.meaning.startswith("error on submitted request data")
    # a 277 status response is not a 277CA acknowledgment
    assert read_277ca((FIXTURES / "277" / "pass" / "lfh--claim-level-status.277").read_bytes()) \
        == []


def test_277ca_verdicts_name_the_payer_and_explain_rejections() -> None:
    _, replies = handle(SimState(), default_config(),
                        x837(claim("C1"), elsewhere(claim("C2"))), TODAY)
    (ok,) = read_277ca(replies[1].text)
    (bad,) = read_277ca(replies[2].text)
    assert ok.accepted and ok.payer_id == "SIMPPO" and ok.statuses == ("A2:20",)
    assert not bad.accepted and bad.payer_id == "NOPE" and bad.payer_control == ""
    assert bad.statuses == ("A3:116:PR",) and bad.reasons == (explain("A3:116:PR"),)
    assert bad.reasons[0] == ("The claim/encounter has been rejected and has not been entered "
                              "into the adjudication system: Claim submitted to incorrect "
                              "payer.")
