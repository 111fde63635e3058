"""Stored claims read back as claim values, scrubbed and exported (837P and CMS-1500)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from openrcm.claims.scrub import scrubber
from openrcm.services import claim_output
from openrcm.services.bootstrap import Runtime
from openrcm.services.errors import InvalidInput, NotFound
from openrcm.store.models import AuditEventRow
from tests.api.world import Tenant, admin_ctx
from tests.claims.test_x837 import errors


def test_encounter_claims_are_read_back_with_phi_audited(rt: Runtime,
                                                         world: tuple[Tenant, Tenant]) -> None:
    a, _ = world
    ctx = admin_ctx(rt, a)
    with rt.db.uow(None) as uow:
        before = len(list(uow.session.scalars(select(AuditEventRow.seq))))
    (claim,) = claim_output.claims_of(ctx, encounter_id=a.ids["encounter"])
    assert claim.claim_id == a.ids["claim"]
    assert claim.encounter_id == a.ids["encounter"]
    assert claim.billing_provider.npi == "1234567893"
    assert claim.lines and claim.diagnoses
    assert claim.payer.payer_id
    with rt.db.uow(None) as uow:
        events = [(e.phi, e.practice_id) for e in uow.session.scalars(
            select(AuditEventRow).order_by(AuditEventRow.seq))][before:]
    assert (True, a.practice_id) in events
    (same,) = claim_output.claims_of(ctx, claim_id=a.ids["claim"])
    assert same == claim


def test_other_practice_records_are_not_found(rt: Runtime, world: tuple[Tenant, Tenant]) -> None:
    a, b = world
    ctx = admin_ctx(rt, a)
    with pytest.raises(NotFound):
        claim_output.claims_of(ctx, encounter_id=b.ids["encounter"])
    with pytest.raises(NotFound):
        claim_output.claims_of(ctx, claim_id=b.ids["claim"])
    with pytest.raises(InvalidInput):
        claim_output.claims_of(ctx)
    with pytest.raises(InvalidInput):
        claim_output.claims_of(ctx, claim_id=a.ids["claim"], encounter_id=a.ids["encounter"])


def test_scrub_and_export(rt: Runtime, world: tuple[Tenant, Tenant]) -> None:
    a, _ = world
    ctx = admin_ctx(rt, a)
    report = claim_output.scrub(ctx, scrubber(), claim_output.ScrubIn(
        claim_id=a.ids["claim"], as_of=date(2026, 1, 20)))
    assert [r.claim_id for r in report.claims] == [a.ids["claim"]]
    data, media, name = claim_output.export(ctx, claim_output.ExportIn(
        format="837p", encounter_id=a.ids["encounter"], on=date(2026, 1, 20)))
    assert media == "application/edi-x12" and name == "837P-000000001.x12"
    assert errors(data.decode()) == []
    pdf, media, _ = claim_output.export(ctx, claim_output.ExportIn(
        format="cms1500", claim_id=a.ids["claim"]))
    assert media == "application/pdf" and pdf.startswith(b"%PDF")
