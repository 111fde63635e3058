"""Small helpers shared by the coding tests."""

from __future__ import annotations

from openrcm.coding.context import default_context_rules, find_scopes, modifiers_for
from openrcm.coding.model import Category, Span
from openrcm.coding.sections import section_at, split_sections
from openrcm.coding.sentences import split_sentences


def categories_of(note: str, phrase: str) -> set[Category]:
    """The ConText categories the first occurrence of ``phrase`` in ``note`` carries."""
    start = note.index(phrase)
    span = Span(start, start + len(phrase), phrase)
    sections = split_sections(note)
    sentences = split_sentences(note, sections)
    sentence = next(s for s in sentences if s.start <= start < s.end)
    scopes = find_scopes(note, sentence, default_context_rules())
    mods = modifiers_for(span, scopes, section_at(sections, start))
    return {m.category for m in mods}
