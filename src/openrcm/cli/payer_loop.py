"""The payer loop commands: ``submit``, ``responses fetch``, ``era post``, ``eligibility
check``, ``status check`` and ``payer-sim``.

Thin: pick the adapter (``--adapter`` simulator, directory or sftp, by default
``$OPENRCM_CLEARINGHOUSE``; folder ``--root``, by default the practice's own
``$OPENRCM_HOME/clearinghouse/PRACTICE-ID``; other options from ``$OPENRCM_HOME/adapters.yaml``
and ``--option key=value``: :mod:`openrcm.services.clearinghouse`, which the API uses too),
call the services, render text or JSON.
The commands act for one practice (``--practice``, or the only one in the database) as the
system user.
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import typer
from pydantic import ValidationError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from sqlalchemy import select

from openrcm.cli._common import JSON_OPTION, emit, fail, runtime
from openrcm.config import Settings
from openrcm.money import MoneyError, money
from openrcm.payers.adapter import Adapter, AdapterError
from openrcm.payers.simulator.adapter import SimulatorAdapter
from openrcm.payers.simulator.config import ConfigError, parse_config
from openrcm.security.roles import Role
from openrcm.services import appeals, inquiries, payer_loop, remittances
from openrcm.services.bootstrap import Runtime
from openrcm.services.clearinghouse import adapter_options, connect
from openrcm.services.context import SYSTEM_ACTOR, Actor, Ctx
from openrcm.services.errors import ServiceError
from openrcm.store.models import Practice

payer_loop_app = typer.Typer(no_args_is_help=True)
responses_app = typer.Typer(help="Responses from payers and clearinghouses.",
                            no_args_is_help=True)
era_app = typer.Typer(help="835 electronic remittance advice.", no_args_is_help=True)
eligibility_app = typer.Typer(help="270/271 eligibility.", no_args_is_help=True)
status_app = typer.Typer(help="276/277 claim status.", no_args_is_help=True)
sim_app = typer.Typer(help="The payer simulator (a clearinghouse plus payers).",
                      no_args_is_help=True)
payer_loop_app.add_typer(responses_app, name="responses")
payer_loop_app.add_typer(era_app, name="era")
payer_loop_app.add_typer(eligibility_app, name="eligibility")
payer_loop_app.add_typer(status_app, name="status")
payer_loop_app.add_typer(sim_app, name="payer-sim")
appeal_app = typer.Typer(help="Appeals of denied claims.", no_args_is_help=True)
payer_loop_app.add_typer(appeal_app, name="appeal")

PRACTICE = typer.Option(None, "--practice", help="Practice id (default: the only one).")
ADAPTER = typer.Option(None, "--adapter", help="simulator, directory, sftp, or an installed "
                       "adapter (default $OPENRCM_CLEARINGHOUSE, else simulator).")
ROOT = typer.Option(None, "--root", help="Adapter folder (default "
                    "$OPENRCM_HOME/clearinghouse/PRACTICE-ID, the practice's own).")
OPTION = typer.Option(None, "--option", help="Adapter option key=value (repeatable; over "
                      "$OPENRCM_HOME/adapters.yaml). Never a secret: name its variable.")


def _ctx(rt: Runtime, practice_id: str | None) -> Ctx:
    if practice_id is None:
        with rt.db.system() as uow:
            ids = list(uow.session.scalars(select(Practice.id).limit(2)))
        if len(ids) != 1:
            typer.echo("error: pass --practice (the database has "
                       f"{'no' if not ids else 'several'} practices)", err=True)
            raise typer.Exit(2)
        practice_id = ids[0]
    return Ctx(db=rt.db, cipher=rt.cipher,
               actor=Actor(user_id=SYSTEM_ACTOR, practice_id=practice_id,
                           roles=frozenset({Role.ADMIN})))


def _adapter(ctx: Ctx, name: str | None, root: Path | None, pairs: list[str] | None) -> Adapter:
    """The practice's adapter (see :mod:`openrcm.services.clearinghouse`)."""
    try:
        return connect(Settings.from_env(), ctx.actor.practice_id, name, root=root,
                       pairs=pairs or ())
    except ServiceError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from exc


def _dump(model: Any) -> dict[str, Any]:
    return dict(json.loads(model.model_dump_json()))


