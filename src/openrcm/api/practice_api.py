"""Mount the practice-data API on an application: routers, problem+json errors, runtime.

``create_app`` calls :func:`mount` once. The runtime (database + PHI cipher) comes from
``app.state.runtime`` when a caller set it (tests, ``openrcm serve``), else from the
environment's settings on first use.
"""

from __future__ import annotations

from fastapi import FastAPI

from openrcm.api import audit, auth, claims_store, errors, ledger, practice_data


def mount(app: FastAPI) -> None:
    """Add the auth, practice, claims, ledger and audit routers and the error handlers."""
    errors.install(app)
    app.include_router(auth.router)
    app.include_router(practice_data.practices)
    app.include_router(practice_data.router)
    app.include_router(claims_store.router)
    app.include_router(ledger.router)
    app.include_router(audit.router)
