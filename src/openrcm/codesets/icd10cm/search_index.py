"""Build the encoder search index of one release: documents and an inverted index.

A document is one way a coder reaches a code: an index path (``Diabetes, diabetic > type 2 >
with > chronic kidney disease`` -> E11.22), a ``see`` reference followed to its target, a row
and column of the Drug or Neoplasm table, a tabular title or an inclusion term. Index codes
are reconciled with the release first: a code the release no longer lists is dropped, so a
search on a FY2026 date never offers a code deleted in FY2026.

Compiled form (marshal-able)::

    {"codes": [code, ...], "kinds": [int, ...], "texts": [str, ...], "lens": [float, ...],
     "postings": {token: (doc, ...)}, "optional": {token: (doc, ...)}}

``optional`` holds words of nonessential modifiers: they help a match but a document is not
penalised for lacking them in the query.
"""

from __future__ import annotations

from typing import Any

from openrcm.codesets.icd10cm.alpha_index import (
    CELLS,
    CHILDREN,
    CODE,
    NEMOD,
    SEE,
    TITLE,
    AlphabeticIndex,
    IndexPart,
    TermTuple,
)
from openrcm.codesets.icd10cm.tabular import TabularData
from openrcm.codesets.icd10cm.text import SOFT_WORDS, tokens

KIND_INDEX, KIND_TITLE, KIND_INCLUSION, KIND_TABLE, KIND_EXTERNAL = range(5)
KIND_NAMES = ("index", "title", "inclusion", "table", "external-cause")


def index_code(raw: str, codes: dict[str, Any]) -> str | None:
    """The tabular code an index code stands for in this release, or None if it has none.

    The index marks incomplete codes with ``-`` (``C79.8-``): the tabular completes them.
    """
    code = raw.strip().rstrip("-").rstrip(".").upper()
    if not code or code == "--":
        return None
    if len(code) > 3 and "." not in code:
        code = f"{code[:3]}.{code[3:]}"
    return code if code in codes else None


def main_term_words(title: str) -> tuple[list[str], list[str]]:
    """Split a main term into required words and variant forms.

    ``Hypertension, hypertensive`` and ``Diabetes, diabetic`` name one thing twice: the word
    after the comma that shares its first four letters with a word before it is a variant
    and optional. ``Abduction contracture, hip`` keeps ``hip`` required.
    """
    head, _, rest = title.partition(",")
    required = tokens(head)
    optional: list[str] = []
    for w in tokens(rest):
        if any(w[:4] == r[:4] for r in required):
            optional.append(w)
        else:
            required.append(w)
    return required, optional


class _Builder:
    def __init__(self) -> None:
        self.codes: list[str] = []
        self.kinds: list[int] = []
        self.texts: list[str] = []
        self.lens: list[float] = []
        self.postings: dict[str, list[int]] = {}
        self.optional: dict[str, list[int]] = {}
        self._seen: set[tuple[str, frozenset[str]]] = set()

    def add(
        self,
        code: str,
        kind: int,
        text: str,
        words: list[str],
        optional: list[str],
        variants: frozenset[str] = frozenset(),
    ) -> None:
        """Add one document; ``variants`` are matched like words but not counted in its
        length (``hypertensive`` in ``Hypertension, hypertensive``)."""
        uniq = frozenset(words)
        key = (code, uniq)
        if not words or key in self._seen:
            return
        self._seen.add(key)
        doc = len(self.codes)
        self.codes.append(code)
        self.kinds.append(kind)
        self.texts.append(text)
        counted = uniq - variants
        soft = len(counted & SOFT_WORDS)
        self.lens.append(max(1.0, len(counted) - soft + 0.5 * soft))
        for w in uniq:
            self.postings.setdefault(w, []).append(doc)
        for w in set(optional) - uniq:
            self.optional.setdefault(w, []).append(doc)

    def result(self) -> dict[str, Any]:
        return {
            "codes": self.codes, "kinds": self.kinds, "texts": self.texts, "lens": self.lens,
            "postings": {w: tuple(d) for w, d in self.postings.items()},
            "optional": {w: tuple(d) for w, d in self.optional.items()},
        }


# A document of the index before reconciliation: (printed code, kind, text, words, optional
# words, variant words). The same list serves every release.
IndexDoc = tuple[str, int, str, list[str], list[str], frozenset[str]]


def index_documents(parts: dict[str, IndexPart]) -> list[IndexDoc]:
    """Every searchable path of the index parts, with the code it prints (once per build)."""
    docs: list[IndexDoc] = []
    cache: dict[str, list[str]] = {}

    def tok(text: str) -> list[str]:
        hit = cache.get(text)
        if hit is None:
            hit = cache[text] = tokens(text)
        return hit

    for kind_name, part in parts.items():
        kind = KIND_EXTERNAL if kind_name == "eindex" else KIND_INDEX
        index = AlphabeticIndex(kind_name, part)
        heads = dict(part["heads"])

        def visit(
            t: TermTuple,
            path: list[str],
            words: list[str],
            optional: list[str],
            variants: frozenset[str],
            kind: int = kind,
            index: AlphabeticIndex = index,
            heads: dict[int, str] = heads,
        ) -> None:
            if not path:
                own, alt = main_term_words(t[TITLE])
                variants = frozenset(alt) - frozenset(own)
                own = own + alt
            else:
                own = tok(t[TITLE])
            path = [*path, t[TITLE]]
            words = [*words, *own]
            optional = [*optional, *tok(t[NEMOD])]
            shown = " > ".join(path)
            if t[CODE]:
                docs.append((t[CODE], kind, shown, words, optional, variants))
            elif t[SEE] and not t[CHILDREN]:
                target = index.resolve_path(t[SEE])
                if target and target.code:
                    docs.append(
                        (target.code, kind, f"{shown} (see {t[SEE]})", words, optional, variants)
                    )
            for col, raw in t[CELLS]:
                if col in heads:
                    docs.append(
                        (
                            raw,
                            KIND_TABLE,
                            f"{shown} [{heads[col]}]",
                            words,
                            optional + tok(heads[col]),
                            variants,
                        )
                    )
            for child in t[CHILDREN]:
                visit(child, path, words, optional, variants)

        for term in part["terms"]:
            visit(term, [], [], [], frozenset())
    return docs


def build_spelling(postings: dict[str, Any]) -> dict[str, str]:
    """Deletion neighbourhood of the vocabulary: a word with one letter removed -> the words
    it comes from (space separated). Lets the search find words within 1-2 edits of a
    misspelling without comparing it with every word."""
    table: dict[str, list[str]] = {}
    for w in postings:
        if len(w) >= 4 and not w.isdigit():
            for v in {w, *(w[:i] + w[i + 1 :] for i in range(len(w)))}:
                table.setdefault(v, []).append(w)
    return {k: " ".join(v) for k, v in table.items()}


def build_search_index(tab: TabularData, docs: list[IndexDoc]) -> dict[str, Any]:
    """Compile the search documents of one release: the index documents whose code the
    release has (``index_documents``), then its tabular titles and inclusion terms."""
    codes: dict[str, Any] = tab["codes"]
    b = _Builder()
    for raw, kind, text, words, optional, variants in docs:
        code = index_code(raw, codes)
        if code:
            b.add(code, kind, text, words, optional, variants)
    for code, node in codes.items():
        b.add(code, KIND_TITLE, node[0], tokens(node[0]), [])
        for note_kind, texts in node[5]:
            if note_kind == "inclusionTerm":
                for text in texts:
                    b.add(code, KIND_INCLUSION, text, tokens(text), [])
    return b.result()
