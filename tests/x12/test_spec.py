"""Spec data tested as data: every registered guide compiles and is unambiguous."""

from __future__ import annotations

import pytest

from openrcm.x12.spec import LoopDef, SegmentUse, load_guide, registered, segment_definition

GUIDES = registered()
MINE = ("005010X231A1", "005010X221A1", "005010X222A1")


def test_my_guides_are_registered() -> None:
    assert {("005010X231A1", "999"), ("005010X221A1", "835"), ("005010X222A1", "837")} <= set(
        GUIDES)


def _walk(loop: LoopDef) -> list[LoopDef]:
    found = [loop]
    for child in loop.children:
        if isinstance(child, LoopDef):
            found.extend(_walk(child))
    return found


@pytest.mark.parametrize(("guide_id", "set_id"), GUIDES)
def test_guide_compiles_and_siblings_are_told_apart(guide_id: str, set_id: str) -> None:
    guide = load_guide(guide_id, set_id)
    assert guide is not None and guide.transaction_set == set_id
    first, last = guide.body.children[0], guide.body.children[-1]
    assert isinstance(first, SegmentUse) and first.id == "ST"
    assert isinstance(last, SegmentUse) and last.id == "SE"
    if guide_id not in MINE:
        return  # other guides are checked by their owners' tests; here: they compile
    for loop in _walk(guide.body):
        assert isinstance(loop.children[0], SegmentUse), loop.id
        for seg_id, options in loop.candidates.items():
            assert segment_definition(seg_id) is not None, seg_id
            loops = [node for _, node in options if isinstance(node, LoopDef)]
            # two child loops starting with the same segment need a qualifier to choose
            if len(loops) > 1:
                assert all(node.trigger.match for node in loops), (loop.id, seg_id)