@payer_loop_app.command("submit")
def submit_cmd(claim: list[str] = typer.Option(None, "--claim", help="Only these claims."),
               practice: str | None = PRACTICE, adapter: str | None = ADAPTER,
               root: Path | None = ROOT, option: list[str] | None = OPTION,
               as_json: bool = JSON_OPTION) -> None:
    """Send the ready claims in one 837 batch (837P, or 837I for facility claims; never a
    claim twice); resend unconfirmed batches first."""
    ctx = _ctx(runtime(), practice)
    connection = _adapter(ctx, adapter, root, option)
    try:
        resent = payer_loop.resend_pending(ctx, connection)
        batch = payer_loop.submit(ctx, connection, claim_ids=claim or None)
    except ServiceError as exc:
        raise fail(exc, as_json) from exc
    data = {"resent": resent, "batch": _dump(batch) if batch else None}
    if batch is None:
        human = "no ready claims to send"
    elif batch.sent:
        human = f"sent batch {batch.control} ({len(batch.claims)} claims) as {batch.name}"
    else:
        human = (f"batch {batch.control} ({len(batch.claims)} claims) is recorded but the "
                 f"clearinghouse did not take it ({batch.problem}); run `openrcm submit` "
                 "again to resend it")
    lines = [f"resent {name}" for name in resent] + [human]
    emit(data, as_json, "\n".join(lines))
    if batch is not None and not batch.sent:
        raise typer.Exit(1)


@responses_app.command("fetch")
def fetch_cmd(practice: str | None = PRACTICE, adapter: str | None = ADAPTER,
              root: Path | None = ROOT, option: list[str] | None = OPTION,
              as_json: bool = JSON_OPTION) -> None:
    """Fetch 999/277CA/835 files and apply them to claims and the ledger."""
    ctx = _ctx(runtime(), practice)
    try:
        out = payer_loop.fetch_responses(ctx, _adapter(ctx, adapter, root, option))
    except ServiceError as exc:
        raise fail(exc, as_json) from exc
    except AdapterError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    lines = [f"{len(out.files)} file(s)"]
    for ack in out.acks:
        lines.append(f"{ack.kind}: {len(ack.accepted)} accepted, {len(ack.rejected)} rejected")
        lines += [f"  rejected {cid}: {'; '.join(r)}" for cid, r in ack.rejected.items()]
    for era in out.remittances:
        lines += [f"835 {r.trace_number}: {r.amount} for {r.posted}/{r.claims} claims"
                  + (" (already posted)" if era.duplicate or r.duplicate else "")
                  for r in era.remittances]
    emit(_dump(out), as_json, "\n".join(lines))


@appeal_app.command("letter")
def appeal_letter_cmd(work_item: str = typer.Option(..., "--work-item",
                                                    help="Id of a denial work item."),
                      output: Path = typer.Option(..., "-o", "--output",
                                                  help="Where to write the PDF."),
                      practice: str | None = PRACTICE, as_json: bool = JSON_OPTION) -> None:
    """Write the appeal letter of a denial work item as a PDF (claim facts filled in)."""
    ctx = _ctx(runtime(), practice)
    try:
        pdf = appeals.appeal_letter_pdf(ctx, work_item)
    except ServiceError as exc:
        raise fail(exc, as_json) from exc
    try:
        output.write_bytes(pdf)
    except OSError as exc:
        typer.echo(f"error: cannot write {output}: {exc.strerror or 'write failed'}", err=True)
        raise typer.Exit(1) from exc
    emit({"work_item": work_item, "file": str(output), "bytes": len(pdf)}, as_json,
         f"appeal letter written to {output} ({len(pdf)} bytes)")


@era_app.command("post")
def post_cmd(files: list[Path] = typer.Argument(..., help="835 files."),
             practice: str | None = PRACTICE, as_json: bool = JSON_OPTION) -> None:
    """Post 835 files: each file once, all or nothing (a refused file changes nothing)."""
    ctx = _ctx(runtime(), practice)
    results: list[dict[str, Any]] = []
    failed = 0
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("{task.fields[claims]} claims"))
    with Progress(*columns, disable=as_json, transient=False) as bar:
        task = bar.add_task("posting", total=len(files), claims=0)
        posted_claims = 0
        for path in files:
            try:
                content = path.read_bytes()
            except OSError as exc:
                results.append({"file": str(path), "error": "unreadable",
                                "message": exc.strerror or "cannot read"})
                failed += 1
                bar.advance(task)
                continue
            base = posted_claims

            def progress(done: int, base: int = base) -> None:
                bar.update(task, claims=base + done)

            try:
                out = payer_loop.post_era(ctx, content, progress=progress)
                posted_claims = base + sum(r.claims for r in out.remittances)
                results.append({"file": str(path), **_dump(out)})
            except ServiceError as exc:
                failed += 1
                results.append({"file": str(path), "error": exc.code, "message": exc.message})
            bar.update(task, advance=1, claims=posted_claims)
    if as_json:
        typer.echo(json.dumps(results, indent=2, sort_keys=True))
    else:
        for r in results:
            if "error" in r:
                typer.echo(f"{r['file']}: REFUSED {r['message']}")
            else:
                typer.echo(f"{r['file']}: {'already posted' if r['duplicate'] else 'posted'}; "
                           + "; ".join(f"{x['trace_number']} {x['amount']} "
                                       f"{x['posted']}/{x['claims']} claims, "
                                       f"{len(x['exceptions'])} exceptions, "
                                       f"{x['denials']} denials" for x in r["remittances"]))
    if failed:
        raise typer.Exit(1)


