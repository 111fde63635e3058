"""Plain JSON-ready dictionaries of coding results (the API, the CLI ``--json`` and the batch
output share them) and the E/M level derived from a coded note."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from openrcm.coding.em import EmResult, em_level, extract_em_input
from openrcm.coding.guidelines import guideline_data
from openrcm.coding.model import CodingResult, Span, Suggestion
from openrcm.coding.ranked import RankedResult, Source
from openrcm.coding.terminology import covered_by


def suggestion_dict(s: Suggestion) -> dict[str, Any]:
    """One suggestion with its evidence offsets."""
    return {
        "code": s.code,
        "title": s.title,
        "confidence": s.confidence,
        "rank": s.rank,
        "final": s.final,
        "evidence": [span_dict(e) for e in s.evidence],
        "derivation": s.derivation,
        "rules": list(s.rules),
        "warnings": list(s.warnings),
        "queries": list(s.queries),
        "sequencing_reason": s.sequencing_reason,
    }


def em_for(text: str, result: CodingResult, patient: str) -> EmResult:
    """E/M level of an office visit from the note and its final codes."""
    chronic_prefixes = tuple(guideline_data()["chronic"])
    codes = [s.code for s in result.suggestions if not s.code.startswith("Z")]
    chronic = sum(1 for c in codes if covered_by(c, chronic_prefixes))
    return em_level(extract_em_input(text, patient, chronic, len(codes) - chronic))


def result_dict(result: CodingResult, em: EmResult | None = None) -> dict[str, Any]:
    """The whole answer for one note, ranked by the rules (the default)."""
    out: dict[str, Any] = {
        "ranker": "rules",
        "suggestions": [suggestion_dict(s) for s in result.suggestions],
        "set_aside": [suggestion_dict(s) for s in result.set_aside],
        "sections": [{"name": s.name, "start": s.start, "end": s.end} for s in result.sections],
        "findings": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "message": f.message,
                "location": f.location,
                "hint": f.hint,
                "source": f.source,
            }
            for f in result.findings
        ],
    }
    if em is not None:
        out["em"] = asdict(em)
    return out


def span_dict(span: Span) -> dict[str, Any]:
    """Offsets and words of a piece of the note."""
    return {"start": span.start, "end": span.end, "text": span.text}


def source_dict(source: Source) -> dict[str, Any]:
    """Where a learned-only code comes from, with only the fields its kind uses."""
    if source.kind in ("phrase_vote", "annotated_phrase", "word_cue"):
        return {
            "kind": source.kind,
            "precision": round(source.precision, 4),
            "evidence": [span_dict(e) for e in source.evidence],
        }
    if source.kind == "neighbours":
        return {
            "kind": source.kind,
            "notes": source.notes,
            "similarity": round(source.similarity, 4),
        }
    return {"kind": source.kind, "sibling_of": source.sibling_of}


def ranked_dict(ranked: RankedResult, em: EmResult | None = None) -> dict[str, Any]:
    """The answer ordered by the learned ranker: final suggestions by score (each carrying it),
    then the learned-only codes as ``also_consider``."""
    out = result_dict(ranked.result, em)
    out["ranker"] = "codiesp"
    for group in ("suggestions", "set_aside"):
        for s in out[group]:
            s["score"] = round(ranked.scores.get(s["code"], 0.0), 4)
    out["suggestions"].sort(key=lambda s: (-s["score"], s["rank"]))
    out["also_consider"] = [
        {
            "code": c.code,
            "title": c.title,
            "billable": c.billable,
            "score": round(c.score, 4),
            "sources": [source_dict(x) for x in c.sources],
        }
        for c in ranked.also_consider
    ]
    return out
