"""The ``openrcm`` command: each area registers its own Typer sub-app here."""

from __future__ import annotations

import typer

from openrcm.cli.codes import codes_app

app = typer.Typer(
    name="openrcm",
    help="Open-source revenue cycle: code sets, coding, X12, claims, remittances.",
    no_args_is_help=True,
)
app.add_typer(codes_app, name="codes")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to listen on."),
    port: int = typer.Option(8000, help="TCP port."),
) -> None:
    """Serve the web application and API."""
    import uvicorn

    from openrcm.api.app import create_app

    uvicorn.run(create_app(), host=host, port=port)


if __name__ == "__main__":
    app()
