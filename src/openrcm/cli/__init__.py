"""The ``openrcm`` command line: Typer sub-apps over the service layer."""
