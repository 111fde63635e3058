"""Code-set use cases for the interfaces: one opened ICD-10-CM per home, imports.

The API and CLI call these, never the store directly, so both share the process-wide cache
and the same import path.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from openrcm.codesets.icd10cm import ICD10CM, open_icd10cm
from openrcm.config import Settings

_LOCK = threading.Lock()
_OPEN: dict[Path, ICD10CM] = {}


def icd10cm(settings: Settings) -> ICD10CM:
    """The ICD-10-CM code set of ``settings.home``, opened once per process."""
    home = settings.home.resolve()
    with _LOCK:
        cm = _OPEN.get(home)
        if cm is None:
            cm = open_icd10cm(home)
            _OPEN[home] = cm
        return cm


def forget(settings: Settings) -> None:
    """Drop the cached code set of ``settings.home`` (after an import replaced a release)."""
    with _LOCK:
        _OPEN.pop(settings.home.resolve(), None)


def parse_date(text: str | None, where: str) -> date | None:
    """Read an ISO date given by a user; ``where`` names the option or parameter."""
    if text is None or text == "":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{where}: {text!r} is not a date in the form YYYY-MM-DD") from exc
