"""Appeal letters for denial work items, as PDF.

A denial work item (written by 835 posting) names the claim and, in its summary, the CARC
group, code and denial category. The letter's facts come from the stored claim, its payer,
the practice, the payer's adjudication kept on the claim's journal entries (the denied line's
procedure and charge) and — read through the audited record service, since they are PHI — the
patient's name and member id. ``openrcm.remit.appeal`` renders the page.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import Decimal

from sqlalchemy import select

from openrcm.money import ZERO
from openrcm.remit.appeal import AppealFacts, appeal_letter
from openrcm.remit.entries import ADJUDICATION, decode_adjudication
from openrcm.remit.model import Denial
from openrcm.remit.rules import DENIAL_CATEGORIES, carc_text, rule_for
from openrcm.security.roles import Permission as P
from openrcm.services import practice, records
from openrcm.services import schemas as s
from openrcm.services.context import Ctx, requires
from openrcm.services.errors import InvalidInput, NotFound
from openrcm.store.models import (
    Claim,
    ClaimLine,
    Encounter,
    JournalEntryRow,
    Location,
    Payer,
    Practice,
    WorkItem,
)

_SUMMARY = re.compile(r"^(?P<group>[A-Z]{2})-(?P<reason>[A-Z0-9]{1,5}) (?P<category>[a-z -]+): ")
"""How 835 posting writes a denial's summary: ``CO-50 medical necessity: <next action>``."""


def _denial(item: WorkItem, claim_id: str) -> Denial:
    found = _SUMMARY.match(item.summary)
    if found is None or found["category"] not in DENIAL_CATEGORIES:
        raise InvalidInput(f"work item {item.id} does not name a CARC denial in its summary "
                           "(expected e.g. 'CO-50 medical necessity: ...')")
    group, reason = found["group"], found["reason"]
    return Denial(claim_id, "", group, reason, ZERO, found["category"], carc_text(reason), (),
                  rule_for(group, reason).next_action)


@requires(P.WORKITEM_READ)
def appeal_letter_pdf(ctx: Ctx, work_item_id: str) -> bytes:
    """The appeal letter of one denial work item of the caller's practice, as PDF bytes.

    Raises:
        NotFound: no such work item in this practice.
        InvalidInput: the work item is not a denial of a claim.
    """
    practice_id = ctx.actor.practice_id
    with ctx.uow() as uow:
        session = uow.session
        item = session.scalar(select(WorkItem).where(WorkItem.id == work_item_id,
                                                     WorkItem.practice_id == practice_id))
        if item is None:
            raise NotFound(f"work item {work_item_id} not found")
        claim = session.get(Claim, item.claim_id) if item.claim_id else None
        if item.kind != "denial" or claim is None or claim.practice_id != practice_id:
            raise InvalidInput(f"work item {work_item_id} is not the denial of a claim; only "
                               "denials have appeal letters")
        denial = _denial(item, claim.id)
        payer = session.get(Payer, claim.payer_id)
        own = session.get(Practice, practice_id)
        encounter = session.get(Encounter, claim.encounter_id)
        assert payer is not None and own is not None and encounter is not None
        location = session.get(Location, encounter.location_id) if encounter.location_id \
            else session.scalar(select(Location).where(Location.practice_id == practice_id)
                                .order_by(Location.created_at).limit(1))
        address = ", ".join(part for part in (
            location.address_line1, location.city,
            f"{location.state} {_zip_for_letter(location.postal_code)}".strip()) if part) \
            if location else ""
        lines = list(session.scalars(select(ClaimLine).where(ClaimLine.claim_id == claim.id)
                                     .order_by(ClaimLine.line_number)))
        denied, amount = _denied_line(session.scalars(select(JournalEntryRow.refs).where(
            JournalEntryRow.practice_id == practice_id, JournalEntryRow.id.like("era-%"),
            JournalEntryRow.refs.like(f'%"claim": "{claim.id}"%'),
            JournalEntryRow.refs.like(f'%"{ADJUDICATION}"%'))
            .order_by(JournalEntryRow.seq.desc())).first(), denial)
        denial = replace(denial, line_id=denied or "", amount=amount)
        line = next((ln for ln in lines if ln.id == denied), lines[0] if lines else None)
        billed = line.charge_amount if line else claim.total_charge
        procedure, service_date = (line.code if line else ""), encounter.date_of_service
        control = claim.payer_claim_control_number or "(not assigned)"
        claim_id, practice_name, payer_name = claim.id, own.name, payer.name
        patient_id, coverage_id = claim.patient_id, claim.coverage_id
    patient: s.PatientOut = records.get(ctx, practice.PATIENTS, patient_id)
    coverage: s.CoverageOut = records.get(ctx, practice.COVERAGES, coverage_id,
                                          parent_id=patient_id)
    return appeal_letter(AppealFacts(
        practice_name, address, payer_name, claim_id, control,
        f"{patient.first_name} {patient.last_name}", coverage.member_id, service_date,
        procedure, billed, ctx.clock().date()), denial)


def _zip_for_letter(postal_code: str) -> str:
    """ZIP+4 as people write it (62701-1234); the store keeps the nine digits X12 wants."""
    if len(postal_code) == 9 and postal_code.isdigit():
        return f"{postal_code[:5]}-{postal_code[5:]}"
    return postal_code


def _denied_line(refs: str | None, denial: Denial) -> tuple[str | None, Decimal]:
    """The claim line whose recorded adjudication carries the denial's CAS code, and the
    amount of that adjustment; (None, 0) when the payer's result is not on the journal."""
    if refs is None:
        return None, ZERO
    for line_id, (_, adjustments) in decode_adjudication(json.loads(refs)[ADJUDICATION]).items():
        amounts = [a.amount for a in adjustments
                   if a.group == denial.group and a.reason == denial.reason]
        if amounts:
            return line_id, sum(amounts, ZERO)
    return None, ZERO
