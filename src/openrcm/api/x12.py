"""HTTP API of the X12 engine: validate, parse, acknowledge (request body: the X12 text).

Bodies are ``text/plain`` (the X12 interchange as sent); responses are JSON. The routes live
under the practice like the stored claims, because an 837 or 835 carries PHI: the caller must
be signed in as a member with ``claim.read``, and ``parse`` is an audited PHI read (all of it
in ``openrcm.services.x12_files``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from openrcm.api.dependencies import CtxDep
from openrcm.services import x12_files
from openrcm.services.errors import InvalidInput

router = APIRouter(prefix="/api/practices/{practice_id}/x12", tags=["x12"])
MAX_BYTES = 256 * 1024 * 1024

_BODY = {"requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}},
                         "required": True}}


async def _body(request: Request) -> bytes:
    content = await request.body()
    if len(content) > MAX_BYTES:
        raise InvalidInput(f"file larger than {MAX_BYTES // (1024 * 1024)} MB")
    return content


@router.post("/validate", openapi_extra=_BODY)
async def validate(request: Request, ctx: CtxDep) -> dict[str, Any]:
    """Findings of the interchange in the body; ``valid`` is false when any is an error."""
    return await run_in_threadpool(x12_files.validate, ctx, await _body(request))


@router.post("/parse", openapi_extra=_BODY)
async def parse(request: Request, ctx: CtxDep) -> dict[str, Any]:
    """What the interchange holds, with typed 835/837 views."""
    return await run_in_threadpool(x12_files.parse, ctx, await _body(request))


@router.post("/ack", openapi_extra=_BODY)
async def ack(request: Request, ctx: CtxDep,
              control: Annotated[int, Query(ge=1, le=999_999_999)] = 1
              ) -> dict[str, str | None]:
    """The 999 (and TA1 when the envelope is bad) for the interchange in the body; ``control``
    numbers the reply (ISA13/GS06)."""
    return await run_in_threadpool(x12_files.acknowledge, ctx, await _body(request), control)
