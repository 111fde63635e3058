"""HTTP API of the code sets: ICD-10-CM search, lookup and validation.

Errors are ``application/problem+json`` with ``code`` set to the stable error code of
openrcm.codesets.icd10cm (ICD10CM-MALFORMED, ICD10CM-UNKNOWN, ICD10CM-DATE-OUTSIDE-RELEASES,
ICD10CM-EMPTY-QUERY, ICD10CM-BAD-DATE). Codes are not PHI, so messages may name them.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from openrcm.codesets.icd10cm import (
    CodeSetError,
    DateOutsideReleases,
    EmptyQuery,
    MalformedCode,
    UnknownCode,
)
from openrcm.codesets.icd10cm.model import CodeInfo, Note, SearchHit, Validation
from openrcm.config import Settings
from openrcm.services import codesets as service

router = APIRouter(prefix="/codes", tags=["codes"])

PROBLEM = "application/problem+json"
_STATUS = {MalformedCode: 422, UnknownCode: 404, DateOutsideReleases: 422, EmptyQuery: 422}


def get_settings() -> Settings:
    """Settings of the request (overridden in tests)."""
    return Settings.from_env()


class Problem(BaseModel):
    """RFC 9457 problem details with a stable ``code``."""

    type: str
    title: str
    status: int
    code: str
    detail: str
    hint: str = ""


def _problem(status: int, code: str, detail: str, hint: str = "") -> JSONResponse:
    body = Problem(type=f"urn:openrcm:problem:{code}", title=code.replace("-", " ").lower(),
                   status=status, code=code, detail=detail, hint=hint)
    return JSONResponse(body.model_dump(), status_code=status, media_type=PROBLEM)


def _error(exc: CodeSetError) -> JSONResponse:
    return _problem(_STATUS.get(type(exc), 400), exc.code, exc.message, exc.hint)


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "Unknown code (ICD10CM-UNKNOWN)",
          "content": {PROBLEM: {}}},
    422: {"model": Problem, "content": {PROBLEM: {}},
          "description": "Malformed code, bad or uncovered date, empty query"},
}


class NoteOut(BaseModel):
    """A note that applies to a code and the level it comes from."""

    kind: str = Field(description="includes, excludes1, excludes2, codeFirst, ...")
    text: str
    level: str = Field(description="chapter, block, category, subcategory or code")
    source: str = Field(description="chapter number, block id or code carrying the note")


class CodeRefOut(BaseModel):
    code: str
    title: str
    billable: bool


class SeventhOut(BaseModel):
    char: str
    meaning: str


class CodeOut(BaseModel):
    """Full tabular context of one code in the release of the date asked."""

    code: str
    title: str
    billable: bool
    level: str
    release: str
    chapter: str
    chapter_title: str
    block: str
    block_title: str
    parents: list[CodeRefOut]
    children: list[CodeRefOut]
    notes: list[NoteOut]
    seventh: list[SeventhOut]
    seventh_source: str
    placeholder: bool = Field(description="X fills positions up to the 6th (S09.90XA)")
    valid_from: date
    valid_to: date


class HitOut(BaseModel):
    """One search result."""

    code: str
    title: str
    billable: bool
    score: float
    matched: str = Field(description="index path or tabular term that matched")
    source: str = Field(description="index, title, inclusion, table or external-cause")
    notes: list[NoteOut] = Field(description="notes the coder must check")
    children: list[CodeRefOut] = Field(description="billable descendants of a header")


class SearchOut(BaseModel):
    release: str
    query: str
    hits: list[HitOut]


class ValidationOut(BaseModel):
    code: str
    normalized: str
    status: str = Field(description="billable, not-billable or invalid")
    ok: bool
    reason_code: str
    reason: str
    release: str
    title: str
    suggestions: list[CodeRefOut]


class ValidateOut(BaseModel):
    release: str
    results: list[ValidationOut]


def _date(text: str | None) -> date | None:
    return service.parse_date(text, "query parameter 'date'")


def _notes(notes: tuple[Note, ...]) -> list[NoteOut]:
    return [NoteOut(kind=n.kind, text=n.text, level=n.level, source=n.source) for n in notes]


def _code_out(i: CodeInfo) -> CodeOut:
    return CodeOut(
        code=i.code, title=i.title, billable=i.billable, level=i.level, release=i.release,
        chapter=i.chapter, chapter_title=i.chapter_title, block=i.block,
        block_title=i.block_title,
        parents=[CodeRefOut(code=p.code, title=p.title, billable=p.billable) for p in i.parents],
        children=[CodeRefOut(code=c.code, title=c.title, billable=c.billable)
                  for c in i.children],
        notes=_notes(i.notes), seventh=[SeventhOut(char=s.char, meaning=s.meaning)
                                        for s in i.seventh],
        seventh_source=i.seventh_source, placeholder=i.placeholder, valid_from=i.valid_from,
        valid_to=i.valid_to,
    )


def _hit_out(h: SearchHit) -> HitOut:
    return HitOut(
        code=h.code, title=h.title, billable=h.billable, score=h.score, matched=h.matched,
        source=h.source, notes=_notes(h.notes),
        children=[CodeRefOut(code=c.code, title=c.title, billable=c.billable)
                  for c in h.children],
    )


def _validation_out(v: Validation) -> ValidationOut:
    return ValidationOut(
        code=v.code, normalized=v.normalized, status=v.status, ok=v.ok,
        reason_code=v.reason_code, reason=v.reason, release=v.release, title=v.title,
        suggestions=[CodeRefOut(code=s.code, title=s.title, billable=s.billable)
                     for s in v.suggestions],
    )


SettingsDep = Annotated[Settings, Depends(get_settings)]
DateQuery = Annotated[
    str | None, Query(description="Date of service YYYY-MM-DD; default: newest release")
]


@router.get("/icd10cm/search", response_model=SearchOut, responses=ERRORS)
def search_icd10cm(
    settings: SettingsDep,
    q: Annotated[str, Query(description="Diagnosis in free text")] = "",
    date_: Annotated[str | None, Query(alias="date", description="Date of service")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 10,
) -> SearchOut | JSONResponse:
    """Encoder search: free text -> ranked ICD-10-CM codes of the release in force."""
    try:
        dos = _date(date_)
    except ValueError as exc:
        return _problem(422, "ICD10CM-BAD-DATE", str(exc))
    try:
        cm = service.icd10cm(settings)
        hits = cm.search(q, on=dos, limit=limit)
        release = cm.release_for(dos).name
    except CodeSetError as exc:
        return _error(exc)
    return SearchOut(release=release, query=q, hits=[_hit_out(h) for h in hits])


@router.get("/icd10cm/validate", response_model=ValidateOut, responses=ERRORS)
def validate_icd10cm(
    settings: SettingsDep,
    code: Annotated[list[str], Query(description="Codes to validate (repeat the parameter)")],
    date_: Annotated[str | None, Query(alias="date", description="Date of service")] = None,
) -> ValidateOut | JSONResponse:
    """Validate codes for a date of service: billable, not-billable or invalid, with reason."""
    try:
        dos = _date(date_)
    except ValueError as exc:
        return _problem(422, "ICD10CM-BAD-DATE", str(exc))
    try:
        cm = service.icd10cm(settings)
        results = [cm.validate(c, on=dos) for c in code]
        release = cm.release_for(dos).name
    except CodeSetError as exc:
        return _error(exc)
    return ValidateOut(release=release, results=[_validation_out(v) for v in results])


@router.get("/icd10cm/{code}", response_model=CodeOut, responses=ERRORS)
def show_icd10cm(
    settings: SettingsDep,
    code: str,
    date_: Annotated[str | None, Query(alias="date", description="Date of service")] = None,
) -> CodeOut | JSONResponse:
    """One code with its hierarchy, inherited notes, 7th characters and validity dates."""
    try:
        dos = _date(date_)
    except ValueError as exc:
        return _problem(422, "ICD10CM-BAD-DATE", str(exc))
    try:
        info = service.icd10cm(settings).lookup(code, on=dos)
    except CodeSetError as exc:
        return _error(exc)
    return _code_out(info)
