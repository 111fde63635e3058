"""store.types.new_id: time-ordered (UUID version 7), unguessable, the same text form."""

from __future__ import annotations

import time
import uuid

from openrcm.store.types import new_id


def test_ids_are_version_7_uuids_in_canonical_text() -> None:
    for _ in range(200):
        text = new_id()
        value = uuid.UUID(text)
        assert str(value) == text and len(text) == 36
        assert value.version == 7
        assert value.variant == uuid.RFC_4122


def test_ids_carry_the_creation_millisecond_and_sort_by_it() -> None:
    before = time.time_ns() // 1_000_000
    first = new_id()
    time.sleep(0.002)
    second = new_id()
    after = time.time_ns() // 1_000_000
    stamps = [uuid.UUID(i).int >> 80 for i in (first, second)]
    assert before <= stamps[0] < stamps[1] <= after
    assert first < second  # text order is time order: index inserts append


def test_every_random_bit_varies() -> None:
    """74 random bits (rand_a 12, rand_b 62): each takes both values over a few hundred ids,
    and the version and variant bits never do."""
    values = [uuid.UUID(new_id()).int for _ in range(400)]
    ones = 0
    zeros = 0
    for value in values:
        ones |= value
        zeros |= ~value
    random_bits = (0xFFF << 64) | ((1 << 62) - 1)
    fixed = (0xF << 76) | (0b11 << 62)
    assert ones & random_bits == random_bits and zeros & random_bits == random_bits
    assert {v & fixed for v in values} == {(0x7 << 76) | (0b10 << 62)}
    assert len(set(values)) == len(values)
