"""A denial becomes a work item that says why: category, suggested next action, the payer's
RARC codes and the CARC in words, in the shape appeal letters and KPIs read back."""

from __future__ import annotations

from sqlalchemy import select

from openrcm.remit.rules import carc_text, rule_for
from openrcm.services.appeals import appeal_letter_pdf
from openrcm.services.payer_loop import kpis, post_era
from openrcm.store.db import Database
from openrcm.store.models import WorkItem
from openrcm.x12.views.common import Adjustment
from openrcm.x12.views.remittance import ClaimPayment, ServicePayment
from tests.services.payer_loop_world import DOS, D, build, era
from tests.store.fixtures import db

__all__ = ["db"]


def test_denial_work_item_has_carc_and_rarc_in_words(db: Database) -> None:
    w = build(db)
    claim = w.claims[0]
    line = ServicePayment("HC", "99213", D("150.00"), D("0"), service_date=DOS,
                          adjustments=(Adjustment("CO", "50", D("150.00")),),
                          remarks=("N386",))
    post_era(w.ctx, era(ClaimPayment(claim.id, "4", D("150.00"), D("0"), payer_control="P1",
                                     lines=(line,))))
    with db.uow(w.ctx.actor.practice_id) as uow:
        (item_id, summary), = uow.session.execute(select(WorkItem.id, WorkItem.summary).where(
            WorkItem.kind == "denial")).all()
    words = carc_text("50")
    assert summary == (f"CO-50 medical necessity: {rule_for('CO', '50').next_action} | RARC "
                       f"N386 | CARC 50: {words}")[:199] + "\u2026"
    assert kpis(w.ctx).lines_denied["medical necessity"] == 1
    assert appeal_letter_pdf(w.ctx, item_id).startswith(b"%PDF")
