"""``openrcm demo``: load the synthetic demo practice (idempotent)."""

from __future__ import annotations

import dataclasses

import typer

from openrcm.cli._common import JSON_OPTION, emit, runtime
from openrcm.services import demo
from openrcm.store import migrate

app = typer.Typer(help="Synthetic demo data.", no_args_is_help=True)


@app.command()
def load(
    patients: int = typer.Option(50, min=1, max=5000, help="Patients in the main practice."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Migrate, then load the demo practices, users and patients unless already loaded."""
    rt = runtime()
    migrate.upgrade(rt.db.engine)
    summary = demo.load(rt.db, rt.cipher, patients=patients)
    lines = [("loaded" if summary.created else "already loaded") + " demo practices:"]
    lines += [f"  {name}: {pid}" for name, pid in summary.practices.items()]
    lines += ["demo users (synthetic, change before real use):"]
    lines += [f"  {email} / {password}" for email, password in summary.users.items()]
    if summary.created:
        lines.append(f"{summary.patients} patients, {summary.encounters} encounters, "
                     f"{summary.claims} claims")
    emit(dataclasses.asdict(summary), as_json, "\n".join(lines))
