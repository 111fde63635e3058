"""One compiled tabular release: hierarchy, 7th characters and inherited notes.

The XML lists codes up to six characters. Codes that take a 7th character (injuries,
pregnancy, some musculoskeletal and eye codes) are valid only with it, and the XML does not
list those 7-character codes: they are generated here from the nearest ``sevenChrDef`` above
the code, with ``X`` filling positions 4-6 of codes shorter than six characters.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openrcm.codesets.icd10cm.model import CodeRef, Note, SeventhCharacter
from openrcm.codesets.icd10cm.releases import Release
from openrcm.codesets.icd10cm.tabular import TabularData

# 7th-character restrictions the XML states only in prose (a <notes> of the category):
# (category, 6th character) -> the 7th characters allowed. S06: "7th characters D and S do
# not apply to codes in category S06 with 6th character 7 ... or 8 ...".
SEVENTH_RESTRICTIONS: dict[tuple[str, str], str] = {("S06", "7"): "A", ("S06", "8"): "A"}

# Field positions of a compiled code tuple (see tabular.py).
TITLE, PARENT, BLOCK, CHAPTER, CHILDREN, NOTES, SEVEN_DEF, SEVEN_NOTE = range(8)


@dataclass(frozen=True, slots=True)
class Resolved:
    """A code found in a release: the tabular node and, for generated codes, the 7th char."""

    code: str
    base: str
    seventh: str


def _compact(code: str) -> str:
    return code.replace(".", "")


def _dotted(compact: str) -> str:
    return compact if len(compact) <= 3 else f"{compact[:3]}.{compact[3:]}"


class TabularRelease:
    """Read-only view of one compiled release (``TabularData``) with the tabular rules."""

    def __init__(self, release: Release, data: TabularData) -> None:
        self.release = release
        self._chapters: dict[str, tuple[Any, ...]] = data["chapters"]
        self._blocks: dict[str, tuple[Any, ...]] = data["blocks"]
        self._codes: dict[str, tuple[Any, ...]] = data["codes"]

    # --- structure -------------------------------------------------------------------
    def has_node(self, code: str) -> bool:
        """True when the XML lists ``code`` (tabular form)."""
        return code in self._codes

    def node_codes(self) -> Iterator[str]:
        """Every code the XML lists, in document order."""
        return iter(self._codes)

    def title(self, code: str) -> str:
        """The tabular description of a listed code."""
        return str(self._codes[code][TITLE])

    def node(self, code: str) -> tuple[Any, ...]:
        """The compiled tuple of a listed code; index it with TITLE, PARENT, ... NOTES."""
        return self._codes[code]

    def chapter(self, num: str) -> tuple[Any, ...]:
        """The compiled chapter: (title, block ids, notes)."""
        return self._chapters[num]

    def block(self, bid: str) -> tuple[Any, ...]:
        """The compiled block (section): (title, chapter, category codes, notes)."""
        return self._blocks[bid]

    def ancestors(self, code: str) -> list[str]:
        """Codes above ``code``, category first, excluding ``code`` itself."""
        out = []
        parent = self._codes[code][PARENT]
        while parent:
            out.append(parent)
            parent = self._codes[parent][PARENT]
        out.reverse()
        return out

    # --- 7th characters ----------------------------------------------------------------
    def seventh_def(self, code: str) -> tuple[str, tuple[tuple[str, str], ...], str]:
        """The nearest 7th-character definition at or above ``code``: (source, chars, note)."""
        cur = code
        while cur:
            node = self._codes[cur]
            if node[SEVEN_DEF]:
                return cur, node[SEVEN_DEF], node[SEVEN_NOTE]
            cur = node[PARENT]
        return "", (), ""

    def seventh_chars(self, code: str) -> tuple[tuple[str, str], ...]:
        """The 7th characters a leaf takes, after the category's prose restrictions."""
        chars: tuple[tuple[str, str], ...] = self.seventh_def(code)[1]
        comp = _compact(code)
        allowed = SEVENTH_RESTRICTIONS.get((comp[:3], comp[5:6]))
        if allowed is not None and len(comp) == 6:
            chars = tuple(c for c in chars if c[0] in allowed)
        return chars

    def needs_seventh(self, code: str) -> bool:
        """True for a leaf that is only complete with a 7th character."""
        node = self._codes[code]
        return not node[CHILDREN] and len(_compact(code)) < 7 and bool(self.seventh_def(code)[1])

    def resolve(self, code: str) -> Resolved | None:
        """Find ``code`` (tabular form) as a listed node or a generated 7-character code.

        A generated code is accepted only when its base is a leaf with 7th-character options,
        the 7th character is one of them, and exactly the positions up to the 6th are filled
        with ``X``.
        """
        if code in self._codes:
            return Resolved(code, code, "")
        comp = _compact(code)
        if len(comp) != 7:
            return None
        base = comp[:6]
        while _dotted(base) not in self._codes and base.endswith("X"):
            base = base[:-1]
        dotted = _dotted(base)
        if dotted not in self._codes or not self.needs_seventh(dotted):
            return None
        chars = dict(self.seventh_chars(dotted))
        if comp[6] not in chars:
            return None
        return Resolved(code, dotted, comp[6])

    def seventh_base(self, code: str) -> str | None:
        """For a malformed 7-character code, the listed base it was meant for (for messages)."""
        comp = _compact(code)
        base = comp[:6].rstrip("X")
        while len(base) > 3 and _dotted(base) not in self._codes:
            base = base[:-1]
        dotted = _dotted(base)
        return dotted if dotted in self._codes else None

    def generated(self, base: str) -> list[str]:
        """The 7-character codes of a leaf that needs a 7th character."""
        if not self.needs_seventh(base):
            return []
        padded = _compact(base).ljust(6, "X")
        return [_dotted(padded + ch) for ch, _ in self.seventh_chars(base)]

    # --- billable ------------------------------------------------------------------------
    def is_billable(self, resolved: Resolved) -> bool:
        if resolved.seventh:
            return True
        node = self._codes[resolved.base]
        return not node[CHILDREN] and not self.needs_seventh(resolved.base)

    def children(self, resolved: Resolved) -> tuple[CodeRef, ...]:
        """Direct children: listed sub-codes, or the generated 7-character codes of a leaf."""
        if resolved.seventh:
            return ()
        node = self._codes[resolved.base]
        if node[CHILDREN]:
            return tuple(
                CodeRef(c, self.title(c), self.is_billable(Resolved(c, c, "")))
                for c in node[CHILDREN]
            )
        meanings = dict(self.seventh_chars(resolved.base))
        return tuple(
            CodeRef(g, f"{node[TITLE]}, {meanings[g[-1]]}", True)
            for g in self.generated(resolved.base)
        )

    def billable_descendants(self, code: str, limit: int = 1000) -> tuple[CodeRef, ...]:
        """Every billable code at or below ``code`` (listed or generated), up to ``limit``."""
        out: list[CodeRef] = []
        stack = [code]
        while stack and len(out) < limit:
            cur = stack.pop()
            res = Resolved(cur, cur, "")
            if self.is_billable(res):
                out.append(CodeRef(cur, self.title(cur), True))
            elif self._codes[cur][CHILDREN]:
                stack.extend(reversed(self._codes[cur][CHILDREN]))
            else:
                out.extend(self.children(res))
        return tuple(out[:limit])

    def full_title(self, resolved: Resolved) -> str:
        title = self.title(resolved.base)
        if resolved.seventh:
            meaning = dict(self.seventh_chars(resolved.base))[resolved.seventh]
            return f"{title}, {meaning}"
        return title

    # --- notes -------------------------------------------------------------------------
    def inherited_notes(self, resolved: Resolved) -> tuple[Note, ...]:
        """Every note that applies, from the chapter down to the code itself.

        Inclusion terms describe one code only, so they are taken from the code itself;
        every other note applies to all codes below the level that carries it.
        """
        base = resolved.base
        node = self._codes[base]
        chapter_num, block_id = node[CHAPTER], node[BLOCK]
        out: list[Note] = []
        for kind, texts in self._chapters[chapter_num][2]:
            out.extend(Note(kind, t, "chapter", chapter_num) for t in texts)
        for kind, texts in self._blocks[block_id][3]:
            out.extend(Note(kind, t, "block", block_id) for t in texts)
        for anc in self.ancestors(base):
            level = "category" if len(anc) == 3 else "subcategory"
            for kind, texts in self._codes[anc][NOTES]:
                if kind != "inclusionTerm":
                    out.extend(Note(kind, t, level, anc) for t in texts)
        own_level = self.level(resolved)
        for kind, texts in node[NOTES]:
            out.extend(Note(kind, t, own_level, base) for t in texts)
        source, _, snote = self.seventh_def(base)
        if snote:
            level = "category" if len(source) == 3 else "subcategory"
            out.append(Note("sevenChrNote", snote, level if source != base else own_level,
                            source))
        return tuple(out)

    def level(self, resolved: Resolved) -> str:
        if resolved.seventh:
            return "code"
        base = resolved.base
        if len(base) == 3:
            return "category"
        return "subcategory" if self._codes[base][CHILDREN] else "code"

    def seventh_options(self, resolved: Resolved) -> tuple[str, tuple[SeventhCharacter, ...]]:
        source = self.seventh_def(resolved.base)[0]
        chars = self.seventh_chars(resolved.base)
        return source, tuple(SeventhCharacter(c, m) for c, m in chars)
