"""Shared plumbing of the database commands: settings, runtime, JSON or human output."""

from __future__ import annotations

import json
from typing import Any

import typer

from openrcm.config import Settings
from openrcm.services.bootstrap import Runtime, build
from openrcm.services.errors import ServiceError

JSON_OPTION = typer.Option(False, "--json", help="Print machine-readable JSON.")


def runtime() -> Runtime:
    """The runtime for the environment's settings (OPENRCM_HOME, OPENRCM_DATABASE_URL, ...)."""
    return build(Settings.from_env())


def emit(data: dict[str, Any], as_json: bool, human: str) -> None:
    """Print ``data`` as JSON or the human sentence."""
    typer.echo(json.dumps(data, indent=2, sort_keys=True, default=str) if as_json else human)


def fail(exc: ServiceError, as_json: bool) -> typer.Exit:
    """Report a service error (its code and PHI-free message) and return the exit to raise."""
    if as_json:
        typer.echo(json.dumps({"error": exc.code, "message": exc.message}))
    else:
        typer.echo(f"{exc.code}: {exc.message}", err=True)
    return typer.Exit(code=1)
