"""NCCI procedure-to-procedure (PTP) edits as a compact, date-aware table.

The practitioner table has 2.5 million pairs and the scrubber asks about every pair of lines on
every claim, so the table is four parallel arrays sorted by a packed 52-bit pair key (see
``codes.pair_key``) and a lookup is one ``bisect`` in C plus a short scan over the rows of that
pair. That keeps the full practitioner table near 45 MB and a lookup around a microsecond, and
the arrays serialise to one binary file that loads in well under a second.

Dates: an edit is in effect from its effective date through its deletion date, both inclusive
(CMS writes the last day of a quarter as the deletion date). A pair can appear several times
(an edit deleted and later re-added with another modifier indicator); a lookup answers with the
row in effect on the date of service, the one ending soonest when several are. Sources without
effective dates (the northstar copy shipped here, effective 2024-07-01 "or earlier") give
``effective=None``: the edit is taken as in effect on every date up to its deletion.
"""

from __future__ import annotations

import json
import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from openrcm.codesets.edits.codes import (
    CODE_BITS,
    NO_END,
    NO_END_DAY,
    UNKNOWN_START_DAY,
    pack,
    pair_key,
    unpack,
)

MODIFIER_INDICATORS = frozenset({0, 1, 9})
"""0: no modifier bypasses the edit; 1: an NCCI-associated modifier may; 9: edit not applicable."""

NCCI_BYPASS_MODIFIERS = frozenset(
    {"E1", "E2", "E3", "E4", "FA", "F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9"}
    | {"LC", "LD", "LM", "LT", "RC", "RI", "RT", "TA"}
    | {f"T{n}" for n in range(1, 10)}
    | {"24", "25", "27", "57", "58", "78", "79", "91", "59", "XE", "XS", "XP", "XU"}
)
"""The NCCI PTP-associated modifiers (NCCI Policy Manual, chapter I): anatomic, global surgery,
59 and its X{EPSU} subsets, 27 and 91. Only a modifier indicator of 1 lets them bypass an edit."""

_FORMAT = b"ORCMPTP1"
_MI_BITS = 4
_PRIOR_1996 = 1 << _MI_BITS
_RATIONALE_SHIFT = _MI_BITS + 1
_MAX_RATIONALES = 1 << (16 - _RATIONALE_SHIFT)
_MADE_LIMIT = 200_000
"""How many built edits a table keeps (claims repeat the same pairs) before it starts over."""


@dataclass(frozen=True, slots=True)
class PtpEdit:
    """One PTP edit: column 2 is not paid with column 1 on the same day unless bypassed.

    Attributes:
        column1: the comprehensive code (paid).
        column2: the component code (denied unless the edit is bypassed).
        effective: first day in effect; None when the source gives no effective date.
        deletion: last day in effect; None when the edit is not deleted.
        modifier_indicator: 0, 1 or 9 (see ``MODIFIER_INDICATORS``).
        rationale: CMS's PTP edit rationale text.
        prior_1996: CMS's ``*`` flag: the edit existed before 1996.
    """

    column1: str
    column2: str
    effective: date | None
    deletion: date | None
    modifier_indicator: int
    rationale: str
    prior_1996: bool = False

    def in_effect(self, on: date) -> bool:
        """True when the date of service falls within the edit's effective and deletion dates."""
        after_start = self.effective is None or self.effective <= on
        return after_start and (self.deletion is None or on <= self.deletion)


def _column1_index(keys: array[int]) -> dict[str, tuple[int, int, int]]:
    """Column 1 code -> (first row, end row, packed code shifted into key position).

    One bisect per distinct column 1 code (~15 thousand), so it costs milliseconds at load;
    lookups then bisect only within that code's rows and skip codes with no edits at once.
    """
    index: dict[str, tuple[int, int, int]] = {}
    n = len(keys)
    i = 0
    while i < n:
        code = keys[i] >> CODE_BITS
        end = bisect_left(keys, (code + 1) << CODE_BITS, i, n)
        index[unpack(code)] = (i, end, code << CODE_BITS)
        i = end
    return index


def bypassable(edit: PtpEdit, modifiers: Iterable[str]) -> bool:
    """True when one of ``modifiers`` lets the pair be paid: indicator 1 and an NCCI modifier.

    Pass the modifiers of both lines; NCCI accepts the modifier on either code of the pair.
    """
    if edit.modifier_indicator != 1:
        return False
    return any(m.strip().upper() in NCCI_BYPASS_MODIFIERS for m in modifiers)


def denies(edit: PtpEdit, modifiers: Iterable[str]) -> bool:
    """True when the edit denies the column 2 code: indicator 0, or 1 without a bypass modifier.

    An indicator of 9 marks an edit CMS made not applicable, so it never denies.
    """
    if edit.modifier_indicator == 9:
        return False
    return not bypassable(edit, modifiers)


