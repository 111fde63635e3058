"""``openrcm db``: create or upgrade the schema (Alembic migrations shipped in the package)."""

from __future__ import annotations

import typer

from openrcm.cli._common import JSON_OPTION, emit, runtime
from openrcm.store import migrate

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command()
def upgrade(as_json: bool = JSON_OPTION) -> None:
    """Apply every pending migration (safe to run again)."""
    rt = runtime()
    before = migrate.current(rt.db.engine)
    migrate.upgrade(rt.db.engine)
    after = migrate.current(rt.db.engine)
    emit({"from": before, "to": after, "dialect": rt.db.dialect}, as_json,
         f"database at revision {after} (was {before or 'empty'}) on {rt.db.dialect}")


@app.command()
def current(as_json: bool = JSON_OPTION) -> None:
    """Show the schema revision."""
    rt = runtime()
    revision = migrate.current(rt.db.engine)
    emit({"revision": revision}, as_json, f"revision {revision or 'none'}")
