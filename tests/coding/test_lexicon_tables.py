"""The Table of Drugs and Chemicals and the External Cause Index, read as a coder reads them:
a substance with the words of a column ("amiodarone-induced", "paracetamol overdose"), never a
drug named alone or "induced" in another sense; an external cause where the words tell an
event ("accidental fall", "bitten by a dog"), never a bare word ("fall" of a value, a
"cerebrovascular accident"), and beside the injury the same words name, not instead of it."""

from __future__ import annotations

import pytest

from openrcm.coding.lexicon import build_lexicon, find_matches, note_tokens
from openrcm.coding.pipeline import Engine, NoteInput, suggest
from openrcm.coding.terminology import CodeFacts, IndexEntry, MemoryTerminology, TableRow

_AMIODARONE = TableRow(("Amiodarone",), (), (
    ("Poisoning Accidental (unintentional)", "T46.2X1"),
    ("Poisoning Intentional self-harm", "T46.2X2"),
    ("Adverse effect", "T46.2X5"),
    ("Underdosing", "T46.2X6"),
))
_ADVERSE = "Adverse effect of other antidysrhythmic drugs"
TABLES = MemoryTerminology(
    "TEST",
    {
        "T46.2X5": CodeFacts("T46.2X5", _ADVERSE, False,
                             billable_children=("T46.2X5A", "T46.2X5D", "T46.2X5S")),
        "T46.2X5A": CodeFacts("T46.2X5A", f"{_ADVERSE}, initial encounter", True),
        "T46.2X5D": CodeFacts("T46.2X5D", f"{_ADVERSE}, subsequent encounter", True),
        "T46.2X5S": CodeFacts("T46.2X5S", f"{_ADVERSE}, sequela", True),
    },
    index=(
        IndexEntry(("Accident", "cerebrovascular"), (), "I63.9"),
        IndexEntry(("Gunshot wound",), (), "T14.8"),
    ),
    drugs=(_AMIODARONE,),
    external_causes=(
        IndexEntry(("Accident",), ("to",), "X58"),
        IndexEntry(("Accident", "car"), (), "V49.9"),
        IndexEntry(("Bite, bitten by", "dog"), (), "W54.0"),
        IndexEntry(("Cold, exposure to NEC",), (), "X31"),
        IndexEntry(("Fall, falling",), ("accidental",), "W19"),
        IndexEntry(("Fall, falling", "from, off, out of"), (), "W19"),
        IndexEntry(("Fall, falling", "from, off, out of", "ladder"), (), "W11"),
        IndexEntry(("Gunshot wound",), (), "W34.00"),
        IndexEntry(("Place of occurrence", "hospital"), (), "Y92.239"),
    ),
)
LEXICON = build_lexicon(TABLES, synonyms={}, abbreviations={})


def _found(text: str) -> list[str]:
    return [m.entries[0].code for m in find_matches(text, note_tokens(text, LEXICON), LEXICON)]


@pytest.mark.parametrize(("text", "codes"), [
    ("Amiodarone-induced hypothyroidism.", ["T46.2X5"]),
    ("Hypothyroidism induced by amiodarone.", ["T46.2X5"]),
    ("An adverse reaction to amiodarone.", ["T46.2X5"]),
    ("Amiodarone toxicity.", ["T46.2X1"]),  # the index: Toxicity, see ... poisoning
    ("Overdose of amiodarone.", ["T46.2X1"]),
    ("Intentional overdose of amiodarone.", ["T46.2X2"]),
    # a drug named without a column's words, or "induced" in another sense, or in a list
    ("Amiodarone 200 mg daily.", []),
    ("Sedation was induced with amiodarone.", []),
    ("Examination, toxicity, amiodarone level.", []),
])
def test_a_substance_with_the_words_of_a_column(text: str, codes: list[str]) -> None:
    assert _found(text) == codes


@pytest.mark.parametrize(("text", "codes"), [
    ("He suffered an accidental fall at home.", ["W19"]),
    ("Fall from a ladder.", ["W11"]),
    ("She was bitten by a dog.", ["W54.0"]),
    ("Car accident.", ["V49.9"]),
    ("Exposure to cold.", ["X31"]),
    # a bare word names no event; a place is no event
    ("A fall in hemoglobin.", []),
    ("History of cerebrovascular accident.", ["I63.9"]),
    ("Admitted to hospital.", []),
    # the external cause is read beside the injury the same words name
    ("Gunshot wound.", ["T14.8", "W34.00"]),
])
def test_an_external_cause_where_the_words_tell_an_event(text: str, codes: list[str]) -> None:
    assert _found(text) == codes


def test_an_adverse_effect_takes_the_seventh_character_of_the_encounter() -> None:
    result = suggest(NoteInput("Amiodarone-induced hypothyroidism.", setting="inpatient"),
                     Engine(TABLES, LEXICON))
    assert [s.code for s in result.suggestions] == ["T46.2X5A"]
