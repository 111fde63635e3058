"""Mount the practice-data API on an application: routers, problem+json errors, runtime.

``create_app`` calls :func:`mount` once. The runtime (database + PHI cipher) comes from
``app.state.runtime`` when a caller set it (tests, ``openrcm serve``), else from the
environment's settings on first use.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import unquote_to_bytes

from fastapi import FastAPI, Request, Response

from openrcm.api import audit, auth, claims_store, errors, ledger, practice_data


def mount(app: FastAPI) -> None:
    """Add the auth, practice, claims, ledger and audit routers and the error handlers."""
    errors.install(app)
    app.middleware("http")(_refuse_nul)
    app.include_router(auth.router)
    app.include_router(practice_data.practices)
    app.include_router(practice_data.router)
    app.include_router(claims_store.router)
    app.include_router(ledger.router)
    app.include_router(ledger.reports)
    app.include_router(audit.router)


async def _refuse_nul(request: Request,
                      call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Refuse NUL characters in the path or query before they reach a query parameter."""
    raw = request.scope.get("query_string", b"")
    if "\x00" in request.url.path or b"\x00" in unquote_to_bytes(raw):
        return errors.problem(422, "validation_error", "invalid request",
                              "the URL contains a NUL character")
    return await call_next(request)
