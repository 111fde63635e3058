"""Find, in the English translation of a CodiEsp note, the words an annotator marked in the
Spanish original as the evidence of a gold code.

Why: CodiEsp gives, for every gold code of a note, the Spanish words that justify it and where
they are in the Spanish text (the X file). Counting every phrase of a note against every code
of it (:func:`openrcm.coding.associations.learn`) cannot tell which phrase a coder turned into
which code; the marked words can. The English notes are machine translations, so the Spanish
offsets do not point into them, but a translation keeps the order of the text (an English
offset is about the Spanish one over 1.125) and most clinical words survive as cognates
(estenosis / stenosis, pieloureteral / pyeloureteral) or as common words a short glossary
covers (dolor / pain). The English sentence whose words best match the Spanish span near the
expected place holds the evidence; its matched words, as a phrase, become an *annotated
phrase vote* for the code (:func:`learn_annotated`).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from openrcm.coding.associations import MAX_ANNOTATED, Association, Associations, ngram_keys
from openrcm.coding.eval.codiesp import Document, Evidence, to_cm_form
from openrcm.coding.text import Token, bag, tokens

# Spanish offset / English offset of the same words, median over the train notes' one-word
# spans found once in their translation (10th-90th percentile 1.02-1.34)
OFFSET_RATIO = 1.125
# how far from the expected place the evidence may be: a share of the offset plus a margin
SPREAD_SHARE, SPREAD_CHARS = 0.12, 150.0
# a sentence's closeness to the expected place weighs this much against one matched word
PLACE_WEIGHT = 0.8
# a phrase longer than this (from the first matched word to the last) keeps its matched words
MAX_SPAN_WORDS = 6
_SPANISH_STOPWORDS = frozenset(
    [
        "de", "del", "la", "el", "en", "los", "las", "y", "con", "por", "a", "al", "un", "una",
        "unos", "unas", "se", "que", "o", "para", "sin", "su", "sus", "e", "lo", "le", "es", "como",
        "mas", "muy",
    ]
)
# spelling correspondences folded away on each side before comparing (ción / tion, ph / f,
# double consonants, y / i, k / c ...)
_SPANISH_FOLDS = (("cion", "tion"), ("ll", "l"), ("rr", "r"), ("qu", "c"), ("k", "c"),
                  ("y", "i"), ("z", "s"))
_ENGLISH_FOLDS = (("ph", "f"), ("th", "t"), ("ae", "e"), ("oe", "e"), ("ll", "l"),
                  ("rr", "r"), ("ss", "s"), ("tt", "t"), ("mm", "m"), ("nn", "n"), ("pp", "p"),
                  ("cc", "c"), ("k", "c"), ("y", "i"), ("z", "s"), ("qu", "c"))
_WORD = re.compile(r"\w+")
_SENTENCE = re.compile(r"[^.;\n]+[.;]?")


@dataclass(frozen=True, slots=True)
class Aligned:
    """One evidence span and the English words found for it (empty: none matched)."""

    evidence: Evidence
    words: tuple[Token, ...]


def plain(word: str) -> str:
    """Lower case without accents: ``Ecografía`` -> ``ecografia``."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _folded(word: str, folds: tuple[tuple[str, str], ...]) -> str:
    for old, new in folds:
        word = word.replace(old, new)
    return word


@lru_cache(maxsize=8192)
def spanish_form(word: str) -> str:
    return _folded(plain(word), _SPANISH_FOLDS)


@lru_cache(maxsize=8192)
def english_form(word: str) -> str:
    return _folded(plain(word), _ENGLISH_FOLDS)


def similarity(spanish: str, english: str) -> float:
    """How surely two folded words (:func:`spanish_form`, :func:`english_form`) are the same
    word: 1 when equal; 0.9 for a shared start of five letters or more covering most of the
    shorter word (hipoestesia / hypoesthesia); else the Dice overlap of their letter pairs when
    at least 0.7; else 0."""
    if spanish == english:
        return 1.0
    if len(spanish) < 4 or len(english) < 4:
        return 0.0
    shared = 0
    for a, b in zip(spanish, english, strict=False):
        if a != b:
            break
        shared += 1
    if shared >= 5 and shared >= 0.6 * min(len(spanish), len(english)):
        return 0.9
    left = {spanish[i : i + 2] for i in range(len(spanish) - 1)}
    right = {english[i : i + 2] for i in range(len(english) - 1)}
    dice = 2 * len(left & right) / (len(left) + len(right))
    return dice if dice >= 0.7 else 0.0