class PtpBuilder:
    """Collects rows from any reader, then sorts them once into a ``PtpTable``."""

    def __init__(self) -> None:
        self._keys = array("Q")
        self._starts = array("I")
        self._ends = array("I")
        self._info = array("H")
        self._rationales: dict[str, int] = {}
        self._packed: dict[str, int] = {}  # ~20 thousand codes repeat over millions of rows

    def add(
        self,
        column1: str,
        column2: str,
        effective: date | None,
        deletion: date | None,
        modifier_indicator: int,
        rationale: str,
        prior_1996: bool = False,
    ) -> None:
        """Add one row; raises ``ValueError`` saying which field is wrong.

        A deletion date before the effective date is kept: CMS deletes some edits
        retroactively, and such a row is simply never in effect.
        """
        packed = self._packed
        first = packed.get(column1)
        if first is None:
            first = packed[column1] = pack(column1)
        second = packed.get(column2)
        if second is None:
            second = packed[column2] = pack(column2)
        key = (first << CODE_BITS) | second
        if modifier_indicator not in MODIFIER_INDICATORS:
            raise ValueError(f"modifier indicator must be 0, 1 or 9, not {modifier_indicator!r}")
        start = UNKNOWN_START_DAY if effective is None else effective.toordinal()
        end = NO_END_DAY if deletion is None else deletion.toordinal()
        index = self._rationales.setdefault(rationale, len(self._rationales))
        if index >= _MAX_RATIONALES:
            raise ValueError(f"more than {_MAX_RATIONALES} distinct rationale texts")
        self._keys.append(key)
        self._starts.append(start)
        self._ends.append(end)
        self._info.append(
            modifier_indicator | (_PRIOR_1996 if prior_1996 else 0) | (index << _RATIONALE_SHIFT)
        )

    def __len__(self) -> int:
        return len(self._keys)

    def build(self, setting: str, release: str) -> PtpTable:
        """The sorted table; rows of one pair keep the order they were added in."""
        keys = self._keys
        order = sorted(range(len(keys)), key=keys.__getitem__)
        return PtpTable(
            setting=setting,
            release=release,
            keys=array("Q", (keys[i] for i in order)),
            starts=array("I", (self._starts[i] for i in order)),
            ends=array("I", (self._ends[i] for i in order)),
            info=array("H", (self._info[i] for i in order)),
            rationales=tuple(self._rationales),
        )


