"""``ICD10CM``: the ICD-10-CM code set for a date of service, as one Python object.

This is the API the coding engine, the claim scrubber, the CLI and the HTTP API share. Every
question takes the date of service (``on``); the release in force on that date answers it.
Without a date, the newest loaded release answers.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openrcm.codesets.icd10cm.alpha_index import AlphabeticIndex
from openrcm.codesets.icd10cm.codes import normalize
from openrcm.codesets.icd10cm.errors import DateOutsideReleases, MalformedCode, UnknownCode
from openrcm.codesets.icd10cm.model import CodeInfo, CodeRef, Note, SearchHit, Validation
from openrcm.codesets.icd10cm.refine import best_descendant, encounter_intent, seventh_for
from openrcm.codesets.icd10cm.release import BLOCK, CHAPTER, Resolved, TabularRelease
from openrcm.codesets.icd10cm.releases import Release
from openrcm.codesets.icd10cm.search import SearchIndex, load_abbreviations
from openrcm.codesets.icd10cm.store import Store, open_store

# Notes a coder must check before assigning a code found by search.
CHECK_KINDS = frozenset(
    {"excludes1", "codeFirst", "useAdditionalCode", "codeAlso", "sevenChrNote"}
)
INDEX_PARTS = ("index", "drug", "neoplasm", "eindex")


class ICD10CM:
    """The loaded ICD-10-CM releases; parts are read from the compiled store on first use."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.releases: tuple[Release, ...] = store.releases
        self._tabular: dict[str, TabularRelease] = {}
        self._search: dict[str, SearchIndex] = {}
        self._index: dict[str, AlphabeticIndex] = {}
        self._history: dict[str, tuple[str, ...]] | None = None

    # --- releases ---------------------------------------------------------------------------
    def release_for(self, on: date | None = None) -> Release:
        """The release in force on ``on`` (the newest when ``on`` is None)."""
        if on is None:
            return self.releases[-1]
        for rel in self.releases:
            if rel.covers(on):
                return rel
        windows = ", ".join(f"{r.name} {r.window()}" for r in self.releases)
        raise DateOutsideReleases(
            f"date of service {on.isoformat()} is outside every loaded ICD-10-CM release "
            f"({windows})",
            hint="import the release of that fiscal year: openrcm codes import icd10cm-tabular",
        )

    def tabular(self, on: date | None = None) -> TabularRelease:
        """The tabular list in force on ``on``."""
        rel = self.release_for(on)
        if rel.name not in self._tabular:
            self._tabular[rel.name] = TabularRelease(rel, self._store.load(f"{rel.name}.tabular"))
        return self._tabular[rel.name]

    # --- lookup -----------------------------------------------------------------------------
    def _resolve(self, code: str, on: date | None) -> tuple[TabularRelease, Resolved]:
        norm = normalize(code)
        tab = self.tabular(on)
        res = tab.resolve(norm)
        if res is None:
            raise UnknownCode(self._absent_reason(norm, tab)[1], hint=self._absent_hint(norm, tab))
        return tab, res

    def lookup(self, code: str, on: date | None = None) -> CodeInfo:
        """Everything the tabular list says about ``code`` on the date of service ``on``.

        Raises:
            MalformedCode: ``code`` cannot be an ICD-10-CM code.
            UnknownCode: the release in force on ``on`` does not have it (the message says
                whether another release does).
            DateOutsideReleases: no loaded release covers ``on``.
        """
        tab, res = self._resolve(code, on)
        node = tab.node(res.base)
        chapter, block = node[CHAPTER], node[BLOCK]
        seventh_source, seventh = tab.seventh_options(res)
        needs = tab.needs_seventh(res.base)
        parents = tuple(
            CodeRef(a, tab.title(a), False) for a in tab.ancestors(res.base)
        ) + ((CodeRef(res.base, tab.title(res.base), False),) if res.seventh else ())
        valid_from, valid_to = self.validity(res.base)
        return CodeInfo(
            code=res.code,
            title=tab.full_title(res),
            billable=tab.is_billable(res),
            level=tab.level(res),
            release=tab.release.name,
            chapter=chapter,
            chapter_title=str(tab.chapter(chapter)[0]),
            block=block,
            block_title=str(tab.block(block)[0]),
            parents=parents,
            children=tab.children(res),
            notes=tab.inherited_notes(res),
            seventh=seventh if (needs or res.seventh) else (),
            seventh_source=seventh_source if (needs or res.seventh) else "",
            placeholder=needs and len(res.base.replace(".", "")) < 6,
            valid_from=valid_from,
            valid_to=valid_to,
        )

    def validity(self, code: str) -> tuple[date, date]:
        """First and last date of service on which a listed code is valid, over all releases."""
        if self._history is None:
            self._history = self._store.load("history")
        names = self._history.get(code)
        held = [r for r in self.releases if names is None or r.name in names]
        if not held:
            raise UnknownCode(f"{code} is not in any loaded ICD-10-CM release")
        return held[0].effective_from, held[-1].effective_to

    def children(self, code: str, on: date | None = None) -> tuple[CodeRef, ...]:
        """Direct children of ``code``: listed sub-codes or generated 7-character codes."""
        tab, res = self._resolve(code, on)
        return tab.children(res)

    def billable_descendants(
        self, code: str, on: date | None = None, limit: int = 1000
    ) -> tuple[CodeRef, ...]:
        """Every billable code at or below ``code`` (what completes a category)."""
        tab, res = self._resolve(code, on)
        if res.seventh:
            return (CodeRef(res.code, tab.full_title(res), True),)
        return tab.billable_descendants(res.base, limit)

    def inherited_notes(self, code: str, on: date | None = None) -> tuple[Note, ...]:
        """Every note that applies to ``code``, with the level (chapter, block, category,
        subcategory, code) and the code or block that carries it."""
        tab, res = self._resolve(code, on)
        return tab.inherited_notes(res)

    # --- validation ---------------------------------------------------------------------------
    def validate(self, code: str, on: date | None = None) -> Validation:
        """May ``code`` go on a claim for a visit on ``on``? Never raises for a bad code.

        Raises:
            DateOutsideReleases: no loaded release covers ``on`` (a bad date is a bad request,
                not a bad code).
        """
        tab = self.tabular(on)
        rel = tab.release.name
        try:
            norm = normalize(code)
        except MalformedCode as exc:
            return Validation(code, "", "invalid", MalformedCode.code, exc.message, rel)
        res = tab.resolve(norm)
        if res is None:
            reason_code, reason = self._absent_reason(norm, tab)
            return Validation(code, norm, "invalid", reason_code, reason, rel)
        title = tab.full_title(res)
        if tab.is_billable(res):
            return Validation(code, norm, "billable", "ICD10CM-BILLABLE",
                              f"{norm} is valid and billable in {rel}", rel, title)
        more = tab.billable_descendants(res.base, 20)
        if tab.needs_seventh(res.base):
            return Validation(
                code, norm, "not-billable", "ICD10CM-SEVENTH-MISSING",
                f"{norm} needs a 7th character ({rel})", rel, title, tab.children(res),
            )
        return Validation(
            code, norm, "not-billable", "ICD10CM-HEADER",
            f"{norm} is a header code in {rel}: it has {len(more)}"
            f"{'+' if len(more) == 20 else ''} more specific billable codes",
            rel, title, more,
        )

    def _absent_reason(self, norm: str, tab: TabularRelease) -> tuple[str, str]:
        """Why ``norm`` is not a code of ``tab``: not yet added, deleted, bad 7th char, unknown."""
        rel = tab.release
        comp = norm.replace(".", "")
        if len(comp) == 7:
            base = tab.seventh_base(norm)
            if base is not None and tab.needs_seventh(base):
                padded = base.replace(".", "").ljust(6, "X")
                if comp[:6] != padded:
                    return ("ICD10CM-PLACEHOLDER",
                            f"{norm}: {base} takes the 7th character in position 7, with X "
                            f"filling the empty positions ({padded[:3]}.{padded[3:]}?) "
                            f"in {rel.name}")
                options = "".join(c for c, _ in tab.seventh_chars(base))
                return ("ICD10CM-SEVENTH-INVALID",
                        f"{norm}: 7th character {comp[6]!r} is not one of {options!r} for "
                        f"{base} in {rel.name}")
        if self._history is None:
            self._history = self._store.load("history")
        probe = norm
        if len(comp) == 7:
            probe = tab.seventh_base(norm) or norm
        names = self._history.get(norm) or (
            self._history.get(probe) if probe != norm else None
        )
        if names:
            held = [r for r in self.releases if r.name in names]
            if held and held[0].effective_from > rel.effective_to:
                return ("ICD10CM-NOT-YET-VALID",
                        f"{norm} is not valid before {held[0].effective_from.isoformat()} "
                        f"(added in {held[0].name}); the date falls in {rel.name} "
                        f"{rel.window()}")
            if held and held[-1].effective_to < rel.effective_from:
                return ("ICD10CM-DELETED",
                        f"{norm} was deleted after {held[-1].effective_to.isoformat()} "
                        f"(last in {held[-1].name}); the date falls in {rel.name} "
                        f"{rel.window()}")
        return ("ICD10CM-UNKNOWN",
                f"{norm} is not an ICD-10-CM code in {rel.name} {rel.window()}")

    def _absent_hint(self, norm: str, tab: TabularRelease) -> str:
        cat = norm[:3]
        if tab.has_node(cat):
            return f"see category {cat} ({tab.title(cat)}): openrcm codes show {cat}"
        return "search by description: openrcm codes search TEXT"

    # --- search -------------------------------------------------------------------------------
    def search(self, text: str, on: date | None = None, limit: int = 10) -> list[SearchHit]:
        """Free text -> ranked codes of the release in force on ``on``.

        Raises:
            EmptyQuery: ``text`` is empty or holds only filler words.
            DateOutsideReleases: no loaded release covers ``on``.
        """
        tab = self.tabular(on)
        name = tab.release.name
        if name not in self._search:
            self._search[name] = SearchIndex(
                self._store.load(f"{name}.search"),
                load_abbreviations(),
                lambda: self._store.load(f"{name}.spelling"),
            )
        index = self._search[name]

        def billable(code: str) -> bool:
            return tab.is_billable(Resolved(code, code, ""))

        intent = encounter_intent(text)
        limit = max(1, limit)
        seen: set[str] = set()
        hits: list[SearchHit] = []

        def add(code: str, score: float, matched: str, source: str) -> None:
            full = seventh_for(tab, code, intent)
            if full is not None:
                res = tab.resolve(full)
                matched = f"{matched} + 7th character ({intent.meaning})"
            else:
                res = Resolved(code, code, "")
            if res is None or res.code in seen or len(hits) >= limit:
                return
            seen.add(res.code)
            is_billable = tab.is_billable(res)
            notes = tuple(n for n in tab.inherited_notes(res) if n.kind in CHECK_KINDS)
            children = () if is_billable else (
                tab.children(res) if tab.needs_seventh(res.base)
                else tab.billable_descendants(res.base, 20))
            hits.append(SearchHit(res.code, tab.full_title(res), is_billable, score, matched,
                                  source, notes, children))

        for raw in index.search(intent.text, limit, billable):
            # A header is preceded by its best billable descendant: the first hit should be a
            # code that can go on a claim; the header follows with all its children.
            if not billable(raw.code) and not tab.needs_seventh(raw.code):
                child = best_descendant(tab, raw.code, intent.text)
                if child is not None:
                    add(child, raw.score,
                        f"more specific code under {raw.code}; {raw.matched}", raw.source)
            add(raw.code, raw.score, raw.matched, raw.source)
        return hits

    # --- index ------------------------------------------------------------------------------
    def index_part(self, kind: str) -> AlphabeticIndex:
        """One part of the index: ``index`` (Alphabetic Index), ``drug``, ``neoplasm`` or
        ``eindex`` (External Cause Index)."""
        if kind not in INDEX_PARTS:
            raise ValueError(f"unknown index part {kind!r}; expected one of {INDEX_PARTS}")
        if kind not in self._index:
            parts = self._store.load("index")
            self._index[kind] = AlphabeticIndex(kind, parts[kind])
        return self._index[kind]

    @property
    def index(self) -> AlphabeticIndex:
        """The Alphabetic Index (main terms and subterms)."""
        return self.index_part("index")


def open_icd10cm(home: Path) -> ICD10CM:
    """Open (building on first use, or when a source changed) the store under ``home``."""
    from openrcm.codesets.icd10cm.compile import build_all

    return ICD10CM(open_store(home, build_all))