@lru_cache(maxsize=1)
def glossary() -> Mapping[str, tuple[str, ...]]:
    """Spanish word (plain) -> English words, from ``data/glossary_es_en.yaml``."""
    path = resources.files("openrcm.coding.eval").joinpath("data/glossary_es_en.yaml")
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, list) and all(isinstance(w, str) for w in v)
        for k, v in raw.items()
    ):
        raise ValueError("glossary_es_en.yaml: expected 'spanish word: [english, ...]' rows")
    return {k: tuple(v) for k, v in raw.items()}


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences of ``text``: lines, cut at a full stop or semicolon."""
    return [m.span() for m in _SENTENCE.finditer(text) if m.group().strip()]


def align(
    text: str, evidence: Iterable[Evidence], words: Mapping[str, tuple[str, ...]]
) -> list[Aligned]:
    """The English words of ``text`` behind each Spanish evidence span.

    Each span's content words (each with its glossary translations) are compared with the
    words of every sentence; a sentence scores the sum of each Spanish word's best
    similarity plus ``PLACE_WEIGHT`` times its closeness (a Gaussian) to where the span
    should be. The best sentence's matched words are the English evidence.

    Args:
        text: the English note.
        evidence: the Spanish spans of its gold codes.
        words: the Spanish -> English glossary (:func:`glossary`).
    """
    bounds = sentences(text)
    sentence_words = [
        [(t, english_form(t.norm)) for t in tokens(text, start, end)] for start, end in bounds
    ]
    out = []
    for item in evidence:
        spanish = [
            (spanish_form(w), *(english_form(g) for g in words.get(plain(w), ())))
            for w in _WORD.findall(item.text)
            if plain(w) not in _SPANISH_STOPWORDS
        ]
        expected = item.start / OFFSET_RATIO
        spread = SPREAD_SHARE * item.start + SPREAD_CHARS
        best: tuple[float, list[int]] = (-1.0, [])
        best_words: list[tuple[Token, str]] = []
        for (start, end), found in zip(bounds, sentence_words, strict=True):
            distance = 0.0 if start <= expected <= end else min(
                abs(expected - start), abs(expected - end)
            )
            score = PLACE_WEIGHT * math.exp(-((distance / spread) ** 2))
            matched = set()
            for forms in spanish:
                top, at = 0.0, -1
                for k, (_, english) in enumerate(found):
                    value = max(similarity(form, english) for form in forms)
                    if value > top:
                        top, at = value, k
                if at >= 0:
                    matched.add(at)
                    score += top
            if score > best[0]:
                best, best_words = (score, sorted(matched)), found
        indices = best[1]
        if not indices:
            out.append(Aligned(item, ()))
            continue
        first, last = indices[0], indices[-1]
        chosen = (
            range(first, last + 1) if last - first + 1 <= MAX_SPAN_WORDS else indices
        )
        out.append(Aligned(item, tuple(best_words[k][0] for k in chosen)))
    return out


def gold_code(raw: str, gold: Collection[str]) -> str | None:
    """The note's mapped gold code an evidence span's raw CodiEsp code stands for: the same
    code, or the one it was mapped to (an ancestor or child), else None."""
    code = to_cm_form(raw)
    if code in gold:
        return code
    bare = code.replace(".", "")
    for other in sorted(gold):
        plain_other = other.replace(".", "")
        if bare.startswith(plain_other) or plain_other.startswith(bare):
            return other
    return None


@dataclass(frozen=True, slots=True)
class AnnotatedNote:
    """What one coded note teaches: its annotated (phrase key, code) pairs, and every phrase
    key of it (to count how often a phrase occurs without being annotated)."""

    pairs: frozenset[tuple[tuple[str, ...], str]]
    keys: frozenset[tuple[str, ...]]


def annotate(
    doc: Document, gold: Collection[str], words: Mapping[str, tuple[str, ...]]
) -> AnnotatedNote:
    """The annotated phrases of a train note (its evidence spans aligned, codes mapped)."""
    pairs = set()
    for aligned in align(doc.text, doc.evidence, words):
        code = gold_code(aligned.evidence.code, gold)
        if code is None or not aligned.words or len(aligned.words) > MAX_ANNOTATED:
            continue
        pairs.add((bag(tuple(t.norm for t in aligned.words)), code))
    return AnnotatedNote(frozenset(pairs), frozenset(ngram_keys(doc.text, MAX_ANNOTATED)))


def learn_annotated(
    notes: Iterable[AnnotatedNote], name: str = "codiesp-annotated"
) -> Associations:
    """Annotated phrase -> code associations: a phrase's precision for a code is the share of
    the notes holding the phrase in which it is the annotated evidence of the code.

    Unlike note-level associations a single annotation is kept (support 1): the alignment,
    not co-occurrence, ties the phrase to the code, and the ranker weighs the precision.
    """
    notes = list(notes)
    pair_notes: Counter[tuple[tuple[str, ...], str]] = Counter()
    for note in notes:
        pair_notes.update(note.pairs)
    annotated = {key for key, _ in pair_notes}
    holding: Counter[tuple[str, ...]] = Counter()
    for note in notes:
        holding.update(note.keys & annotated)
    grouped: defaultdict[tuple[str, ...], list[Association]] = defaultdict(list)
    for (key, code), support in pair_notes.items():
        precision = support / max(holding[key], support)
        grouped[key].append(Association(code, round(precision, 4), support))
    phrases = {
        key: tuple(sorted(items, key=lambda a: (-a.precision, -a.support, a.code)))
        for key, items in grouped.items()
    }
    return Associations(phrases, {}, name)