class PtpTable:
    """The PTP edits of one setting (practitioner or outpatient hospital) from one release."""

    __slots__ = (
        "_ends",
        "_index",
        "_info",
        "_keys",
        "_made",
        "_starts",
        "rationales",
        "release",
        "setting",
    )

    def __init__(
        self,
        *,
        setting: str,
        release: str,
        keys: array[int],
        starts: array[int],
        ends: array[int],
        info: array[int],
        rationales: tuple[str, ...],
    ) -> None:
        if not len(keys) == len(starts) == len(ends) == len(info):
            raise ValueError("PTP arrays differ in length")
        self.setting = setting
        self.release = release
        self.rationales = rationales
        self._keys = keys
        self._starts = starts
        self._ends = ends
        self._info = info
        self._index = _column1_index(keys)
        self._made: dict[int, PtpEdit] = {}

    def __len__(self) -> int:
        return len(self._keys)

    def edits_for(self, column1: str, column2: str, on: date) -> PtpEdit | None:
        """The edit with ``column1`` as column 1 and ``column2`` as column 2 in effect ``on``.

        Raises:
            ValueError: a code is not five letters or digits.
        """
        span = self._index.get(column1)
        if span is None:
            upper = column1.upper()
            span = self._index.get(upper) if upper != column1 else None
            if span is None:
                pack(column1)  # a malformed code raises; a well-formed one has no edits
                pack(column2)
                return None
        lo, hi, base = span
        key = base | pack(column2)
        keys = self._keys
        i = bisect_left(keys, key, lo, hi)
        if i == hi or keys[i] != key:
            return None
        day = on.toordinal()
        starts, ends = self._starts, self._ends
        best = -1
        best_end = NO_END_DAY + 1
        while i < hi and keys[i] == key:
            end = ends[i]
            if starts[i] <= day <= end and end < best_end:
                best, best_end = i, end
            i += 1
        return None if best < 0 else self._edit(best)

    def edits_among(self, codes: Iterable[str], on: date) -> tuple[PtpEdit, ...]:
        """Every edit in effect ``on`` between two different codes of one claim, either order.

        The scrubber's question for a claim's lines, answered in one call: each code is
        checked and packed once, the date converted once, and a code with no column 1 edits
        skipped.

        Raises:
            ValueError: a code is not five letters or digits.
        """
        unique = list(dict.fromkeys(c.upper() for c in codes))
        packed = [pack(c) for c in unique]
        day = on.toordinal()
        keys, starts, ends = self._keys, self._starts, self._ends
        found: list[PtpEdit] = []
        for column1 in unique:
            span = self._index.get(column1)
            if span is None:
                continue
            lo, hi, base = span
            for column2, number in zip(unique, packed, strict=True):
                if column2 == column1:
                    continue
                key = base | number
                i = bisect_left(keys, key, lo, hi)
                best, best_end = -1, NO_END_DAY + 1
                while i < hi and keys[i] == key:
                    end = ends[i]
                    if starts[i] <= day <= end and end < best_end:
                        best, best_end = i, end
                    i += 1
                if best >= 0:
                    found.append(self._edit(best))
        return tuple(found)

    def edit_between(self, code_a: str, code_b: str, on: date) -> PtpEdit | None:
        """The edit between two codes in either order (``code_a`` as column 1 tried first)."""
        return self.edits_for(code_a, code_b, on) or self.edits_for(code_b, code_a, on)

    def history(self, column1: str, column2: str) -> tuple[PtpEdit, ...]:
        """Every row for the ordered pair, whatever its dates, in source order."""
        key = pair_key(column1, column2)
        keys = self._keys
        i = bisect_left(keys, key)
        rows = []
        while i < len(keys) and keys[i] == key:
            rows.append(self._edit(i))
            i += 1
        return tuple(rows)

    def column2_codes(self, column1: str, on: date) -> tuple[str, ...]:
        """Column 2 codes with an edit in effect under ``column1`` on a date (for display)."""
        low = pack(column1) << CODE_BITS
        keys = self._keys
        i = bisect_left(keys, low)
        high = low + (1 << CODE_BITS)
        day = on.toordinal()
        found: list[str] = []
        while i < len(keys) and keys[i] < high:
            if self._starts[i] <= day <= self._ends[i]:
                code = unpack(keys[i] & ((1 << CODE_BITS) - 1))
                if not found or found[-1] != code:
                    found.append(code)
            i += 1
        return tuple(found)

    def _edit(self, i: int) -> PtpEdit:
        edit = self._made.get(i)
        if edit is not None:
            return edit
        key, info = self._keys[i], self._info[i]
        start, end = self._starts[i], self._ends[i]
        edit = PtpEdit(
            column1=unpack(key >> CODE_BITS),
            column2=unpack(key & ((1 << CODE_BITS) - 1)),
            effective=None if start == UNKNOWN_START_DAY else date.fromordinal(start),
            deletion=None if end == NO_END_DAY else date.fromordinal(end),
            modifier_indicator=info & ((1 << _MI_BITS) - 1),
            rationale=self.rationales[info >> _RATIONALE_SHIFT],
            prior_1996=bool(info & _PRIOR_1996),
        )
        if len(self._made) >= _MADE_LIMIT:
            self._made.clear()
        self._made[i] = edit
        return edit

    def to_bytes(self) -> bytes:
        """The compiled form: a magic line, a JSON header, then the four arrays raw."""
        header = json.dumps(
            {
                "setting": self.setting,
                "release": self.release,
                "rows": len(self._keys),
                "rationales": list(self.rationales),
                "byteorder": sys.byteorder,
                "no_end": NO_END.isoformat(),
            }
        ).encode()
        parts = [_FORMAT, len(header).to_bytes(4, "little"), header]
        parts += [a.tobytes() for a in (self._keys, self._starts, self._ends, self._info)]
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> PtpTable:
        """Load what ``to_bytes`` wrote; raises ``ValueError`` when it is not such a file."""
        if not data.startswith(_FORMAT):
            raise ValueError("not a compiled openrcm PTP table (or an older format)")
        size = int.from_bytes(data[8:12], "little")
        header = json.loads(data[12 : 12 + size])
        rows = int(header["rows"])
        offset = 12 + size
        view = memoryview(data)
        arrays = []
        for typecode in ("Q", "I", "I", "H"):
            arr = array(typecode)
            end = offset + rows * arr.itemsize
            if end > len(data):
                raise ValueError("compiled PTP table is truncated")
            arr.frombytes(view[offset:end])
            if header["byteorder"] != sys.byteorder:
                arr.byteswap()
            arrays.append(arr)
            offset = end
        if offset != len(data):
            raise ValueError("compiled PTP table has trailing bytes")
        return cls(
            setting=str(header["setting"]),
            release=str(header["release"]),
            keys=arrays[0],
            starts=arrays[1],
            ends=arrays[2],
            info=arrays[3],
            rationales=tuple(str(r) for r in header["rationales"]),
        )
