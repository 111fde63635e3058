"""HTTP API of the X12 engine: validate, parse, acknowledge (request body: the X12 text).

Bodies are ``text/plain`` (the X12 interchange as sent); responses are JSON. Nothing is
stored; findings never contain element values, so they carry no PHI.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request

from openrcm.findings import has_errors
from openrcm.x12 import operations

router = APIRouter(prefix="/x12", tags=["x12"])

_BODY = {"requestBody": {"content": {"text/plain": {"schema": {"type": "string"}}},
                         "required": True}}


@router.post("/validate", openapi_extra=_BODY)
async def validate(request: Request) -> dict[str, Any]:
    """Findings of the interchange in the body; ``valid`` is false when any is an error."""
    _, findings = operations.validate_bytes(await request.body())
    return {"valid": not has_errors(findings),
            "findings": [operations.finding_json(f) for f in findings]}


@router.post("/parse", openapi_extra=_BODY)
async def parse(request: Request) -> dict[str, Any]:
    """What the interchange holds, with typed 835/837 views."""
    document, _ = operations.validate_bytes(await request.body())
    return operations.summary(document)


@router.post("/ack", openapi_extra=_BODY)
async def ack(request: Request, control: int = 1) -> dict[str, Any]:
    """The 999 (and TA1 when the envelope is bad) for the interchange in the body."""
    now = datetime.now(UTC)
    result = operations.acknowledgments(await request.body(), control, now.date(),
                                        now.strftime("%H%M"))
    return {"ack_999": result.ack_999, "ta1": result.ta1}