@era_app.command("kpis")
def kpis_cmd(practice: str | None = PRACTICE, as_json: bool = JSON_OPTION) -> None:
    """Auto-post rate, denied lines by category and days from submission to payment."""
    ctx = _ctx(runtime(), practice)
    try:
        out = payer_loop.kpis(ctx)
    except ServiceError as exc:
        raise fail(exc, as_json) from exc
    denied = ", ".join(f"{c} {n}" for c, n in out.lines_denied.items() if n) or "none"
    days = (f"mean {out.days_to_payment_mean}, median {out.days_to_payment_median}"
            if out.days_to_payment_mean is not None else "no paid claim yet")
    emit(_dump(out), as_json, "\n".join([
        f"claim payments received: {out.claims}, posted without a person: {out.auto_posted} "
        f"({out.auto_post_rate * 100:.1f}%)",
        f"denied lines by category: {denied}",
        f"days from submission to payment: {days}"]))


@era_app.command("show")
def show_cmd(remittance: str = typer.Argument(..., help="Remittance id."),
             offset: int = typer.Option(0, "--offset", help="First claim payment to show."),
             limit: int = typer.Option(100, "--limit", help="Claim payments to show."),
             practice: str | None = PRACTICE, as_json: bool = JSON_OPTION) -> None:
    """A posted remittance: each claim payment with the claim and lines it paid."""
    ctx = _ctx(runtime(), practice)
    try:
        out = remittances.remittance_detail(ctx, remittance, offset=offset, limit=limit)
    except ServiceError as exc:
        raise fail(exc, as_json) from exc
    lines = [f"835 {out.trace_number} paid {out.paid_on}: {out.total_amount} "
             f"({out.claims_total} claim payments; {len(out.claims)} from {out.offset + 1})"
             if out.claims else f"835 {out.trace_number} paid {out.paid_on}: "
             f"{out.total_amount} ({out.claims_total} claim payments)"]
    for c in out.claims:
        target = f"claim {c.claim_id}" if c.claim_id else c.exception or "not matched"
        lines.append(f"{c.position:>6} CLP {c.patient_control} status {c.status}: charge "
                     f"{c.charge} paid {c.paid} -> {c.outcome}, {target}")
        lines += [f"{'':>8}SVC {ln.position} {ln.procedure}: charge {ln.charge} paid {ln.paid}"
                  f" -> line {ln.claim_line_id or 'not matched'}" for ln in c.lines]
    emit(out.model_dump(mode="json"), as_json, "\n".join(lines))


def _applied_note(applied: list[str]) -> str:
    return f"\n(also applied {len(applied)} acknowledgment/remittance file(s) that came back: " \
        f"{', '.join(applied)})" if applied else ""


