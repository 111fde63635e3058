"""``openrcm codes``: search, show, validate and import code sets.

Thin: parse options, call openrcm.services.codesets / the code set, render text or JSON.
Bad input exits with status 2 and one line saying what and where; ``validate`` exits 1 when
any code is invalid.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import typer

from openrcm.codesets.icd10cm import CodeInfo, CodeSetError, SearchHit, Validation
from openrcm.config import Settings
from openrcm.services import codesets as service

codes_app = typer.Typer(help="Code sets: ICD-10-CM search, lookup, validation and imports.",
                        no_args_is_help=True)

DATE_HELP = "Date of service (YYYY-MM-DD); picks the release. Default: the newest release."


def _fail(message: str, hint: str = "") -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    if hint:
        typer.echo(f"hint: {hint}", err=True)
    raise typer.Exit(2)


def _date(text: str | None) -> date | None:
    try:
        return service.parse_date(text, "--date")
    except ValueError as exc:
        _fail(str(exc))


def _plain(value: Any) -> Any:
    """Dataclasses and dates as JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _emit_json(value: Any) -> None:
    typer.echo(json.dumps(_plain(value), indent=2, ensure_ascii=False))


def _settings() -> Settings:
    return Settings.from_env()


@codes_app.command()
def search(
    text: str = typer.Argument(..., help="Diagnosis in free text, e.g. 'type 2 diabetes'."),
    on: str | None = typer.Option(None, "--date", help=DATE_HELP),
    limit: int = typer.Option(10, "--limit", min=1, max=200, help="Number of codes."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Search ICD-10-CM codes by description (encoder search)."""
    dos = _date(on)
    try:
        cm = service.icd10cm(_settings())
        hits = cm.search(text, on=dos, limit=limit)
        release = cm.release_for(dos).name
    except CodeSetError as exc:
        _fail(exc.message, exc.hint)
    if as_json:
        _emit_json({"release": release, "query": text, "hits": hits})
        return
    if not hits:
        typer.echo(f"no codes found in {release}")
        return
    for h in hits:
        _print_hit(h)


def _print_hit(h: SearchHit) -> None:
    flag = "billable" if h.billable else "NOT billable"
    typer.echo(f"{h.code:<9} {h.title}  [{flag}, score {h.score}]")
    typer.echo(f"          matched {h.matched}")
    for n in h.notes:
        typer.echo(f"          check {n.kind} ({n.level} {n.source}): {n.text}")
    if h.children:
        more = ", ".join(c.code for c in h.children[:8])
        typer.echo(f"          more specific: {more}{' ...' if len(h.children) > 8 else ''}")


@codes_app.command()
def show(
    code: str = typer.Argument(..., help="ICD-10-CM code, e.g. E11.22 or S52501A."),
    on: str | None = typer.Option(None, "--date", help=DATE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Show one code: hierarchy, inherited notes, 7th characters, validity dates."""
    dos = _date(on)
    try:
        info = service.icd10cm(_settings()).lookup(code, on=dos)
    except CodeSetError as exc:
        _fail(exc.message, exc.hint)
    if as_json:
        _emit_json(info)
        return
    _print_info(info)


def _print_info(info: CodeInfo) -> None:
    flag = "billable" if info.billable else "NOT billable"
    typer.echo(f"{info.code}  {info.title}")
    typer.echo(f"  {flag}, {info.level}, release {info.release}, valid "
               f"{info.valid_from.isoformat()}..{info.valid_to.isoformat()}")
    typer.echo(f"  chapter {info.chapter}: {info.chapter_title}")
    typer.echo(f"  block {info.block}: {info.block_title}")
    for p in info.parents:
        typer.echo(f"  parent {p.code}: {p.title}")
    if info.children:
        typer.echo("  children:")
        for c in info.children:
            typer.echo(f"    {c.code:<9} {c.title}{'' if c.billable else '  (not billable)'}")
    if info.seventh:
        where = f" (defined at {info.seventh_source}"
        where += "; X fills empty positions)" if info.placeholder else ")"
        typer.echo("  7th character" + where + ":")
        for s in info.seventh:
            typer.echo(f"    {s.char}  {s.meaning}")
    if info.notes:
        typer.echo("  notes that apply:")
        for n in info.notes:
            typer.echo(f"    [{n.level} {n.source}] {n.kind}: {n.text}")


@codes_app.command()
def validate(
    codes: list[str] = typer.Argument(..., help="One or more ICD-10-CM codes."),
    on: str | None = typer.Option(None, "--date", help=DATE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Validate codes for a date of service; exit status 1 when any code is invalid."""
    dos = _date(on)
    try:
        cm = service.icd10cm(_settings())
        results: list[Validation] = [cm.validate(c, on=dos) for c in codes]
    except CodeSetError as exc:
        _fail(exc.message, exc.hint)
    if as_json:
        _emit_json({"results": [{**_plain(v), "ok": v.ok} for v in results]})
    else:
        for v in results:
            typer.echo(f"{v.code:<10} {v.status:<13} {v.reason_code:<24} {v.reason}")
    if any(v.status == "invalid" for v in results):
        raise typer.Exit(1)


@codes_app.command("index")
def index_term(
    term: str = typer.Argument(..., help="Main term, e.g. 'Diabetes' or 'Fracture, traumatic'."),
    part: str = typer.Option("index", help="index, eindex (external causes), drug, neoplasm."),
    depth: int = typer.Option(2, min=0, max=9, help="Levels of subterms to print."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Browse the Alphabetic Index (or a table) from a main term."""
    try:
        cm = service.icd10cm(_settings())
        found = cm.index_part(part).resolve_path(term)
    except (CodeSetError, ValueError) as exc:
        _fail(str(exc))
    if found is None:
        _fail(f"no main term {term!r} in the {part} part of the index",
              "search by description instead: openrcm codes search TEXT")
    rows = [t for t in found.walk() if len(t.path) - len(found.path) <= depth]
    if as_json:
        _emit_json([{"path": t.path, "nemod": t.nemod, "code": t.code, "see": t.see,
                     "see_also": t.see_also, "manif": t.manif, "cells": dict(t.cells)}
                    for t in rows])
        return
    for t in rows:
        level = len(t.path) - len(found.path)
        indent = "  " * level
        name = " > ".join(t.path) if level == 0 else t.path[-1]
        extra = " ".join(x for x in (
            t.nemod, t.code, f"[{t.manif}]" if t.manif else "",
            f"-see {t.see}" if t.see else "", f"-see also {t.see_also}" if t.see_also else "",
            " ".join(f"{h}={c}" for h, c in t.cells)) if x)
        typer.echo(f"{indent}{name}  {extra}".rstrip())


@codes_app.command("reconcile-index")
def reconcile_index_cmd(
    on: str | None = typer.Option(None, "--date", help=DATE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Reconcile every index and table code with the release in force on the date."""
    from openrcm.codesets.icd10cm.reconcile import reconcile_index

    dos = _date(on)
    try:
        report = reconcile_index(service.icd10cm(_settings()), dos)
    except CodeSetError as exc:
        _fail(exc.message, exc.hint)
    if as_json:
        _emit_json(report)
        return
    typer.echo(f"release {report.release}: " + ", ".join(
        f"{k} {v}" for k, v in sorted(report.counts.items())))
    for r in report.flagged:
        typer.echo(f"  {r.index_code:<9} {r.status:<9} {r.reason}")


@codes_app.command("import")
def import_(
    kind: str = typer.Argument(..., help="Importer kind; see 'openrcm codes importers'."),
    file: Path = typer.Argument(..., help="The official file to load."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Load an official code-set file; a file that fails leaves the loaded release untouched."""
    from openrcm.codesets.importers import ImportFailed, registry

    importers = registry()
    if kind not in importers:
        _fail(f"unknown importer kind {kind!r}", "one of: " + ", ".join(sorted(importers)))
    if not file.is_file():
        _fail(f"{file}: no such file")
    settings = _settings()
    try:
        summary = importers[kind].run(file, settings.home)
    except ImportFailed as exc:
        _fail(f"import failed, nothing changed: {exc}")
    service.forget(settings)
    if as_json:
        _emit_json(summary)
        return
    typer.echo(f"imported {summary.kind} {summary.release}: {summary.records} records")
    for note in summary.notes:
        typer.echo(f"  {note}")


@codes_app.command()
def build(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Compile the ICD-10-CM store now (otherwise the first lookup does it) and list releases."""
    import time

    started = time.perf_counter()
    try:
        cm = service.icd10cm(_settings())
    except CodeSetError as exc:
        _fail(exc.message, exc.hint)
    elapsed = round(time.perf_counter() - started, 2)
    if as_json:
        _emit_json({"seconds": elapsed, "releases": cm.releases})
        return
    typer.echo(f"ICD-10-CM store ready in {elapsed} s:")
    for r in cm.releases:
        typer.echo(f"  {r.name}  {r.window()}  {r.note}")


@codes_app.command()
def importers(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List the importable file formats."""
    from openrcm.codesets.importers import registry

    rows = [{"kind": k, "description": imp.description} for k, imp in sorted(registry().items())]
    if as_json:
        _emit_json(rows)
        return
    for row in rows:
        typer.echo(f"{row['kind']:<24} {row['description']}")
