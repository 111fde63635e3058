"""Word-level normalisation shared by the lexicon and the matcher.

Why bags of words: clinicians and the Alphabetic Index order words differently ("pneumonia,
aspiration" vs "aspiration pneumonia", "kidney disease, chronic"); a term is matched when the
same content words appear together, in any order. Plurals and a few inflections are folded so
"kidneys"/"kidney" and "diabetic"/"diabetes" meet; stop words are dropped on both sides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "and",
        "or",
        "with",
        "without",
        "due",
        "unspecified",
        "nos",
        "nec",
        "other",
        "is",
        "was",
        "were",
        "be",
        "been",
        "being",
        "as",
        "from",
        "his",
        "her",
        "their",
        "its",
        "this",
        "that",
        "these",
        "those",
        "into",
    ]
)
_TOKEN = re.compile(r"[a-z0-9]+(?:'s)?", re.IGNORECASE)
_KEEP = ("ss", "us", "is", "os")
# British spellings of clinical words (the ICD-10-CM index and titles are American): "ae" and
# "oe" digraphs (haemorrhage, anaemia, oedema, oesophagus, faeces, foetal, coeliac, paediatric,
# diarrhoea) and "-our" (tumour). Both sides of a match are folded, so a word that happens to
# contain a pattern still meets itself.
_AMERICAN = {
    "haem": "hem",
    "aemi": "emi",
    "oedem": "edem",
    "oesoph": "esoph",
    "oestr": "estr",
    "faec": "fec",
    "foet": "fet",
    "coel": "cel",
    "paed": "ped",
    "rrhoe": "rrhe",
    "tumour": "tumor",
}
_BRITISH = re.compile(
    "|".join(("^" if k.startswith("oe") else "") + k for k in sorted(_AMERICAN, key=len)[::-1])
)


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case, fold British spelling and a plural: ``kidneys`` -> ``kidney``,
    ``oedemas`` -> ``edema``, ``anaemia`` -> ``anemia``."""
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    w = _BRITISH.sub(lambda m: _AMERICAN[m.group(0)], w)
    if len(w) <= 3 or w.endswith(_KEEP):
        return w
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith("oses"):
        return w[:-2] + "is"
    if w.endswith("tases"):
        return w[:-2] + "is"
    if w.endswith("sses"):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    return w


@dataclass(frozen=True, slots=True)
class Token:
    """A content word of the note with its offsets (``norm`` is the folded form)."""

    norm: str
    start: int
    end: int


def tokens(text: str, start: int = 0, end: int | None = None) -> tuple[Token, ...]:
    """Content words of ``text[start:end]`` with offsets into ``text``."""
    return _tokens(text, start, len(text) if end is None else end)


@lru_cache(maxsize=128)
def _tokens(text: str, start: int, stop: int) -> tuple[Token, ...]:
    """Why cached: the pipeline, the neighbour index, the phrase votes and the title cover
    each read the words of the same note and sentences; the tokens are immutable values.
    Small on purpose: it need hold one note's sentences, and notes are PHI, so a service
    process keeps no more of them in memory than the last one or two."""
    return tuple(
        Token(norm, m.start(), m.end())
        for m in _TOKEN.finditer(text, start, stop)
        if (norm := fold(m.group(0))) not in STOPWORDS
    )


@lru_cache(maxsize=65536)
def words(phrase: str) -> tuple[str, ...]:
    """Folded content words of a phrase."""
    return tuple(t.norm for t in tokens(phrase))


def bag(phrase_words: tuple[str, ...]) -> tuple[str, ...]:
    """Order-free key of a phrase."""
    return tuple(sorted(phrase_words))
