"""``openrcm code``, ``openrcm code-batch`` and ``openrcm eval codiesp``: thin shells over
:mod:`openrcm.services.coding` and :mod:`openrcm.coding.eval`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from openrcm.config import Settings
from openrcm.services import coding as service
from openrcm.services.codesets import parse_date

coding_app = typer.Typer(help="Computer-assisted coding of clinical notes.")
eval_app = typer.Typer(help="Evaluate openrcm components on public corpora.", no_args_is_help=True)

SETTING = typer.Option("outpatient", "--setting", help="outpatient or inpatient.")
DATE = typer.Option(None, "--date", help="Date of service, YYYY-MM-DD (picks the release).")
RANKER = typer.Option(
    "rules",
    "--ranker",
    help="rules (default) or codiesp: order learned from CodiEsp Spanish case reports, "
    "with the codes only it proposes listed apart (not fitted on a practice's notes).",
)


def _read_note(path: Path) -> str:
    try:
        return path.read_text("utf-8")
    except FileNotFoundError:
        raise typer.BadParameter(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise typer.BadParameter(f"{path}: not UTF-8 text") from None


def _print_human(console: Console, data: dict[str, Any]) -> None:
    table = Table(title="Suggested ICD-10-CM codes")
    for column in ("#", "code", "title", "conf.", "evidence", "why"):
        table.add_column(column)
    for s in data["suggestions"]:
        evidence = "; ".join(f"{e['text']} [{e['start']}-{e['end']}]" for e in s["evidence"])
        why = ", ".join(s["rules"]) or s["derivation"]
        table.add_row(
            str(s["rank"]), s["code"], s["title"], f"{s['confidence']:.2f}", evidence, why
        )
    console.print(table)
    for s in data["suggestions"]:
        for w in s["warnings"]:
            console.print(f"[yellow]{s['code']}[/]: {w}")
        for q in s["queries"]:
            console.print(f"[cyan]query[/] {s['code']}: {q}")
    if data["set_aside"]:
        console.print("[bold]Set aside[/]")
        for s in data["set_aside"]:
            console.print(f"  {s['code']} {s['title']}: {s['warnings'][-1]}")
    if data.get("also_consider"):
        console.print("[bold]Also consider[/] (learned from CodiEsp; no lexicon evidence)")
        for c in data["also_consider"]:
            why = "; ".join(_source_text(x) for x in c["sources"])
            console.print(f"  {c['code']} {c['title']} ({c['score']:.2f}): {why}")
    em = data.get("em")
    if em:
        console.print(f"[bold]E/M[/] {em['code']} by {em['basis']}")
        for line in em["rationale"]:
            console.print(f"  {line}")


def _source_text(source: dict[str, Any]) -> str:
    if source["kind"] in ("phrase_vote", "annotated_phrase", "word_cue"):
        words = ", ".join(f"{e['text']} [{e['start']}-{e['end']}]" for e in source["evidence"])
        if source["kind"] == "phrase_vote":
            return f"phrase {words} (precision {source['precision']:.2f})"
        if source["kind"] == "annotated_phrase":
            return (
                f"phrase {words} (annotators' evidence for the code in "
                f"{source['precision']:.0%} of coded notes holding it)"
            )
        return f"word {words} (reported in {source['precision']:.0%} of coded notes holding it)"
    if source["kind"] == "neighbours":
        return f"{source['notes']} similar coded notes (nearest {source['similarity']:.2f})"
    return f"same category as {source['sibling_of']}"


@coding_app.command("code")
def code(
    note: Path = typer.Argument(..., help="Plain-text note."),
    setting: str = SETTING,
    date: str | None = DATE,
    age: int | None = typer.Option(None, "--age", help="Patient age in years."),
    sex: str | None = typer.Option(None, "--sex", help="F or M."),
    patient: str = typer.Option("established", "--patient", help="new or established (E/M)."),
    practice: str | None = typer.Option(None, "--practice", help="Apply a practice's learning."),
    ranker: str = RANKER,
    as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
) -> None:
    """Suggest ICD-10-CM codes (with evidence, rules, queries) and the E/M level for a note."""
    text = _read_note(note)
    try:
        on = parse_date(date, "--date")
        data = service.code_note(
            Settings.from_env(),
            text,
            setting=setting,
            on=on,
            age=age,
            sex=sex,
            patient=patient,
            practice=practice,
            ranker=ranker,
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    if as_json:
        typer.echo(json.dumps(data, indent=2, default=str))
    else:
        _print_human(Console(), data)


@coding_app.command("code-batch")
def code_batch(
    folder: Path = typer.Argument(..., help="Folder of *.txt notes."),
    setting: str = SETTING,
    date: str | None = DATE,
    json_out: Path | None = typer.Option(None, "--json-out", help="Write all results here."),
    ranker: str = RANKER,
) -> None:
    """Code every ``*.txt`` note of a folder, with a progress bar."""
    if ranker not in service.RANKERS:
        raise typer.BadParameter(f"--ranker must be one of {', '.join(service.RANKERS)}")
    if not folder.is_dir():
        raise typer.BadParameter(f"{folder}: not a folder")
    notes = sorted(folder.glob("*.txt"))
    if not notes:
        raise typer.BadParameter(f"{folder}: no .txt notes")
    settings = Settings.from_env()
    on = parse_date(date, "--date")
    results: dict[str, Any] = {}
    with Progress() as progress:
        task = progress.add_task("coding", total=len(notes))
        for path in notes:
            try:
                results[path.name] = service.code_note(
                    settings, _read_note(path), setting=setting, on=on, ranker=ranker
                )
            except ValueError as exc:
                results[path.name] = {"error": str(exc)}
            progress.advance(task)
    codes = sum(len(r.get("suggestions", ())) for r in results.values())
    if json_out is not None:
        json_out.write_text(json.dumps(results, indent=2, default=str), "utf-8")
    typer.echo(
        f"{len(notes)} notes, {codes} codes suggested" + (f" -> {json_out}" if json_out else "")
    )


@eval_app.command("codiesp")
def eval_codiesp(
    split: str = typer.Option("dev", "--split", help="dev or train."),
    as_json: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
) -> None:
    """MAP and micro P/R/F1 on CodiEsp (English), rules/index alone and with learned phrases."""
    from openrcm.coding.codesets_adapter import codes_under
    from openrcm.coding.eval.codiesp import SPLITS, load_split
    from openrcm.coding.eval.run import run
    from openrcm.services.codesets import icd10cm

    if split not in SPLITS:
        raise typer.BadParameter(f"--split must be one of {SPLITS}")
    settings = Settings.from_env()
    engine = service.engine(settings)
    cm = icd10cm(settings)
    total = len(load_split(split))
    with Progress(transient=True) as progress:
        task = progress.add_task(f"CodiEsp {split}", total=2 * total)
        reports = run(split, engine, lambda c: codes_under(cm, c), lambda i: progress.advance(task))
    data: list[dict[str, Any]] = [r.as_dict() for r in reports]
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    for r in data:
        full, cat, gold = r["micro_full_code"], r["micro_category"], r["gold_codes"]
        typer.echo(
            f"{r['pipeline']:>20} {r['split']} ({r['documents']} docs): MAP {r['map']:.4f} | "
            f"full P {full['precision']:.3f} R {full['recall']:.3f} F1 {full['f1']:.3f} | "
            f"3-char P {cat['precision']:.3f} R {cat['recall']:.3f} F1 {cat['f1']:.3f}"
        )
    gold = data[0]["gold_codes"]
    typer.echo(
        f"gold codes: {gold['exact']} exact, {gold['mapped_to_parent']} mapped to a parent, "
        f"{gold['mapped_to_child']} to a child, {gold['unmappable_skipped']} unmappable (skipped)"
    )
