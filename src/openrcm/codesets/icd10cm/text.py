"""Words as the encoder search compares them: lower case, singular, no filler words.

The same function reads the tabular list, the index and the user's query, so "fractures of
the femur" and "Fracture of femur" meet on ``fracture femur``.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+")

# Words that carry no meaning for finding a code. "with" and "without" are kept: titles and
# index paths differ on them ("with abnormal findings" / "without abnormal findings").
STOPWORDS = frozenset(
    {
        "a", "an", "and", "the", "of", "in", "on", "at", "to", "by", "for", "or", "as", "is",
        "are", "be", "from", "into", "than", "nos", "nec", "due",
        "classified", "elsewhere",
    }
)

# Words that say little about what a document is ("unspecified", "other", the index's "with"
# level): they count half in a document's length, so lacking them in a query costs little.
SOFT_WORDS = frozenset(
    {"unspecified", "specified", "site", "not", "organism", "part", "other", "primary", "with"}
)


def stem(word: str) -> str:
    """A light English singular: ``infections`` -> ``infection``, ``injuries`` -> ``injury``.

    Latin endings (``-is``, ``-us``) and double ``s`` are left alone (arthritis, mellitus,
    abscess).
    """
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The raw lower-case words of ``text``, in order (no stemming, no stopwords)."""
    return _WORD.findall(text.lower())


def tokens(text: str) -> list[str]:
    """Search tokens of ``text``: words, singular, without stopwords, in order."""
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count 1), or ``limit + 1`` when larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1] if prev[-1] <= limit else limit + 1
