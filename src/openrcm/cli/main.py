"""The ``openrcm`` command: each area registers its own Typer sub-app here."""

from __future__ import annotations

import typer

from openrcm.cli import audit as audit_cli
from openrcm.cli import db as db_cli
from openrcm.cli import demo as demo_cli
from openrcm.cli import keys as keys_cli
from openrcm.cli import practices as practices_cli
from openrcm.cli import users as users_cli
from openrcm.cli.claims import claims_app
from openrcm.cli.codes import codes_app
from openrcm.cli.coding import coding_app, eval_app
from openrcm.cli.payer_loop import payer_loop_app
from openrcm.cli.x12 import x12_app

app = typer.Typer(
    name="openrcm",
    help="Open-source revenue cycle: code sets, coding, X12, claims, remittances.",
    no_args_is_help=True,
    # A crash traceback must never print local variables: they can hold patient data.
    pretty_exceptions_show_locals=False,
)
app.add_typer(codes_app, name="codes")
app.add_typer(coding_app)
app.add_typer(eval_app, name="eval")
app.add_typer(claims_app, name="claims")
app.add_typer(db_cli.app, name="db")
app.add_typer(practices_cli.app, name="practices")
app.add_typer(users_cli.app, name="users")
app.add_typer(demo_cli.app, name="demo")
app.add_typer(audit_cli.app, name="audit")
app.add_typer(keys_cli.app, name="keys")
app.add_typer(x12_app, name="x12")
app.add_typer(payer_loop_app)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="TCP port."),
) -> None:
    """Serve the API (migrating and loading the demo practice first when the database is
    empty)."""
    import uvicorn

    from openrcm.api.app import create_app
    from openrcm.cli._common import runtime
    from openrcm.services import demo
    from openrcm.store import migrate

    rt = runtime()
    migrate.upgrade(rt.db.engine)
    summary = demo.load(rt.db, rt.cipher)
    typer.echo(("loaded" if summary.created else "using") + " demo practices; demo users: "
               + ", ".join(f"{e} / {p}" for e, p in summary.users.items()))
    application = create_app()
    application.state.runtime = rt
    uvicorn.run(application, host=host, port=port)


if __name__ == "__main__":
    app()
