"""Coding use cases for the interfaces: one engine per (home, release), a compiled-lexicon
cache, and the practice feedback log.

The core (:mod:`openrcm.coding`) is pure; this module does the I/O around it: it opens the
code set, caches the compiled lexicon under ``<home>/coding/`` (building it takes seconds,
loading it a fraction of one), and appends coder feedback to
``<home>/coding/feedback/<practice>.jsonl``.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import re
import threading
from dataclasses import replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from openrcm.coding.associations import Associations, codiesp_associations
from openrcm.coding.codesets_adapter import CodesetsTerminology
from openrcm.coding.feedback import FeedbackRecord, derive_learning, record_from_json
from openrcm.coding.lexicon import build_lexicon, lexicon_from_plain, lexicon_to_plain
from openrcm.coding.pipeline import Engine, NoteInput, suggest
from openrcm.coding.ranked import LearnedModel, rank_note
from openrcm.coding.render import em_for, ranked_dict, result_dict
from openrcm.config import Settings
from openrcm.services.codesets import icd10cm

_LOCK = threading.Lock()
_ENGINES: dict[tuple[Path, str], Engine] = {}
_MODELS: dict[tuple[Path, str], LearnedModel] = {}
RANKERS = ("rules", "codiesp")
_PRACTICE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
LEXICON_FORMAT = "1"


def _data_fingerprint() -> str:
    """Changes whenever a shipped coding data file changes (the lexicon cache key)."""
    digest = hashlib.sha256(LEXICON_FORMAT.encode())
    data = resources.files("openrcm.coding").joinpath("data")
    for name in ("abbreviations.yaml", "synonyms.yaml"):
        digest.update(data.joinpath(name).read_bytes())
    package = resources.files("openrcm.coding")
    for module in ("lexicon.py", "text.py"):
        digest.update(package.joinpath(module).read_bytes())
    return digest.hexdigest()[:16]


def engine(settings: Settings, on: date | None = None, learned: bool = True) -> Engine:
    """The coding engine for the release in force on ``on``, built or loaded once per process.

    Args:
        settings: where the code sets and caches live.
        on: date of service (None: newest release).
        learned: add the associations learned from the CodiEsp train split.
    """
    cm = icd10cm(settings)
    terminology = CodesetsTerminology(cm, on)
    key = (settings.home.resolve(), terminology.release)
    with _LOCK:
        base = _ENGINES.get(key)
        if base is None:
            cache = (
                settings.home
                / "coding"
                / f"lexicon-{terminology.release}-{_data_fingerprint()}.marshal"
            )
            if cache.exists():
                lexicon = lexicon_from_plain(marshal.loads(cache.read_bytes()))
            else:
                lexicon = build_lexicon(terminology)
                cache.parent.mkdir(parents=True, exist_ok=True)
                tmp = cache.with_suffix(".tmp")
                tmp.write_bytes(marshal.dumps(lexicon_to_plain(lexicon)))
                tmp.replace(cache)
                for stale in cache.parent.glob(f"lexicon-{terminology.release}-*.marshal"):
                    if stale != cache:
                        stale.unlink(missing_ok=True)
            base = Engine(terminology, lexicon)
            _ENGINES[key] = base
    return replace(base, learned=codiesp_associations() if learned else None)


def _feedback_path(settings: Settings, practice: str) -> Path:
    if not _PRACTICE.match(practice):
        raise ValueError("practice: use 1-64 letters, digits, '-' or '_'")
    return settings.home / "coding" / "feedback" / f"{practice}.jsonl"


def record_feedback(settings: Settings, records: list[FeedbackRecord]) -> int:
    """Append feedback records to their practice's log; returns how many were written."""
    with _LOCK:
        for rec in records:
            path = _feedback_path(settings, rec.practice)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(rec.to_json(), sort_keys=True) + "\n")
    return len(records)


def practice_learning(settings: Settings, practice: str) -> Associations | None:
    """What a practice's feedback log teaches (None when it has none)."""
    path = _feedback_path(settings, practice)
    if not path.exists():
        return None
    records = []
    for lineno, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if line.strip():
            try:
                records.append(record_from_json(json.loads(line)))
            except (ValueError, KeyError) as exc:
                raise ValueError(f"{path.name}: line {lineno}: {exc}") from exc
    return derive_learning(records, practice)


def practice_engine(settings: Settings, practice: str | None, on: date | None = None) -> Engine:
    """The engine with a practice's learned synonyms and thresholds.

    The associations learned from CodiEsp (Spanish case reports in translation) serve the
    evaluation only; a practice's notes are coded from the index, the synonyms and its own
    feedback.
    """
    base = engine(settings, on, learned=False)
    if not practice:
        return base
    return replace(base, learned=practice_learning(settings, practice))


def codiesp_model(settings: Settings, on: date | None = None) -> tuple[Engine, LearnedModel]:
    """The engine with the CodiEsp associations and the learned ranking model, built once per
    (home, release): the neighbour index over the 500 shipped train notes takes about a
    second, so only a user who asks for the ``codiesp`` ranker pays for it."""
    from openrcm.coding.codesets_adapter import codes_under
    from openrcm.coding.eval.run import learned_model

    learned = engine(settings, on, learned=True)
    key = (settings.home.resolve(), learned.terminology.release)
    with _LOCK:
        model = _MODELS.get(key)
        if model is None:
            cm = icd10cm(settings)
            model = learned_model(learned, lambda c: codes_under(cm, c))
            _MODELS[key] = model
    return learned, model


def code_note(
    settings: Settings,
    text: str,
    *,
    setting: str = "outpatient",
    on: date | None = None,
    age: int | None = None,
    sex: str | None = None,
    patient: str = "established",
    practice: str | None = None,
    ranker: str = "rules",
) -> dict[str, Any]:
    """Suggestions (and, outpatient, the E/M level) for one note, JSON-ready.

    Args:
        ranker: ``rules`` (default: the guideline sequencing, a practice's learning) or
            ``codiesp`` (the order learned from CodiEsp case reports, and the codes only its
            learned sources propose as ``also_consider``; it cannot be combined with a
            practice's learning, which it was not fitted with).
    """
    if ranker not in RANKERS:
        raise ValueError(f"ranker: expected one of {', '.join(RANKERS)}, got {ranker!r}")
    note = NoteInput(text, setting=setting, date_of_service=on, age=age, sex=sex)
    if ranker == "codiesp":
        if practice:
            raise ValueError("ranker: codiesp cannot be combined with a practice's learning")
        learned, model = codiesp_model(settings, on)
        result = suggest(note, learned)
        em = em_for(text, result, patient) if setting == "outpatient" else None
        return ranked_dict(rank_note(text, result, model, learned.terminology), em)
    result = suggest(note, practice_engine(settings, practice, on))
    em = em_for(text, result, patient) if setting == "outpatient" else None
    return result_dict(result, em)
