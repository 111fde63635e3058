"""Payer loop routes: post an 835, read a posted remittance, apply a 999/277CA, read
remittance KPIs, appeal letters.

Thin: the request body is the X12 file as sent by the payer; everything else is
``openrcm.services.payer_loop``.
"""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from openrcm.api.dependencies import CtxDep
from openrcm.services import appeals, payer_loop, remittances
from openrcm.services.errors import InvalidInput

router = APIRouter(prefix="/api/practices/{practice_id}/payer-loop", tags=["payer loop"])
MAX_BYTES = 256 * 1024 * 1024


async def _body(request: Request) -> bytes:
    content = await request.body()
    if len(content) > MAX_BYTES:
        raise InvalidInput(f"file larger than {MAX_BYTES // (1024 * 1024)} MB")
    return content


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
