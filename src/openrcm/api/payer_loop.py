"""Payer loop routes: submit ready claims and fetch what came back through the practice's
clearinghouse, check eligibility (270/271) and claim status (276/277), post an 835, read a
posted remittance, apply a 999/277CA, read remittance KPIs, appeal letters.

Thin: an uploaded X12 file is the request body as sent by the payer; the clearinghouse is the
installation's (``OPENRCM_CLEARINGHOUSE``, options in ``home/adapters.yaml``; see
``openrcm.services.clearinghouse``); everything else is ``openrcm.services``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from openrcm.api.dependencies import CtxDep, RuntimeDep
from openrcm.payers.adapter import Adapter
from openrcm.security.roles import Permission as P
from openrcm.services import appeals, inquiries, payer_loop, remittances
from openrcm.services.bootstrap import Runtime
from openrcm.services.clearinghouse import connect
from openrcm.services.context import Ctx, authorize
from openrcm.services.errors import InvalidInput
from openrcm.services.schemas import Id, Model

router = APIRouter(prefix="/api/practices/{practice_id}/payer-loop", tags=["payer loop"])
MAX_BYTES = 256 * 1024 * 1024


async def _body(request: Request) -> bytes:
    content = await request.body()
    if len(content) > MAX_BYTES:
        raise InvalidInput(f"file larger than {MAX_BYTES // (1024 * 1024)} MB")
    return content


def _clearinghouse(ctx: Ctx, rt: Runtime, permission: P) -> Adapter:
    """The practice's adapter, opened only for a caller allowed to use it this way."""
    authorize(ctx, permission)
    return connect(rt.settings, ctx.actor.practice_id)


class SubmitIn(Model):
    """Which ready claims to send (all of them when ``claim_ids`` is absent)."""

    claim_ids: Annotated[list[Id], Field(max_length=5000)] | None = None


class SubmissionOut(Model):
    """Batches sent again (recorded but never confirmed by the adapter), then the new batch
    (None: no claim was ready)."""

    resent: list[str]
    batch: payer_loop.BatchOut | None


@router.post("/submissions", response_model=SubmissionOut)
def submit_claims(body: SubmitIn, ctx: CtxDep, rt: RuntimeDep) -> SubmissionOut:
    """Send ready claims in one 837 batch through the clearinghouse (never a claim twice)."""
    adapter = _clearinghouse(ctx, rt, P.CLAIM_SUBMIT)
    resent = payer_loop.resend_pending(ctx, adapter)
    return SubmissionOut(resent=resent, batch=payer_loop.submit(ctx, adapter,
                                                                claim_ids=body.claim_ids))


@router.post("/responses", response_model=payer_loop.FetchOut)
def fetch_responses(ctx: CtxDep, rt: RuntimeDep) -> payer_loop.FetchOut:
    """Fetch what the clearinghouse sent back and apply it: 999s and 277CAs to claims, 835s
    to the ledger."""
    return payer_loop.fetch_responses(ctx, _clearinghouse(ctx, rt, P.CLAIM_WRITE))


@router.post("/eligibility", response_model=inquiries.EligibilityOut)
def check_eligibility(body: inquiries.EligibilityIn, ctx: CtxDep, rt: RuntimeDep
                      ) -> inquiries.EligibilityOut:
    """Ask the payer about a patient's coverage (270) and read the 271: active or not,
    deductible and out-of-pocket remaining, copay and coinsurance, and with ``allowed`` the
    patient's estimated share."""
    return inquiries.check_eligibility(ctx, _clearinghouse(ctx, rt, P.ELIGIBILITY_CHECK), body)


@router.post("/claims/{claim_id}/status", response_model=inquiries.StatusOut)
def check_claim_status(claim_id: Annotated[str, Field(max_length=36)], ctx: CtxDep,
                       rt: RuntimeDep) -> inquiries.StatusOut:
    """Ask the payer where a submitted claim stands (276) and read the 277."""
    return inquiries.check_status(ctx, _clearinghouse(ctx, rt, P.CLAIM_SUBMIT), claim_id)


@router.post("/remittances", response_model=payer_loop.EraOut)
async def post_remittance(request: Request, ctx: CtxDep) -> payer_loop.EraOut:
    """Post an 835 file (body: the X12 bytes): once, all or nothing."""
    content = await _body(request)
    return await run_in_threadpool(payer_loop.post_era, ctx, content)


@router.get("/remittances/{record_id}", response_model=remittances.RemittanceDetailOut)
def remittance_detail(record_id: str, ctx: CtxDep, offset: int = Query(0, ge=0),
                      limit: int = Query(100, ge=1, le=remittances.MAX_PAGE)
                      ) -> remittances.RemittanceDetailOut:
    """A posted remittance: each claim payment with the claim and lines it paid (a page)."""
    return remittances.remittance_detail(ctx, record_id, offset=offset, limit=limit)


@router.post("/acknowledgments", response_model=payer_loop.AckOut)
async def post_acknowledgment(request: Request, ctx: CtxDep) -> payer_loop.AckOut:
    """Apply a 277CA (or a 999) to the claims it is about."""
    content = await _body(request)
    return await run_in_threadpool(payer_loop.ingest_ack, ctx, content)


@router.get("/kpis", response_model=payer_loop.KpiOut)
def remittance_kpis(ctx: CtxDep) -> payer_loop.KpiOut:
    """Auto-post rate, denial rate by category, days to payment."""
    return payer_loop.kpis(ctx)


@router.get("/appeal-letters/{work_item_id}", response_class=Response,
            responses={200: {"content": {"application/pdf": {}}}})
def appeal_letter(work_item_id: str, ctx: CtxDep) -> Response:
    """The appeal letter of a denial work item, as a PDF (it holds PHI: never cached)."""
    pdf = appeals.appeal_letter_pdf(ctx, work_item_id)
    return Response(pdf, media_type="application/pdf", headers={
        "Content-Disposition": 'attachment; filename="appeal-letter.pdf"',
        "Cache-Control": "no-store"})
