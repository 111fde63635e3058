"""Assemble the FastAPI application: one router per resource, nothing else here."""

from __future__ import annotations

from fastapi import FastAPI

from openrcm import __version__
from openrcm.api import claims as claims_api
from openrcm.api import codes as codes_api
from openrcm.api import coding as coding_api
from openrcm.api import payer_loop as payer_loop_api
from openrcm.api import practice_api
from openrcm.api import x12 as x12_api


def create_app() -> FastAPI:
    """Build the application; routers are added here and only here."""
    app = FastAPI(
        title="openrcm",
        version=__version__,
        description="Revenue-cycle API: code sets, X12, practice data, claims and remittances.",
    )

    practice_api.mount(app)
    app.include_router(codes_api.router)
    app.include_router(coding_api.router)
    app.include_router(x12_api.router)
    app.include_router(claims_api.router)
    app.include_router(payer_loop_api.router)

    @app.get("/health", tags=["meta"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    return app
