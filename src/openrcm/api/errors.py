"""Errors as application/problem+json (RFC 9457) with a stable ``code`` field.

Service errors map one to one (their code, status and PHI-free message). Validation errors list
where the problem is (``loc``) and what is wrong, but never echo the submitted value, which may
be PHI. Anything unexpected is a 500 with a reference id; the log gets the exception type and
that id, not its message (database errors can quote row values).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from openrcm.services.errors import ServiceError

log = logging.getLogger("openrcm.api")

PROBLEM = "application/problem+json"


def problem(status: int, code: str, title: str, detail: str = "",
            **extra: Any) -> JSONResponse:
    """A problem+json response."""
    body: dict[str, Any] = {"type": f"urn:openrcm:problem:{code}", "title": title,
                            "status": status, "code": code}
    if detail:
        body["detail"] = detail
    body.update({k: v for k, v in extra.items() if v is not None})
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _service_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ServiceError)
    return problem(exc.status, exc.code, exc.code.replace("_", " "), exc.message,
                   field=exc.field)


def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")),
               "type": str(e.get("type", ""))} for e in exc.errors()[:20]]
    return problem(422, "validation_error", "invalid request",
                   "the request does not match the schema", errors=errors)


def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    codes = {404: "not_found", 405: "method_not_allowed", 401: "unauthenticated"}
    code = codes.get(exc.status_code, f"http_{exc.status_code}")
    return problem(exc.status_code, code, code.replace("_", " "), str(exc.detail))


def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    ref = uuid.uuid4().hex[:12]
    log.error("unexpected %s (ref %s)", type(exc).__name__, ref)
    return problem(500, "internal_error", "internal error",
                   f"unexpected error; reference {ref}", reference=ref)


def install(app: FastAPI) -> None:
    """Register the handlers on the application."""
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
