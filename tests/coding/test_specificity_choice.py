"""Choosing the billable child the sentence supports: a child that names sites or types the
note never mentions is not chosen over the unspecified one for a word it happens to share."""

from __future__ import annotations

from openrcm.coding.specificity import specify
from openrcm.coding.terminology import CodeFacts, MemoryTerminology

CHILDREN = {
    "S52.501A": "Unspecified fracture of the lower end of right radius, initial encounter for "
                "closed fracture",
    "S52.502A": "Unspecified fracture of the lower end of left radius, initial encounter for "
                "closed fracture",
    "S52.514A": "Nondisplaced fracture of right radial styloid process, initial encounter for "
                "closed fracture",
    "S52.515A": "Nondisplaced fracture of left radial styloid process, initial encounter for "
                "closed fracture",
}
HEADER = CodeFacts(code="S52.5", title="Fracture of lower end of radius", billable=False,
                   billable_children=tuple(CHILDREN))
TERMS = MemoryTerminology("TEST", {
    "S52.5": HEADER, **{c: CodeFacts(code=c, title=t, billable=True) for c, t in CHILDREN.items()}})


def test_an_unfounded_site_loses_to_the_unspecified_child() -> None:
    chosen = specify(HEADER, "Closed nondisplaced fracture of distal end of right radius, "
                             "initial encounter.", TERMS)
    assert chosen is not None and chosen.code == "S52.501A"
    assert chosen.title.startswith("Unspecified fracture of the lower end")


def test_a_documented_site_is_chosen() -> None:
    chosen = specify(HEADER, "Nondisplaced fracture of the left radial styloid process, "
                             "closed, initial encounter.", TERMS)
    assert chosen is not None and chosen.code == "S52.515A"