@eligibility_app.command("check")
def eligibility_cmd(patient: str | None = typer.Option(
                        None, "--patient", help="A registered patient's id (their primary "
                        "coverage, or --coverage)."),
                    coverage: str | None = typer.Option(None, "--coverage", help="Coverage id."),
                    payer: str = typer.Option("", help="Payer code (electronic id), for a "
                                              "subscriber not registered yet."),
                    member: str = typer.Option("", help="Member id."),
                    last: str | None = typer.Option(None, help="Subscriber last name."),
                    first: str | None = typer.Option(None, help="Subscriber first name."),
                    service_type: str = typer.Option("30", help="EQ01 service type code."),
                    allowed: str | None = typer.Option(
                        None, "--allowed", help="Allowed amount of the planned service: "
                        "also print the patient's estimated share, e.g. 150.00."),
                    practice: str | None = PRACTICE, adapter: str | None = ADAPTER,
                    root: Path | None = ROOT, option: list[str] | None = OPTION,
                    as_json: bool = JSON_OPTION) -> None:
    """Ask a payer for a member's benefits (270) and print the 271 summary (and, with
    --allowed, the patient responsibility estimate)."""
    try:
        planned = money(allowed) if allowed is not None else None
    except MoneyError:
        typer.echo(f"error: --allowed {allowed!r} is not an amount (e.g. 150.00)", err=True)
        raise typer.Exit(2) from None
    try:
        request = inquiries.EligibilityIn(
            patient_id=patient, coverage_id=coverage, payer_code=payer, member_id=member,
            last_name=last, first_name=first, service_type=service_type, allowed=planned)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(x) for x in problem["loc"]) or "options"
        typer.echo(f"error: {where}: {str(problem['msg']).removeprefix('Value error, ')}",
                   err=True)
        raise typer.Exit(2) from None
    ctx = _ctx(runtime(), practice)
    try:
        out = inquiries.check_eligibility(ctx, _adapter(ctx, adapter, root, option), request)
    except ServiceError as exc:
        raise fail(exc, as_json) from exc
    if not out.answered:
        human = f"270 sent ({out.trace}); no 271 yet: run this again later or check the inbox"
    else:
        human = "\n".join(out.summary)
    emit(out.model_dump(mode="json"), as_json, human + _applied_note(out.applied))


@status_app.command("check")
def status_cmd(claim_id: str = typer.Argument(..., help="Claim id."),
               practice: str | None = PRACTICE, adapter: str | None = ADAPTER,
               root: Path | None = ROOT, option: list[str] | None = OPTION,
               as_json: bool = JSON_OPTION) -> None:
    """Ask the payer for a claim's status (276) and print the 277 answer."""
    ctx = _ctx(runtime(), practice)
    try:
        out = inquiries.check_status(ctx, _adapter(ctx, adapter, root, option), claim_id)
    except ServiceError as exc:
        raise fail(exc, as_json) from exc
    human = f"{out.status}: {out.meaning}" if out.answered else \
        f"276 sent ({out.trace}); no 277 yet"
    emit(out.model_dump(mode="json"), as_json, human + _applied_note(out.applied))


def _simulator(root: Path | None, practice: str | None, config: Path | None,
               day: str | None) -> SimulatorAdapter:
    """The simulator on ``root``, by default the folder the practice's commands use."""
    if root is None:
        practice_id = _ctx(runtime(), practice).actor.practice_id
        root = Path(adapter_options(Settings.from_env(), "simulator", practice_id)["root"])
    try:
        parsed = parse_config(config.read_text()) if config else None
    except (OSError, ConfigError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    today = date.fromisoformat(day) if day else None
    return SimulatorAdapter(root, parsed, (lambda: today) if today else date.today)


CONFIG = typer.Option(None, "--config", help="Simulator YAML (default: the shipped one).")
TODAY = typer.Option(None, "--today", help="Simulated date (YYYY-MM-DD).")
SIM_ROOT = typer.Argument(None, help="Folder shared with the practice (default: the one the "
                          "practice's commands use, $OPENRCM_HOME/clearinghouse/PRACTICE-ID).")


@sim_app.command("run")
def sim_run(root: Path | None = SIM_ROOT, practice: str | None = PRACTICE,
            config: Path | None = CONFIG, today: str | None = TODAY,
            pay: bool = typer.Option(False, "--pay", help="Run a payment cycle after."),
            watch: float = typer.Option(0, "--watch", help="Keep answering every N seconds."),
            as_json: bool = JSON_OPTION) -> None:
    """Answer every file in ROOT/outbox (999 + 277CA, 271, 277); with --pay send 835s."""
    sim = _simulator(root, practice, config, today)
    while True:
        answered = sim.process()
        paid = sim.pay() if pay else 0
        emit({"answered": answered, "remittances": paid}, as_json,
             f"answered {answered} file(s); sent {paid} 835(s)")
        if watch <= 0:
            return
        time.sleep(watch)


@sim_app.command("pay")
def sim_pay(root: Path | None = SIM_ROOT, practice: str | None = PRACTICE,
            config: Path | None = CONFIG, today: str | None = TODAY,
            as_json: bool = JSON_OPTION) -> None:
    """Run one payment cycle: adjudicate accepted claims and send 835s."""
    paid = _simulator(root, practice, config, today).pay()
    emit({"remittances": paid}, as_json, f"sent {paid} 835(s)")
