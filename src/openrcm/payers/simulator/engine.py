"""The payer simulator's engine: files in, files out, state carried explicitly.

``handle`` answers what a practice sends — an 837 gets a 999 and a 277CA (claims failing
front-end edits rejected, the rest queued for adjudication), a 270 gets a 271, a 276 a 277 —
and ``pay_cycle`` adjudicates the queue and issues one 835 per payer, with occasional
reversals/reposts and PLB recoupments when the configuration asks for them. Pure and
deterministic: the date comes in, randomness is seeded by (seed, cycle, payer), and the state
(deductibles met, queue, payment history, control numbers) is a value the caller keeps.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from openrcm.money import ZERO, cents
from openrcm.payers.simulator.adjudicate import adjudicate
from openrcm.payers.simulator.config import Member, SimConfig
from openrcm.payers.simulator.intake import claims_of, front_end_edits
from openrcm.payers.simulator.replies import (
    ClaimAck,
    StatusAnswer,
    TransactionAck,
    ack_277ca,
    ack_999,
    eligibility_271,
    status_277,
    unknown_payer_271,
)
from openrcm.x12.builders.envelope import Envelope
from openrcm.x12.builders.remittance import write_remittance
from openrcm.x12.parser import parse
from openrcm.x12.tree import Transaction
from openrcm.x12.views.claim import Claim
from openrcm.x12.views.common import Adjustment, Entity
from openrcm.x12.views.remittance import ClaimPayment, ProviderAdjustment, Remittance

RECOUP_SHARE = Decimal("0.10")


@dataclass(frozen=True, slots=True)
class Pending:
    """An accepted claim waiting for the next payment cycle."""

    payer_id: str
    claim: Claim
    payer_control: str


@dataclass(frozen=True, slots=True)
class Paid:
    """A claim payment already sent in an 835 (candidate for a reversal or a recoupment)."""

    payer_id: str
    payment: ClaimPayment
    npi: str
    reversed: bool = False
    recouped: bool = False


@dataclass(frozen=True, slots=True)
class Known:
    """What the payer can say about a claim in a 277: status, amounts, payer number."""

    status: str
    charge: Decimal
    paid: Decimal
    payer_control: str
    on: date


def claim_key(payer_id: str, claim_id: str) -> str:
    """How the simulator knows a claim: the payer it was sent to and its CLM01.

    A secondary claim keeps the primary's CLM01 (the patient account number, TR3 2300), so
    CLM01 alone does not name one claim; each payer answers about its own copy.
    """
    return f"{payer_id}:{claim_id}"


@dataclass(frozen=True, slots=True)
class SimState:
    """Everything the simulator remembers between files (JSON via ``openrcm.x12.views.codec``).

    ``known`` is keyed by :func:`claim_key`.
    """

    control: int = 0
    claim_seq: int = 0
    cycles: int = 0
    deductible_met: dict[str, Decimal] = field(default_factory=dict)
    pending: tuple[Pending, ...] = ()
    paid: tuple[Paid, ...] = ()
    known: dict[str, Known] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Reply:
    """A file the simulator sends back: a suggested name, the kind and the X12 text."""

    name: str
    kind: str
    text: str


def _envelope(state: SimState, config: SimConfig, today: date) -> tuple[SimState, Envelope]:
    n = state.control + 1
    return replace(state, control=n), Envelope(config.sender_id, "OPENRCM", n, n, today)


def _receive_837(state: SimState, config: SimConfig, txs: list[Transaction], group: str,
                 has_errors: dict[str, list[tuple[str, int, str]]], today: date
                 ) -> tuple[SimState, list[Reply]]:
    state, env = _envelope(state, config, today)
    replies = [Reply(f"999-{env.interchange_control:09d}.x12", "999",
                     ack_999(env, group, txs[0].guide_id or "005010X222A1",
                             [TransactionAck(tx.control, tuple(has_errors.get(tx.control, [])))
                              for tx in txs]))]
    acks: dict[str, list[ClaimAck]] = {}
    pending = list(state.pending)
    known = dict(state.known)
    seq = state.claim_seq
    for tx in txs:
        if has_errors.get(tx.control):
            continue
        for claim in claims_of(tx):
            rejections = front_end_edits(claim, frozenset(config.payers), today)
            control = ""
            if not rejections:
                seq += 1
                control = f"{today:%y%j}{seq:07d}"
                pending.append(Pending(claim.payer.id, claim, control))
                known[claim_key(claim.payer.id, claim.id)] = Known("A2:20", claim.charge, ZERO,
                                                                   control, today)
            acks.setdefault(claim.payer.id, []).append(ClaimAck(claim, control,
                                                                tuple(rejections)))
    state = replace(state, pending=tuple(pending), known=known, claim_seq=seq)
    for payer_id, group_acks in acks.items():
        state, env = _envelope(state, config, today)
        replies.append(Reply(f"277CA-{env.interchange_control:09d}.x12", "277CA",
                             ack_277ca(env, config.payers.get(payer_id), payer_id, today,
                                       group_acks)))
    return state, replies


def _negated(p: ClaimPayment) -> ClaimPayment:
    def neg(adjs: tuple[Adjustment, ...]) -> tuple[Adjustment, ...]:
        return tuple(replace(a, amount=-a.amount) for a in adjs)
    return replace(p, status="22", charge=-p.charge, paid=-p.paid,
                   patient_responsibility=-(p.patient_responsibility or ZERO),
                   adjustments=neg(p.adjustments),
                   lines=tuple(replace(ln, charge=-ln.charge, paid=-ln.paid,
                                       adjustments=neg(ln.adjustments)) for ln in p.lines))


def _corrected(p: ClaimPayment, control: str) -> ClaimPayment:
    """The repost after a reversal: one more dollar allowed on the first line with CO-45."""
    lines = list(p.lines)
    for i, ln in enumerate(lines):
        co45 = [a for a in ln.adjustments if a.group == "CO" and a.reason == "45"]
        if co45 and co45[0].amount >= 1:
            adjs = tuple(replace(a, amount=a.amount - 1) if a is co45[0] else a
                         for a in ln.adjustments)
            lines[i] = replace(ln, paid=ln.paid + 1, adjustments=adjs)
            break
    paid = sum((ln.paid for ln in lines), ZERO)
    return replace(p, status=p.status, paid=paid, payer_control=control, lines=tuple(lines))


def pay_cycle(state: SimState, config: SimConfig, today: date
              ) -> tuple[SimState, list[Reply]]:
    """Adjudicate every queued claim and send one 835 per payer (check or EFT)."""
    cycle = state.cycles + 1
    state = replace(state, cycles=cycle)
    replies: list[Reply] = []
    met = dict(state.deductible_met)
    known = dict(state.known)
    paid_history = list(state.paid)
    seq = state.claim_seq  # payer claim numbers are never reused, reposts included
    for payer_id, rules in config.payers.items():
        queue = [p for p in state.pending if p.payer_id == payer_id]
        rng = random.Random(f"{config.seed}:{cycle}:{payer_id}")
        payments: list[ClaimPayment] = []
        plbs: list[ProviderAdjustment] = []
        npi = queue[0].claim.billing_provider.entity.id if queue else ""
        for index, old in enumerate(list(paid_history)):
            if old.payer_id != payer_id or old.reversed or old.recouped:
                continue
            if rules.reversal_rate and rng.random() < float(rules.reversal_rate):
                seq += 1
                fresh = _corrected(old.payment, f"R{today:%y%j}{seq:06d}")
                payments += [_negated(old.payment), fresh]
                paid_history[index] = replace(old, reversed=True)
                paid_history.append(Paid(payer_id, fresh, old.npi))
                known[claim_key(payer_id, fresh.patient_control)] = Known(
                    "F1:65" if fresh.paid > 0 else "F1:107", fresh.charge, fresh.paid,
                    fresh.payer_control, today)
                npi = npi or old.npi
            elif rules.recoupment_rate and old.payment.paid >= 1 and \
                    rng.random() < float(rules.recoupment_rate):
                # PLB03-2 names the claim by the payer's own number, which (unlike CLM01,
                # shared by a primary and its secondary) is unique to this payment
                plbs.append(ProviderAdjustment(old.npi or "0000000000", date(today.year, 12, 31),
                                               "WO", old.payment.payer_control,
                                               max(cents(old.payment.paid * RECOUP_SHARE),
                                                   Decimal("1.00"))))
                paid_history[index] = replace(old, recouped=True)
                npi = npi or old.npi
        for item in queue:
            member_id = item.claim.subscriber.entity.id
            key = f"{payer_id}:{member_id}"
            base = config.members.get(member_id)
            start = met.get(key, base.deductible_met if base else ZERO)
            outcome = adjudicate(item.claim, rules, start, item.payer_control)
            met[key] = outcome.deductible_met
            payments.append(outcome.payment)
            paid_history.append(Paid(payer_id, outcome.payment,
                                     item.claim.billing_provider.entity.id))
            status = ("F2:1" if outcome.payment.status == "4"
                      else "F1:65" if outcome.payment.paid > 0 else "F1:107")
            known[claim_key(payer_id, item.claim.id)] = Known(
                status, item.claim.charge, outcome.payment.paid, item.payer_control, today)
        if not payments and not plbs:
            continue
        total = sum((p.paid for p in payments), ZERO)
        while plbs and total - sum((p.amount for p in plbs), ZERO) < 0:
            plbs.pop()
        amount = total - sum((p.amount for p in plbs), ZERO)
        state, env = _envelope(state, config, today)
        trace = f"{payer_id[:4]}{env.interchange_control:08d}"
        bank = ("01", "999999992", "DA", "123456", "1999999999", "", "01", "999988880", "DA",
                "98765") if rules.method == "ACH" else ()
        view = Remittance(
            control="0001", handling="I", amount=amount, credit_debit="C",
            method=rules.method, payment_date=today, trace_number=trace,
            payer=Entity("PR", rules.name, id_qualifier="XV", id=payer_id),
            payee=Entity("PE", config.payee_name, id_qualifier="XX", id=npi or "0000000000"),
            payment_format="CCP" if rules.method == "ACH" else "", bank=bank,
            originator_id="1999999999", production_date=today, claims=tuple(payments),
            provider_adjustments=tuple(plbs))
        replies.append(Reply(f"835-{trace}.x12", "835", write_remittance([view], env)))
    state = replace(state, pending=(), deductible_met=met, known=known, paid=tuple(paid_history),
                    claim_seq=seq)
    return state, replies


def _answer_270(state: SimState, config: SimConfig, tx: Transaction, today: date
                ) -> tuple[SimState, Reply | None]:
    payer_id = member_id = trace = ""
    service_type = "30"
    for item in tx.body.segments():
        sid = item.elements[0]
        if sid == "NM1" and item.get(1) == "PR":
            payer_id = item.get(9)
        elif sid == "NM1" and item.get(1) == "IL":
            member_id = item.get(9)
        elif sid == "TRN" and not trace:
            trace = item.get(2)
        elif sid == "EQ" and item.get(1):
            service_type = item.get(1).split(tx.delimiters.repetition)[0]
    rules = config.payers.get(payer_id)
    if rules is None:
        state, env = _envelope(state, config, today)
        return state, Reply(f"271-{env.interchange_control:09d}.x12", "271",
                            unknown_payer_271(env, payer_id, trace))
    member = config.members.get(member_id)
    if member is None and not config.members:
        member = Member(member_id, payer_id)  # no member list: everyone is active
    met = state.deductible_met.get(f"{payer_id}:{member_id}", ZERO)
    state, env = _envelope(state, config, today)
    return state, Reply(f"271-{env.interchange_control:09d}.x12", "271",
                        eligibility_271(env, rules, trace, member_id, member, service_type, met))


def _answer_276(state: SimState, config: SimConfig, tx: Transaction, today: date
                ) -> tuple[SimState, Reply | None]:
    payer_id = ""
    answers: list[StatusAnswer] = []
    trace = claim_id = ""
    for item in tx.body.segments():
        sid = item.elements[0]
        if sid == "NM1" and item.get(1) == "PR":
            payer_id = item.get(9)
        elif sid == "TRN":
            trace = item.get(2)
        elif sid == "REF" and item.get(1) == "EJ":
            claim_id = item.get(2)
            found = state.known.get(claim_key(payer_id, claim_id))
            if found is None:
                answers.append(StatusAnswer(trace, claim_id, "A4:35", ZERO, ZERO, "", None))
            else:
                answers.append(StatusAnswer(trace, claim_id, found.status, found.charge,
                                            found.paid, found.payer_control, found.on))
    rules = config.payers.get(payer_id)
    if rules is None or not answers:
        return state, None
    state, env = _envelope(state, config, today)
    return state, Reply(f"277-{env.interchange_control:09d}.x12", "277",
                        status_277(env, rules, answers))


def handle(state: SimState, config: SimConfig, text: str | bytes, today: date
           ) -> tuple[SimState, list[Reply]]:
    """Answer one file a practice sent (837, 270 or 276); other sets get no answer."""
    document = parse(text, validate=True)
    replies: list[Reply] = []
    for interchange in document.interchanges:
        for group in interchange.groups:
            txs = group.transactions
            if txs and txs[0].set_id == "837":
                errors = {tx.control: [(str(f.location.get("segment_id", "")),
                                        int(f.location.get("segment", 0) or 0), f.message)
                                       for f in tx.findings if f.severity == "error"]
                          for tx in txs}
                state, out = _receive_837(state, config, txs, group.control, errors, today)
                replies += out
                continue
            for tx in txs:
                answer = None
                if tx.set_id == "270":
                    state, answer = _answer_270(state, config, tx, today)
                elif tx.set_id == "276":
                    state, answer = _answer_276(state, config, tx, today)
                if answer is not None:
                    replies.append(answer)
    return state, replies
