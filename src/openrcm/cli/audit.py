"""``openrcm audit``: prove the audit chain intact, or say where it was tampered with."""

from __future__ import annotations

import dataclasses

import typer

from openrcm.cli._common import JSON_OPTION, emit, runtime
from openrcm.services import audit

app = typer.Typer(help="Audit log.", no_args_is_help=True)


@app.command()
def verify(as_json: bool = JSON_OPTION) -> None:
    """Recompute the hash chain; exit 1 and name the first broken seq when it is not intact."""
    rt = runtime()
    count, findings = audit.verify(rt.db)
    data = {"events": count, "intact": not findings,
            "findings": [dataclasses.asdict(f) for f in findings]}
    human = (f"audit chain intact: {count} events" if not findings else
             "\n".join(f"{f.where()}: {f.code}: {f.message}" for f in findings))
    emit(data, as_json, human)
    if findings:
        raise typer.Exit(code=1)
