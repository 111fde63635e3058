"""From a note to explained ICD-10-CM suggestions: the pipeline that ties the stages together.

sections -> sentences -> lexicon matches (index, synonyms, tabular terms, learned phrases)
-> ConText per mention -> specificity (billable code + provider queries) -> guideline rules
-> sequencing. Pure: the engine is built once from a terminology and reused.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from openrcm.coding.associations import MAX_NGRAM, Associations
from openrcm.coding.context import (
    ContextRules,
    Scope,
    default_context_rules,
    find_scopes,
    modifiers_for,
)
from openrcm.coding.guidelines import Candidate, Draft, apply_rules
from openrcm.coding.lexicon import Lexicon, find_matches, note_tokens
from openrcm.coding.literal import written_codes
from openrcm.coding.model import (
    Category,
    CodingResult,
    Mention,
    Section,
    Sentence,
    Span,
    Suggestion,
)
from openrcm.coding.sections import SectionRule, default_section_rules, section_at, split_sections
from openrcm.coding.sentences import split_sentences
from openrcm.coding.sequencing import sequence
from openrcm.coding.specificity import specify
from openrcm.coding.terminology import Terminology
from openrcm.coding.text import Token, bag
from openrcm.findings import Finding, Severity

SECTION_BOOST = {"assessment": 0.05, "diagnosis": 0.08, "impression": 0.05}
MAX_NOTE_CHARS = 200_000
WRITTEN_CODE_SCORE = 0.9


@dataclass(frozen=True, slots=True)
class NoteInput:
    """A note to code and the encounter facts that change the answer."""

    text: str
    setting: str = "outpatient"
    date_of_service: date | None = None
    age: int | None = None
    sex: str | None = None

    def __post_init__(self) -> None:
        if self.setting not in ("outpatient", "inpatient"):
            raise ValueError(f"setting must be outpatient or inpatient, got {self.setting!r}")
        if not self.text.strip():
            raise ValueError("the note is empty")
        if len(self.text) > MAX_NOTE_CHARS:
            raise ValueError(f"the note is longer than {MAX_NOTE_CHARS} characters")
        if self.sex is not None and self.sex not in ("F", "M"):
            raise ValueError(f"sex must be F or M, got {self.sex!r}")
        if self.age is not None and not 0 <= self.age <= 130:
            raise ValueError(f"age must be between 0 and 130, got {self.age}")


@dataclass(frozen=True, slots=True)
class Engine:
    """Everything the pipeline needs that does not change from note to note."""

    terminology: Terminology
    lexicon: Lexicon
    learned: Associations | None = None
    section_rules: tuple[SectionRule, ...] = field(default_factory=default_section_rules)
    context_rules: ContextRules = field(default_factory=default_context_rules)


def find_mentions(note: NoteInput, engine: Engine) -> tuple[tuple[Section, ...], list[Mention]]:
    """Sections and every mention (lexicon and learned) with its ConText modifiers."""
    text = note.text
    sections = split_sections(text, engine.section_rules)
    mentions: list[Mention] = []
    for sentence in split_sentences(text, sections):
        section = section_at(sections, sentence.start)
        toks = note_tokens(text, engine.lexicon, sentence.start, sentence.end)
        if not toks:
            continue
        scopes = find_scopes(text, sentence, engine.context_rules)
        for match in find_matches(text, toks, engine.lexicon):
            entry = match.entries[0]
            index_path = next((e.index_path for e in match.entries if e.index_path), ())
            mods = modifiers_for(match.span, scopes, section)
            mentions.append(
                Mention(
                    match.span,
                    entry.code,
                    entry.path,
                    entry.source,
                    entry.weight,
                    section.name,
                    mods,
                    index_path,
                )
            )
        for written in written_codes(text, sentence.start, sentence.end, engine.terminology):
            mentions.append(
                Mention(
                    written.span,
                    written.code,
                    written.path,
                    "literal",
                    WRITTEN_CODE_SCORE,
                    section.name,
                    modifiers_for(written.span, scopes, section),
                )
            )
        if engine.learned is not None:
            mentions.extend(_learned_mentions(text, sentence, toks, section, scopes, engine))
    return sections, mentions


def _learned_mentions(
    text: str,
    sentence: Sentence,
    toks: list[Token],
    section: Section,
    scopes: tuple[Scope, ...],
    engine: Engine,
) -> list[Mention]:
    """Mentions from learned phrases: per sentence, the most precise phrase for each code."""
    learned = engine.learned
    assert learned is not None
    vocabulary = learned.vocabulary()
    best: dict[str, tuple[float, int, int, tuple[str, ...]]] = {}
    for i in range(len(toks)):
        if toks[i].norm not in vocabulary:
            continue
        for n in range(1, MAX_NGRAM + 1):
            if i + n > len(toks) or toks[i + n - 1].norm not in vocabulary:
                break
            key = bag(tuple(t.norm for t in toks[i : i + n]))
            for assoc in learned.lookup(key):
                if assoc.precision > best.get(assoc.code, (0.0, 0, 0, ()))[0]:
                    best[assoc.code] = (assoc.precision, i, i + n - 1, key)
    out = []
    for code, (precision, i, j, key) in best.items():
        span = Span(toks[i].start, toks[j].end, text[toks[i].start : toks[j].end])
        out.append(
            Mention(
                span,
                code,
                f"Learned ({learned.name}): {' '.join(key)}",
                "learned",
                precision,
                section.name,
                modifiers_for(span, scopes, section),
            )
        )
    return out


def _candidates(note: NoteInput, mentions: list[Mention], engine: Engine) -> list[Candidate]:
    text = note.text
    by_code: dict[str, list[tuple[Mention, str, tuple[str, ...], bool]]] = {}
    for m in mentions:
        facts = engine.terminology.facts(m.code)
        if facts is None:
            continue
        context = _sentence_text(text, m.span)
        chosen = specify(facts, context, engine.terminology)
        if chosen is None:
            continue
        by_code.setdefault(chosen.code, []).append(
            (m, chosen.title, chosen.queries, chosen.defaulted)
        )
    out = []
    sentence_cache: dict[tuple[int, int], frozenset[str]] = {}
    for code, items in by_code.items():
        items.sort(key=lambda t: (-t[0].score, t[0].span.start))
        best, title, _, _ = items[0]
        asserted = [m for m, *_ in items if not m.modifiers]
        categories = (
            frozenset()
            if asserted
            else frozenset.intersection(
                *(frozenset(mod.category for mod in m.modifiers) for m, *_ in items)
            )
        )
        sections = frozenset(m.section for m, *_ in items)
        boost = max((SECTION_BOOST.get(s, 0.0) for s in sections), default=0.0)
        repeat = 0.05 * min(3, len({m.span for m, *_ in items}) - 1)
        defaulted = all(d for *_, d in items)
        confidence = best.score + boost + repeat - (0.1 if defaulted else 0.0)
        queries = tuple(dict.fromkeys(q for *_, qs, _ in items for q in qs))
        sentence_words = frozenset(
            w for m, *_ in items for w in _sentence_words(text, m.span, engine, sentence_cache)
        )
        index_path = next((m.index_path for m, *_ in items if m.index_path), ())
        out.append(
            Candidate(
                code=code,
                title=title,
                confidence=round(max(0.0, min(1.0, confidence)), 3),
                evidence=tuple(sorted({m.span for m, *_ in items}, key=lambda s: s.start)),
                derivation=best.path,
                categories=categories,
                sections=sections,
                first=min(m.span.start for m, *_ in items),
                queries=queries,
                sentence_words=sentence_words,
                index_path=index_path,
            )
        )
    return out


def _sentence_words(
    text: str, span: Span, engine: Engine, cache: dict[tuple[int, int], frozenset[str]]
) -> frozenset[str]:
    bounds = _sentence_bounds(text, span)
    if bounds not in cache:
        cache[bounds] = frozenset(t.norm for t in note_tokens(text, engine.lexicon, *bounds))
    return cache[bounds]


def _sentence_bounds(text: str, span: Span) -> tuple[int, int]:
    start = max(text.rfind("\n", 0, span.start), text.rfind(". ", 0, span.start)) + 1
    ends = [i for i in (text.find("\n", span.end), text.find(". ", span.end)) if i != -1]
    return start, min(ends) if ends else len(text)


def _sentence_text(text: str, span: Span) -> str:
    start, end = _sentence_bounds(text, span)
    return text[start:end]


def suggest(note: NoteInput, engine: Engine) -> CodingResult:
    """Code one note: final suggestions in reporting order, and what was set aside, and why."""
    sections, mentions = find_mentions(note, engine)
    draft = Draft(
        candidates=tuple(_candidates(note, mentions, engine)),
        setting=note.setting,
        terminology=engine.terminology,
        combinations=engine.lexicon.combinations,
    )
    draft = apply_rules(draft)
    thresholds = engine.learned.thresholds if engine.learned else {}
    active: list[Candidate] = []
    aside: list[Candidate] = []
    for c in draft.candidates:
        if c.active and c.confidence < thresholds.get(c.code, 0.0):
            c = replace(c, aside=f"below this practice's learned threshold for {c.code}")
        (active if c.active else aside).append(c)
    ordered = sequence(active, note.setting, engine.terminology)
    suggestions = tuple(
        _to_suggestion(c, rank, reason) for rank, (c, reason) in enumerate(ordered, start=1)
    )
    set_aside = tuple(
        replace(_to_suggestion(c, 0, ""), final=False, warnings=(*c.warnings, c.aside))
        for c in sorted(aside, key=lambda c: (-c.confidence, c.first))
    )
    findings = tuple(
        Finding(
            code="CODING-QUERY",
            severity=Severity.INFO,
            message=q,
            location={"code": s.code, "start": s.evidence[0].start, "end": s.evidence[0].end},
            hint="ask the provider to document the missing detail",
            source="ICD-10-CM guideline I.A.9 (specificity)",
        )
        for s in suggestions
        for q in s.queries
    )
    return CodingResult(suggestions, set_aside, tuple(mentions), sections, findings)


def _to_suggestion(c: Candidate, rank: int, reason: str) -> Suggestion:
    return Suggestion(
        code=c.code,
        title=c.title,
        confidence=c.confidence,
        evidence=c.evidence,
        derivation=c.derivation,
        rules=c.rules,
        warnings=c.warnings,
        queries=c.queries,
        rank=rank,
        sequencing_reason=reason,
    )


def categories_of(m: Mention) -> frozenset[Category]:
    """The ConText categories of a mention (convenience for interfaces)."""
    return frozenset(mod.category for mod in m.modifiers)
