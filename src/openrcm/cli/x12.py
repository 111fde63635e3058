"""``openrcm x12``: parse, validate, acknowledge and convert X12 files."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer

from openrcm.findings import has_errors
from openrcm.x12 import operations
from openrcm.x12.builders.envelope import BuildError

x12_app = typer.Typer(help="X12 5010: parse, validate, 999/TA1, JSON.", no_args_is_help=True)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise typer.BadParameter(f"cannot read {path}: {exc.strerror}") from exc


def _print_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, ensure_ascii=False))


@x12_app.command("parse")
def parse_cmd(file: Path, as_json: bool = typer.Option(False, "--json",
                                                        help="Print JSON with typed views.")
              ) -> None:
    """Show what FILE holds: interchanges, groups, transaction sets."""
    document, _ = operations.validate_bytes(_read(file))
    info = operations.summary(document)
    if as_json:
        _print_json(info)
        return
    typer.echo(f"{file}: {info['interchanges']} interchange(s), {info['groups']} group(s), "
               f"{len(info['transactions'])} transaction set(s), {info['errors']} error(s)")
    for tx in info["transactions"]:
        typer.echo(f"  {tx['set']} {tx['control']} {tx['guide']}: {tx['segments']} segments")


@x12_app.command("validate")
def validate_cmd(file: Path, as_json: bool = typer.Option(False, "--json",
                                                           help="Print findings as JSON.")
                 ) -> None:
    """Validate FILE like a clearinghouse front end; exit 1 when it has errors."""
    _, findings = operations.validate_bytes(_read(file))
    if as_json:
        _print_json({"file": str(file), "valid": not has_errors(findings),
                     "findings": [operations.finding_json(f) for f in findings]})
    else:
        for finding in findings:
            typer.echo(operations.finding_line(str(file), finding))
        if not findings:
            typer.echo(f"{file}: valid")
    if has_errors(findings):
        raise typer.Exit(1)


@x12_app.command("ack")
def ack_cmd(
    file: Path,
    out: Path | None = typer.Option(None, "-o", "--out", help="Write the 999 here."),
    control: int = typer.Option(1, help="Interchange/group control number of the reply."),
    as_json: bool = typer.Option(False, "--json", help="Print both acknowledgments as JSON."),
) -> None:
    """Write the 999 for FILE (and a TA1 when its interchange envelope is bad)."""
    now = datetime.now(UTC)
    result = operations.acknowledgments(_read(file), control, now.date(), now.strftime("%H%M"))
    if result.ack_999 is None and result.ta1 is None:
        typer.echo(f"{file}: not an X12 interchange; nothing to acknowledge", err=True)
        raise typer.Exit(1)
    if as_json:
        _print_json({"ack_999": result.ack_999, "ta1": result.ta1})
        return
    if out is not None:
        if result.ack_999 is not None:
            out.write_text(result.ack_999, encoding="latin-1")
        if result.ta1 is not None:
            out.with_suffix(out.suffix + ".ta1").write_text(result.ta1, encoding="latin-1")
        return
    for text in (result.ta1, result.ack_999):
        if text is not None:
            typer.echo(text, nl=False)


@x12_app.command("to-json")
def to_json_cmd(file: Path, typed: bool = typer.Option(
        False, "--typed", help="Typed 835/837 views instead of the generic loop tree.")) -> None:
    """Print FILE as JSON (docs.md in openrcm.x12 describes both shapes)."""
    raw = _read(file)
    try:
        _print_json(operations.to_typed_json(raw) if typed else operations.to_tree_json(raw))
    except ValueError as exc:
        typer.echo(f"{file}: {exc}", err=True)
        raise typer.Exit(1) from exc


@x12_app.command("from-json")
def from_json_cmd(file: Path, out: Path | None = typer.Option(
        None, "-o", "--out", help="Write the X12 here instead of stdout.")) -> None:
    """Write X12 from a JSON file made by to-json (either shape)."""
    try:
        data = json.loads(_read(file))
        text = operations.from_any_json(data)
    except (ValueError, BuildError) as exc:
        typer.echo(f"{file}: {exc}", err=True)
        raise typer.Exit(1) from exc
    if out is not None:
        out.write_bytes(text.encode("latin-1"))
    else:
        typer.echo(text, nl=False)
