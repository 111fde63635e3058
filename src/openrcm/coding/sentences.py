"""Sentence and list-item boundaries with character offsets.

Why not a trained splitter: clinical notes are mostly fragments and lists; a line break, a
bullet or a sentence-final stop followed by a capital is a boundary, and abbreviations such
as "Dr." or "e.g." are not. ConText scopes never cross a sentence, so the splitter decides how
far "denies" can reach.
"""

from __future__ import annotations

import re

from openrcm.coding.model import Section, Sentence

_ABBREVIATIONS = frozenset(
    [
        "dr",
        "mr",
        "mrs",
        "ms",
        "vs",
        "e.g",
        "i.e",
        "etc",
        "approx",
        "st",
        "fig",
        "mg",
        "ml",
        "cm",
        "mm",
        "dl",
        "ca",
        "pt",
        "pts",
        "b.i.d",
        "t.i.d",
        "q.d",
    ]
)
_BOUNDARY = re.compile(r"(?<=[.!?;])\s+(?=[A-Z0-9(\[\"'])|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)]\s))|\n")


def split_sentences(text: str, sections: tuple[Section, ...]) -> tuple[Sentence, ...]:
    """Sentences of every section; a sentence never crosses a section boundary."""
    out: list[Sentence] = []
    for section in sections:
        body_start = section.header.end if section.header else section.start
        # skip the header's colon
        if body_start < section.end and text[body_start] == ":":
            body_start += 1
        out.extend(_split_range(text, body_start, section.end, section.name))
    return tuple(out)


def _split_range(text: str, start: int, end: int, section: str) -> list[Sentence]:
    chunk = text[start:end]
    pieces: list[Sentence] = []
    cursor = 0
    for match in _BOUNDARY.finditer(chunk):
        if match.group(0).strip() == "" and chunk[match.start() - 1 : match.start()] == ".":
            word = re.search(r"([A-Za-z.]+)\.$", chunk[cursor : match.start()])
            if word and word.group(1).lower() in _ABBREVIATIONS:
                continue
        _append(pieces, text, start + cursor, start + match.start(), section)
        cursor = match.end()
    _append(pieces, text, start + cursor, end, section)
    return pieces


def _append(out: list[Sentence], text: str, start: int, end: int, section: str) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, section))
