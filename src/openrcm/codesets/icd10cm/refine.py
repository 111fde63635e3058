"""What a coder does after the index lookup: pick the specific code and the 7th character.

The index often stops at a header (``Fibroid > uterus`` -> D25.9 is fine, but ``Fracture >
wrist`` -> S62.10- is not billable), and injury codes need a 7th character the query may state
in words ("initial encounter", "subsequent encounter", "sequela"). These pure functions turn a
ranked header into its best billable descendant for the query, and a 6-character leaf into the
7-character code the query asks for.
"""

from __future__ import annotations

from dataclasses import dataclass

from openrcm.codesets.icd10cm.release import Resolved, TabularRelease
from openrcm.codesets.icd10cm.text import tokens, words

# Phrase (as words) -> the start of the 7th-character meaning it asks for.
ENCOUNTER_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("initial", "encounter"), "initial encounter"),
    (("subsequent", "encounter"), "subsequent encounter"),
    (("sequelae",), "sequela"),
    (("sequela",), "sequela"),
)


@dataclass(frozen=True, slots=True)
class EncounterIntent:
    """The 7th-character wish found in a query, and the query without it.

    Attributes:
        meaning: ``initial encounter``, ``subsequent encounter``, ``sequela`` or empty.
        fracture: ``open`` or ``closed`` when the query says so (fracture 7th characters).
        text: the query without the encounter words (they match no title).
    """

    meaning: str
    fracture: str
    text: str


def encounter_intent(query: str) -> EncounterIntent:
    """Find and remove "initial encounter"-style phrases (and "closed" before "fracture")."""
    ws = words(query)
    meaning = ""
    for phrase, wanted in ENCOUNTER_PHRASES:
        n = len(phrase)
        for i in range(len(ws) - n + 1):
            if tuple(ws[i : i + n]) == phrase:
                meaning = wanted
                ws = ws[:i] + ws[i + n :]
                break
        if meaning:
            break
    fracture = ""
    if any(w.startswith("fracture") for w in ws):
        if "open" in ws:
            fracture = "open"
        elif "closed" in ws:
            fracture = "closed"
            ws = [w for w in ws if w != "closed"]
    text = " ".join(ws)
    return EncounterIntent(meaning, fracture, text if tokens(text) else query)


def seventh_for(tab: TabularRelease, code: str, intent: EncounterIntent) -> str | None:
    """The 7-character code completing leaf ``code`` as the intent asks, or None."""
    if not intent.meaning or not tab.needs_seventh(code):
        return None
    options = [(c, m.lower()) for c, m in tab.seventh_chars(code) if
               m.lower().startswith(intent.meaning)]
    if not options:
        return None
    preferred = intent.fracture or "closed"
    chosen = next((c for c, m in options if f"{preferred} fracture" in m), options[0][0])
    padded = code.replace(".", "").ljust(6, "X") + chosen
    return f"{padded[:3]}.{padded[3:]}"


def best_descendant(tab: TabularRelease, header: str, query: str) -> str | None:
    """The billable code under ``header`` that best fits ``query``: most query words in its
    title, then an "unspecified" title (the default when the query says no more), then the
    shortest title. Leaves that need a 7th character count as candidates here."""
    want = set(tokens(query))
    best: tuple[int, int, int, str] | None = None
    stack = [header]
    seen = 0
    while stack and seen < 400:
        cur = stack.pop()
        seen += 1
        node_children = tab.node(cur)[4]
        if node_children:
            stack.extend(node_children)
            continue
        if not tab.is_billable(Resolved(cur, cur, "")) and not tab.needs_seventh(cur):
            continue
        have = set(tokens(tab.title(cur)))
        key = (len(want & have), int("unspecified" in have), -len(have), cur)
        if best is None or key[:3] > best[:3] or (key[:3] == best[:3] and cur < best[3]):
            best = key
    return best[3] if best else None
