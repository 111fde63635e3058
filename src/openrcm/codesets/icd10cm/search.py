"""The encoder search: free text in, ranked codes out.

Ranking, per document (index path, table cell, title or inclusion term):

* coverage: the share of the query's information (words weighted by rarity, IDF) that the
  document contains; it dominates, so a document naming every word of the query wins;
* precision: the share of the document's words the query asked for, so "hypertension" finds
  the main term *Hypertension* before *Hypertension > with > heart failure*;
* a small bonus by source (index first, as a coder works) and for billable codes.

A code scores as its best document. Query words are expanded first (abbreviations and lay
terms from ``data/icd10cm/abbreviations.tsv``), put in singular, and words the release does
not know are corrected to a known word within 1 edit (2 for words of 8+ letters).
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openrcm.codesets.icd10cm.errors import EmptyQuery
from openrcm.codesets.icd10cm.search_index import KIND_INDEX, KIND_NAMES, KIND_TITLE
from openrcm.codesets.icd10cm.text import SOFT_WORDS, edit_distance, stem, tokens, words

ABBREVIATIONS_FILE = Path(__file__).resolve().parent.parent / "data" / "icd10cm" / (
    "abbreviations.tsv"
)
_KIND_BONUS = (0.6, 0.45, 0.3, 0.35, 0.2)
# Words in more documents than this are "common" (see search()).
_COMMON = 5000
# Above this many near-best documents, only the documents matching the most words are scored.
_MAX_CANDIDATES = 2000


def load_abbreviations(path: Path = ABBREVIATIONS_FILE) -> dict[tuple[str, ...], str]:
    """Read ``term<TAB>expansion`` lines (``#`` comments) into word tuples -> expansion."""
    table: dict[tuple[str, ...], str] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        term, sep, expansion = line.partition("\t")
        if not sep or not expansion.strip():
            raise ValueError(f"{path.name}: line {lineno}: expected TERM<TAB>EXPANSION")
        table[tuple(words(term))] = expansion.strip()
    return table


def expand(query: str, table: dict[tuple[str, ...], str]) -> str:
    """Replace abbreviations and lay terms by their clinical wording, longest match first."""
    ws = words(query)
    longest = max((len(k) for k in table), default=0)
    out: list[str] = []
    i = 0
    while i < len(ws):
        for n in range(min(longest, len(ws) - i), 0, -1):
            hit = table.get(tuple(ws[i : i + n]))
            if hit is not None:
                out.append(hit)
                i += n
                break
        else:
            out.append(ws[i])
            i += 1
    return " ".join(out)


@dataclass(frozen=True, slots=True)
class RawHit:
    """A code with its best document, before the code set adds titles and notes."""

    code: str
    score: float
    matched: str
    source: str


class SearchIndex:
    """Query one release's compiled search index (see search_index.py)."""

    def __init__(
        self,
        data: dict[str, Any],
        abbreviations: dict[tuple[str, ...], str],
        spelling: Callable[[], dict[str, str]],
    ) -> None:
        self._codes: list[str] = data["codes"]
        self._kinds: list[int] = data["kinds"]
        self._texts: list[str] = data["texts"]
        self._lens: list[float] = data["lens"]
        self._postings: dict[str, tuple[int, ...]] = data["postings"]
        self._optional: dict[str, tuple[int, ...]] = data["optional"]
        self._abbrev = abbreviations
        self._n = len(self._codes)
        self._spelling_loader = spelling
        self._deletes: dict[str, str] | None = None

    # --- spelling ------------------------------------------------------------------------
    def _delete_map(self) -> dict[str, str]:
        if self._deletes is None:
            self._deletes = self._spelling_loader()
        return self._deletes

    def correct(self, word: str) -> str | None:
        """The known word closest to ``word`` (1 edit, 2 for 8+ letters), most frequent first."""
        if len(word) < 5 or word.isdigit():
            return None
        limit = 2 if len(word) >= 8 else 1
        variants = {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}
        if limit == 2:
            variants |= {v[:i] + v[i + 1 :] for v in list(variants) for i in range(len(v))}
        table = self._delete_map()
        best: tuple[int, int, str] | None = None
        for v in variants:
            for cand in table.get(v, "").split():
                d = edit_distance(word, cand, limit)
                if d <= limit:
                    key = (d, -len(self._postings[cand]), cand)
                    if best is None or key < best:
                        best = key
        return best[2] if best else None

    # --- query ---------------------------------------------------------------------------
    def query_tokens(self, text: str) -> list[str]:
        """The tokens searched for ``text``: expanded, singular, spelling-corrected, unique."""
        out: list[str] = []
        for tok in tokens(expand(text, self._abbrev)):
            if tok not in self._postings and tok not in self._optional:
                fixed = self.correct(tok)
                if fixed is None and stem(tok) != tok:
                    fixed = self.correct(stem(tok))
                tok = fixed or tok
            if tok not in out:
                out.append(tok)
        return out

    def search(
        self, text: str, limit: int, billable: Callable[[str], bool] | None = None
    ) -> list[RawHit]:
        """Rank codes for ``text``; codes ``billable`` accepts get a small bonus."""
        if not text or not text.strip():
            raise EmptyQuery("empty search query", hint="type a diagnosis, e.g. 'type 2 diabetes'")
        toks = self.query_tokens(text)
        if all(t in SOFT_WORDS for t in toks):
            raise EmptyQuery(
                # The query is not echoed: free text typed from a note may hold PHI.
                f"search query has no searchable words ({len(text.split())} filler words)",
                hint="use clinical words, not only words such as 'of', 'with' or 'other'",
            )
        df = {t: len(self._postings.get(t, ())) + len(self._optional.get(t, ())) for t in toks}
        weights = {t: math.log(1 + self._n / (1 + df[t])) for t in toks}
        total = sum(weights.values())
        # Count matched words per document in C (Counter.update), keep the documents within
        # one word of the best (and matching at least two words when the best match two or
        # more), and score only those exactly.
        # Very common words (left, disease, unspecified) only refine the score: they do not
        # widen the candidate set, unless the query has nothing rarer.
        rare = [t for t in toks if df[t] <= _COMMON] or [min(toks, key=lambda t: df[t])]
        counts: Counter[int] = Counter()
        for t in rare:
            counts.update(self._postings.get(t, ()))
            counts.update(self._optional.get(t, ()))
        if not counts:
            return []
        most = max(counts.values())
        floor = max(most - 1, min(most, 2))
        cands = [d for d, c in counts.items() if c >= floor]
        if len(cands) < 5 * limit and floor > 1:
            # Few documents match that many words: also take short documents matching one
            # word fewer ("Pneumonia" for "community acquired pneumonia").
            sizes = self._lens
            cands += [d for d, c in counts.items() if c == floor - 1 and c / sizes[d] >= 0.5]
        if len(cands) > _MAX_CANDIDATES:
            cands = [d for d, c in counts.items() if c >= most]
        pool = set(cands)
        matched_w = dict.fromkeys(cands, 0.0)
        matched_req = dict.fromkeys(cands, 0)
        for t in toks:
            w = weights[t]
            for d in pool.intersection(self._postings.get(t, ())):
                matched_w[d] += w
                matched_req[d] += 1
            for d in pool.intersection(self._optional.get(t, ())):
                matched_w[d] += w
        best: dict[str, tuple[float, int]] = {}
        lens, kinds, codes, scale = self._lens, self._kinds, self._codes, 10.0 / total
        for d, mw in matched_w.items():
            req, size = matched_req[d], lens[d]
            score = scale * mw + (2.0 * req / size if req < size else 2.0) + _KIND_BONUS[kinds[d]]
            code = codes[d]
            prev = best.get(code)
            if prev is None or score > prev[0]:
                best[code] = (score, d)
        top = heapq.nlargest(limit * 3, best.items(), key=lambda kv: (kv[1][0], -len(kv[0])))
        top.sort(key=lambda kv: (-kv[1][0], len(kv[0]), kv[0]))
        if billable is not None:
            top = [(c, (s + (0.3 if billable(c) else 0.0), d)) for c, (s, d) in top]
            top.sort(key=lambda kv: (-kv[1][0], len(kv[0]), kv[0]))
        return [
            RawHit(code, round(score, 3), self._describe(d), KIND_NAMES[self._kinds[d]])
            for code, (score, d) in top[:limit]
        ]

    def _describe(self, doc: int) -> str:
        kind = self._kinds[doc]
        if kind == KIND_TITLE:
            return f"title: {self._texts[doc]}"
        if kind == KIND_INDEX:
            return f"index: {self._texts[doc]}"
        return f"{KIND_NAMES[kind]}: {self._texts[doc]}"
