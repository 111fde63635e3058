"""Claim tools over HTTP: build claims from encounter data, scrub claims, export them.

Stateless: the body carries the claim context or the claims (JSON shape of
openrcm.claims.jsonio) and nothing is stored, so any signed-in user may call them; the stored
claim workflow lives under /api/practices/{practice_id}/claims. Bad input is a 422 naming the
path of the bad field.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request, Response

from openrcm.api.dependencies import principal
from openrcm.claims.builder import BuildError, SplitPolicy, build_claims
from openrcm.claims.jsonio import ClaimJsonError, claim_from_json, context_from_json, to_json
from openrcm.claims.model import Claim, ClaimKind, Responsibility
from openrcm.claims.scrub import RulePackError, Scrubber, parse_pack, scrubber
from openrcm.config import Settings

router = APIRouter(prefix="/api/claims", tags=["claims"], dependencies=[Depends(principal)])


class ExportFormat(StrEnum):
    P837 = "837p"
    I837 = "837i"
    CMS1500 = "cms1500"
    UB04 = "ub04"


def _bad(message: str) -> HTTPException:
    return HTTPException(status_code=422, detail=message)


def _claims(raw: Any) -> list[Claim]:
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for i, item in enumerate(items):
        try:
            out.append(claim_from_json(item))
        except ClaimJsonError as exc:
            raise _bad(f"claims[{i}]: {exc}") from None
    return out


def default_scrubber(request: Request) -> Scrubber:
    """The process's scrubber with the NCCI tables and ICD-10-CM, loaded on first use (the
    tables compile once under the configured home)."""
    found = getattr(request.app.state, "claims_scrubber", None)
    if isinstance(found, Scrubber):
        return found
    from openrcm.claims.scrub.sources import load_reference
    from openrcm.services.codesets import icd10cm

    settings = Settings.from_env()
    made = scrubber(load_reference(settings.home, icd10cm(settings)))
    request.app.state.claims_scrubber = made
    return made


@router.post("/build")
def build(
    context: Annotated[dict[str, Any], Body(description="a ClaimContext (encounter data)")],
    bill_to: Responsibility = Responsibility.PRIMARY,
    max_lines: Annotated[int | None, Query(ge=1, le=999)] = None,
    by_service_date: bool = False,
) -> list[dict[str, Any]]:
    """Build the claims of one encounter for the payer of responsibility ``bill_to``."""
    try:
        ctx = context_from_json(context)
        claims = build_claims(ctx, bill_to, SplitPolicy(max_lines, by_service_date=by_service_date))
    except (ClaimJsonError, BuildError) as exc:
        raise _bad(str(exc)) from None
    return [to_json(c) for c in claims]


@router.post("/scrub")
def scrub(
    request: Request,
    claims: Annotated[Any, Body(description="one claim or a list of claims")],
    as_of: date | None = None,
    rule_pack: Annotated[list[str] | None, Query(description="YAML payer rule pack text")] = None,
) -> dict[str, Any]:
    """Scrub claims: a report per claim and for the batch (counts per edit)."""
    batch = _claims(claims)
    engine = default_scrubber(request)
    if rule_pack:
        import yaml

        try:
            packs = [
                parse_pack(yaml.safe_load(text), f"rule_pack[{i}]")
                for i, text in enumerate(rule_pack)
            ]
        except (RulePackError, yaml.YAMLError) as exc:
            raise _bad(str(exc)) from None
        engine = scrubber(engine.reference, packs)
    return engine.scrub_batch(batch, as_of or date.today()).to_json()


@router.post("/export/{fmt}")
def export(
    fmt: ExportFormat,
    claims: Annotated[Any, Body(description="one claim or a list of claims")],
    on: date | None = None,
    review: bool = False,
    sender: Annotated[str | None, Query(min_length=1, max_length=15)] = None,
    receiver: Annotated[str | None, Query(min_length=1, max_length=15)] = None,
    submitter_phone: Annotated[str | None, Query(pattern=r"^[0-9]{10}$")] = None,
    last_control: Annotated[int, Query(ge=0, le=999_999_999)] = 0,
) -> Response:
    """An 837P/837I file (text) or a CMS-1500/UB-04 PDF; the 837's control number is the one
    after ``last_control`` (header ``X-Control-Number``)."""
    batch = _claims(claims)
    day = on or date.today()
    if fmt in (ExportFormat.CMS1500, ExportFormat.UB04):
        from openrcm.claims.forms import Flavour, FormError, cms1500_pdf, ub04_pdf

        if len(batch) != 1:
            raise _bad("paper forms are exported one claim at a time")
        render = cms1500_pdf if fmt is ExportFormat.CMS1500 else ub04_pdf
        try:
            pdf = render(batch[0], day, Flavour.REVIEW if review else Flavour.DATA)
        except FormError as exc:
            raise _bad(str(exc)) from None
        return Response(pdf, media_type="application/pdf")
    from openrcm.claims.x837 import Party, next_control_numbers, write_837
    from openrcm.x12.builders.envelope import BuildError as X12BuildError
    from openrcm.x12.builders.envelope import Envelope

    if sender is None or receiver is None or submitter_phone is None:
        raise _bad("an 837 needs sender, receiver and submitter_phone")
    want = ClaimKind.PROFESSIONAL if fmt is ExportFormat.P837 else ClaimKind.INSTITUTIONAL
    if any(c.kind is not want for c in batch):
        raise _bad(f"every claim of an {fmt} file must be {want.value}")
    (control,) = next_control_numbers(last_control, 1)
    try:
        text = write_837(
            batch,
            Envelope(sender, receiver, control, control, day),
            Party(sender, sender, "", submitter_phone),
            Party(receiver, receiver),
            control,
        )
    except X12BuildError as exc:
        raise _bad(str(exc)) from None
    return Response(
        text, media_type="application/edi-x12", headers={"X-Control-Number": str(control)}
    )
