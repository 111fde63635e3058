"""``openrcm claims``: build claims from an encounter, scrub them, export 837 or paper forms.

Thin: read JSON files, call openrcm.claims, render text or JSON. Input files hold one object or
a list (see openrcm.claims.jsonio for the shape). With ``--practice`` and ``--encounter`` (or
``--claim``) the claims come from the database instead, through openrcm.services.claim_output
(the same values the 837 submission writes; PHI reads audited). Bad input exits 2 with one
line saying what and where; ``scrub`` exits 1 when any claim has an error finding.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, NoReturn

import typer

from openrcm.claims.builder import BuildError, SplitPolicy, build_claims
from openrcm.claims.jsonio import ClaimJsonError, claim_from_json, context_from_json, to_json
from openrcm.claims.model import Claim, Responsibility
from openrcm.claims.scrub import RulePackError, load_pack, scrubber
from openrcm.claims.scrub.reference import Reference
from openrcm.config import Settings

claims_app = typer.Typer(
    help="Claims: build, scrub, export (837P/837I, CMS-1500, UB-04).", no_args_is_help=True
)


class Format(StrEnum):
    P837 = "837p"
    I837 = "837i"
    CMS1500 = "cms1500"
    UB04 = "ub04"


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _read(path: Path) -> list[Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        _fail(f"{path}: cannot read ({exc.strerror})")
    except json.JSONDecodeError as exc:
        _fail(f"{path}: not JSON (line {exc.lineno}, column {exc.colno})")
    return data if isinstance(data, list) else [data]


def _claims(path: Path) -> list[Claim]:
    out = []
    for i, raw in enumerate(_read(path)):
        try:
            out.append(claim_from_json(raw))
        except ClaimJsonError as exc:
            _fail(f"{path} claim {i + 1}: {exc}")
    return out


def _stored(practice: str | None, claim: str | None, encounter: str | None) -> list[Claim]:
    """The stored claims of an encounter (or one claim) of the practice, as the system user."""
    from openrcm.cli._common import runtime
    from openrcm.cli.payer_loop import _ctx
    from openrcm.services import claim_output
    from openrcm.services.errors import ServiceError

    try:
        return claim_output.claims_of(_ctx(runtime(), practice), claim_id=claim,
                                      encounter_id=encounter)
    except ServiceError as exc:
        _fail(f"{exc.code}: {exc.message}")


def _claims_from(path: Path | None, practice: str | None, claim: str | None,
                 encounter: str | None) -> list[Claim]:
    """Claims from the JSON file, or from the store when --claim or --encounter is given."""
    if claim is not None or encounter is not None:
        if path is not None:
            _fail("give a claims file or --claim/--encounter, not both")
        return _stored(practice, claim, encounter)
    if path is None:
        _fail("give a claims file, or --practice with --claim or --encounter")
    return _claims(path)


PRACTICE = typer.Option(None, "--practice", help="Practice id (default: the only one).")
ENCOUNTER = typer.Option(None, "--encounter", help="Use this stored encounter's claims.")
CLAIM = typer.Option(None, "--claim", help="Use this stored claim.")


def _date(text: str | None, option: str) -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(f"{option}: {text!r} is not a date YYYY-MM-DD")


@claims_app.command()
def build(
    context: Path | None = typer.Argument(
        None, help="JSON file: a claim context (encounter) or a list."
    ),
    practice: str | None = PRACTICE,
    encounter: str | None = ENCOUNTER,
    bill_to: Responsibility = typer.Option(Responsibility.PRIMARY, help="P, S or T."),
    max_lines: int | None = typer.Option(None, help="Lines per claim (6 for paper)."),
    by_date: bool = typer.Option(False, help="One claim per date of service."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Write the claims JSON here."),
    as_json: bool = typer.Option(False, "--json", help="Print the claims as JSON."),
) -> None:
    """Build claims from encounter data (ClaimContext JSON), or read a stored encounter's claims
    (--practice, --encounter) as the 837 would carry them."""
    built: list[Claim] = []
    if encounter is not None:
        if context is not None:
            _fail("give a context file or --encounter, not both")
        built = _stored(practice, None, encounter)
    elif context is None:
        _fail("give a context file, or --practice with --encounter")
    else:
        for i, raw in enumerate(_read(context)):
            try:
                ctx = context_from_json(raw)
                built.extend(
                    build_claims(ctx, bill_to, SplitPolicy(max_lines, by_service_date=by_date))
                )
            except (ClaimJsonError, BuildError) as exc:
                _fail(f"{context} context {i + 1}: {exc}")
    data = [to_json(c) for c in built]
    if out is not None:
        out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(data, indent=2))
    else:
        for c in built:
            typer.echo(
                f"{c.claim_id}: {len(c.lines)} lines, {len(c.diagnoses)} diagnoses, "
                f"total {c.total_charge} to {c.payer.payer_id}"
            )


@claims_app.command()
def scrub(
    claims_file: Path | None = typer.Argument(
        None, help="JSON file: one claim or a list of claims."
    ),
    practice: str | None = PRACTICE,
    claim: str | None = CLAIM,
    encounter: str | None = ENCOUNTER,
    as_of: str | None = typer.Option(None, help="Submission date (default today)."),
    rules: list[Path] = typer.Option([], "--rules", help="YAML payer rule pack (repeatable)."),
    ncci: bool = typer.Option(True, help="Load the NCCI tables (PTP, MUE, add-on codes)."),
    icd10cm: bool = typer.Option(True, help="Load ICD-10-CM for the diagnosis edits."),
    as_json: bool = typer.Option(False, "--json", help="Print the batch report as JSON."),
) -> None:
    """Scrub claims (a file, or stored ones): TR3 completeness, codes, NCCI, MCE, payer rules."""
    claims = _claims_from(claims_file, practice, claim, encounter)
    day = _date(as_of, "--as-of")
    try:
        packs = [load_pack(p) for p in rules]
    except (RulePackError, OSError) as exc:
        _fail(str(exc))
    reference = _reference(ncci, icd10cm)
    report = scrubber(reference, packs).scrub_batch(claims, day)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    else:
        for r in report.claims:
            typer.echo(f"{r.claim_id}: {'clean' if r.clean else 'BLOCKED'}")
            for f in r.findings:
                typer.echo(f"  {f.severity:7s} {f.code:24s} {f.where()}  {f.message}")
                if f.hint:
                    typer.echo(f"  {'':7s} {'':24s} hint: {f.hint}")
        typer.echo(f"{report.clean_count}/{len(report.claims)} clean")
    if report.clean_count != len(report.claims):
        raise typer.Exit(1)


def _reference(ncci: bool, icd10cm: bool) -> Reference:
    """The code knowledge to scrub with, from the configured home (compiled once there)."""
    if not (ncci or icd10cm):
        return Reference()
    from openrcm.claims.scrub.sources import CodesetDiagnoses, load_reference
    from openrcm.services.codesets import icd10cm as open_icd10cm

    settings = Settings.from_env()
    cm = open_icd10cm(settings) if icd10cm else None
    if ncci:
        return load_reference(settings.home, cm)
    return Reference(diagnoses=CodesetDiagnoses(cm) if cm is not None else None)


@claims_app.command()
def export(
    claims_file: Path | None = typer.Argument(
        None, help="JSON file: one claim or a list of claims."
    ),
    practice: str | None = PRACTICE,
    claim: str | None = CLAIM,
    encounter: str | None = ENCOUNTER,
    fmt: Format = typer.Option(..., "--format", help="837p, 837i, cms1500 or ub04."),
    out: Path | None = typer.Option(None, "--out", "-o", help="File to write (default stdout)."),
    review: bool = typer.Option(False, help="Paper forms: draw the form (review copy)."),
    on: str | None = typer.Option(None, "--date", help="Creation/print date (default today)."),
    sender: str = typer.Option("", help="837: ISA06/GS02 sender and submitter ETIN."),
    receiver: str = typer.Option("", help="837: ISA08/GS03 receiver ETIN."),
    submitter_name: str = typer.Option("", help="837: 1000A name (default: the sender id)."),
    submitter_phone: str = typer.Option("", help="837: 1000A contact phone, 10 digits."),
    receiver_name: str = typer.Option("", help="837: 1000B name (default: the receiver id)."),
    last_control: int = typer.Option(0, help="837: last control number used by this sender."),
    test: bool = typer.Option(False, help="837: mark the interchange as test data (ISA15 T)."),
    as_json: bool = typer.Option(False, "--json", help="Print what was written as JSON."),
) -> None:
    """Write claims (a file, or stored ones) as an 837 file or as CMS-1500 / UB-04 PDF pages."""
    claims = _claims_from(claims_file, practice, claim, encounter)
    day = _date(on, "--date")
    written: dict[str, Any] = {"format": str(fmt), "file": str(out), "claims": len(claims)}
    if fmt in (Format.CMS1500, Format.UB04):
        from openrcm.claims.forms import Flavour, FormError, cms1500_pdf, ub04_pdf

        render = cms1500_pdf if fmt is Format.CMS1500 else ub04_pdf
        if len(claims) != 1:
            _fail("paper forms are exported one claim per file")
        try:
            data = render(claims[0], day, Flavour.REVIEW if review else Flavour.DATA)
        except FormError as exc:
            _fail(str(exc))
    else:
        from openrcm.claims.model import ClaimKind
        from openrcm.claims.x837 import Party, next_control_numbers, write_837
        from openrcm.x12.builders.envelope import BuildError as X12BuildError
        from openrcm.x12.builders.envelope import Envelope

        want = ClaimKind.PROFESSIONAL if fmt is Format.P837 else ClaimKind.INSTITUTIONAL
        wrong = [c.claim_id for c in claims if c.kind is not want]
        if wrong:
            _fail(
                f"claim {wrong[0]} is not {want.value}: use --format "
                f"{'837i' if fmt is Format.P837 else '837p'}"
            )
        if claim is not None or encounter is not None:  # stored claims: submit's defaults
            sender = sender or "OPENRCM"
            receiver = receiver or "CLEARINGHOUSE"
            submitter_phone = submitter_phone or "5555550100"
        missing = [
            name
            for name, value in (
                ("--sender", sender),
                ("--receiver", receiver),
                ("--submitter-phone", submitter_phone),
            )
            if not value
        ]
        if missing:
            _fail(f"an 837 needs {', '.join(missing)}")
        try:
            (control,) = next_control_numbers(last_control, 1)
            envelope = Envelope(sender, receiver, control, control, day, usage="T" if test else "P")
            text = write_837(
                claims,
                envelope,
                Party(submitter_name or sender, sender, "", submitter_phone),
                Party(receiver_name or receiver, receiver),
                control,
            )
        except (ValueError, X12BuildError) as exc:
            _fail(str(exc))
        data = text.encode()
        written["control_number"] = control
    if out is None:
        if as_json:
            _fail("--json reports the file written: give --out")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    out.write_bytes(data)
    written["bytes"] = len(data)
    if as_json:
        typer.echo(json.dumps(written))
    else:
        typer.echo(f"wrote {out} ({len(data)} bytes, {len(claims)} claims)")
