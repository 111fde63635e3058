"""HTTP API of computer-assisted coding: suggestions for a note, and coder feedback.

The note text travels in the request body only (never in a URL or a log line); errors name the
field at fault, not the note's content.
"""

from __future__ import annotations

from datetime import UTC, datetime
from datetime import date as Date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException
from pydantic import BaseModel, Field

from openrcm.coding.feedback import make_feedback
from openrcm.config import Settings
from openrcm.services import coding as service

router = APIRouter(prefix="/coding", tags=["coding"])


def get_settings() -> Settings:
    """Settings of the request (overridden in tests)."""
    return Settings.from_env()


SettingsDep = Annotated[Settings, Depends(get_settings)]


class SuggestRequest(BaseModel):
    """A note and the encounter facts."""

    text: str = Field(min_length=1, max_length=200_000, description="The note, plain text.")
    setting: Literal["outpatient", "inpatient"] = "outpatient"
    date: Date | None = Field(None, description="Date of service (picks the code-set release).")
    age: int | None = Field(None, ge=0, le=130)
    sex: Literal["F", "M"] | None = None
    patient: Literal["new", "established"] = "established"
    practice: str | None = Field(None, description="Apply this practice's learned feedback.")
    ranker: Literal["rules", "codiesp"] = Field(
        "rules",
        description="rules (default), or codiesp: order learned from CodiEsp Spanish case "
        "reports, with the codes only it proposes as also_consider (not with a practice).",
    )


class FeedbackItem(BaseModel):
    """One coder action on one code."""

    note_id: str = Field(min_length=1, max_length=128)
    code: str = Field(min_length=3, max_length=8)
    action: Literal["accept", "reject", "add"]
    phrase: str = Field("", max_length=200, description="The note words the code rests on.")
    coder: str = ""


class FeedbackRequest(BaseModel):
    """Feedback of one practice."""

    practice: str = Field(pattern=r"^[A-Za-z0-9_-]{1,64}$")
    items: list[FeedbackItem] = Field(min_length=1, max_length=500)


@router.post("/suggest", summary="Suggest ICD-10-CM codes and the E/M level for a note")
def suggest(body: SuggestRequest, settings: SettingsDep) -> dict[str, Any]:
    """Codes with evidence offsets, index path or rule, confidence, warnings and queries."""
    try:
        return service.code_note(
            settings,
            body.text,
            setting=body.setting,
            on=body.date,
            age=body.age,
            sex=body.sex,
            patient=body.patient,
            practice=body.practice,
            ranker=body.ranker,
        )
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None


@router.post("/feedback", summary="Record coder accept / reject / add actions")
def feedback(body: FeedbackRequest, settings: SettingsDep) -> dict[str, int]:
    """Append the actions to the practice's feedback log; the next suggestion learns from it."""
    at = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        records = [
            make_feedback(body.practice, i.note_id, i.code, i.action, i.phrase, at, i.coder)
            for i in body.items
        ]
    except ValueError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    return {"recorded": service.record_feedback(settings, records)}
