"""Audit chain: an intact chain verifies; each kind of tampering is detected at the right seq."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openrcm.security.audit_chain import GENESIS_HASH, AuditEvent, event_hash, verify_chain

Row = tuple[AuditEvent, str, str]
T0 = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


def make_event(seq: int, action: str = "patient.read") -> AuditEvent:
    return AuditEvent(
        seq=seq,
        at=T0 + timedelta(seconds=seq),
        actor=f"user-{seq % 3}",
        practice_id="PR1",
        action=action,
        resource=f"patient:{seq}",
        ip="127.0.0.1",
        reason="treatment",
        phi=True,
        detail={"request": f"r{seq}"},
    )


def chain(events: list[AuditEvent], prev: str = GENESIS_HASH) -> list[Row]:
    rows: list[Row] = []
    for event in events:
        digest = event_hash(prev, event)
        rows.append((event, prev, digest))
        prev = digest
    return rows


def build(n: int = 10) -> list[Row]:
    return chain([make_event(s) for s in range(1, n + 1)])


def first(rows: list[Row], **kwargs: tuple[int, str]) -> tuple[str, object]:
    findings = verify_chain(rows, **kwargs)
    assert findings, "tampering was not detected"
    return findings[0].code, findings[0].location["seq"]


def test_intact_chain_verifies() -> None:
    """No findings for an untouched chain, an empty one, or one checked against its head."""
    rows = build()
    assert verify_chain(rows) == []
    assert verify_chain([]) == []
    assert verify_chain(rows, head=(10, rows[-1][2])) == []
    assert verify_chain(rows[5:], start=(5, rows[4][2])) == []


def test_edited_event_detected() -> None:
    """Changing any field of event 4 while keeping its stored hash names seq 4."""
    rows = build()
    event, prev, digest = rows[3]
    for changed in (
        replace(event, action="patient.write"),
        replace(event, detail={"request": "forged"}),
        replace(event, at=event.at + timedelta(microseconds=1)),
        replace(event, phi=False),
        replace(event, practice_id=None),
    ):
        tampered = [*rows[:3], (changed, prev, digest), *rows[4:]]
        assert first(tampered) == ("AUDIT-EDITED", 4)
        assert len(verify_chain(tampered)) == 1


def test_edited_and_rehashed_event_detected() -> None:
    """Rewriting event 4 with a recomputed hash breaks the link from event 5, naming seq 4."""
    rows = build()
    event, prev, _ = rows[3]
    changed = replace(event, actor="someone-else")
    tampered = [*rows[:3], (changed, prev, event_hash(prev, changed)), *rows[4:]]
    assert first(tampered) == ("AUDIT-EDITED", 4)


def test_deleted_event_detected() -> None:
    """Removing event 6 names seq 6 as deleted."""
    rows = build()
    assert first([*rows[:5], *rows[6:]]) == ("AUDIT-DELETED", 6)
    assert first(rows[1:]) == ("AUDIT-DELETED", 1)


def test_deleted_tail_detected_against_head() -> None:
    """Removing the last events is only visible against a published head, which names them."""
    rows = build()
    head = (10, rows[-1][2])
    assert verify_chain(rows[:8]) == []
    assert first(rows[:8], head=head) == ("AUDIT-TRUNCATED", 9)


def test_reordered_event_detected() -> None:
    """Swapping the stored order of events 4 and 5 is reported as a reorder at seq 5."""
    rows = build()
    tampered = [*rows[:3], rows[4], rows[3], *rows[5:]]
    findings = verify_chain(tampered)
    assert (findings[0].code, findings[0].location["seq"]) == ("AUDIT-REORDERED", 5)
    assert {f.code for f in findings} == {"AUDIT-REORDERED"}


def test_event_moved_later_detected() -> None:
    """Moving event 2 to the end is reported as a reorder."""
    rows = build()
    tampered = [rows[0], *rows[2:], rows[1]]
    assert first(tampered)[0] == "AUDIT-REORDERED"


def test_inserted_event_with_duplicate_seq_detected() -> None:
    """A forged event linked after event 3 and given seq 4 makes two claims on seq 4."""
    rows = build()
    forged = make_event(4, action="payment.post")
    forged_row = (forged, rows[2][2], event_hash(rows[2][2], forged))
    tampered = [*rows[:3], forged_row, *rows[3:]]
    assert first(tampered) == ("AUDIT-INSERTED", 4)


def test_inserted_event_with_renumbering_detected() -> None:
    """A forged event 4 with the later events renumbered is named as the inserted one."""
    rows = build()
    forged = make_event(4, action="payment.post")
    forged_row = (forged, rows[2][2], event_hash(rows[2][2], forged))
    renumbered = [(replace(e, seq=e.seq + 1), p, h) for e, p, h in rows[3:]]
    assert first([*rows[:3], forged_row, *renumbered]) == ("AUDIT-INSERTED", 4)


def test_rewritten_head_detected() -> None:
    """A chain recomputed from event 7 on verifies alone, but not against the published head."""
    rows = build()
    head = (10, rows[-1][2])
    events = [e for e, _, _ in rows]
    events[6] = replace(events[6], reason="forged")
    rewritten = chain(events)
    assert verify_chain(rewritten) == []
    assert first(rewritten, head=head) == ("AUDIT-EDITED", 10)


def test_events_hash_in_utc_and_need_aware_times() -> None:
    """The same instant in another zone hashes alike; naive times and seq 0 are refused."""
    event = make_event(1)
    shifted = replace(event, at=event.at.astimezone(timezone(timedelta(hours=-5))))
    assert event_hash(GENESIS_HASH, event) == event_hash(GENESIS_HASH, shifted)
    with pytest.raises(ValueError):
        replace(event, at=datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        replace(event, seq=0)


def test_detail_is_frozen_copy() -> None:
    """Mutating the dict passed in cannot change a recorded event."""
    detail = {"k": "v"}
    event = replace(make_event(1), detail=detail)
    before = event_hash(GENESIS_HASH, event)
    detail["k"] = "changed"
    assert event_hash(GENESIS_HASH, event) == before


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=3, max_value=25).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.integers(min_value=1, max_value=n - 1),
            st.sampled_from(["edit", "rehash", "delete", "swap", "insert"]),
        )
    )
)
def test_any_single_tampering_is_detected_at_its_seq(case: tuple[int, int, str]) -> None:
    """Whatever one row is tampered with, the first finding has the right code and seq."""
    n, k, how = case
    rows = build(n)
    head = (n, rows[-1][2])
    event, prev, digest = rows[k - 1]
    if how == "edit":
        tampered = [*rows[: k - 1], (replace(event, ip="10.0.0.9"), prev, digest), *rows[k:]]
        expected = ("AUDIT-EDITED", k)
    elif how == "rehash":
        changed = replace(event, ip="10.0.0.9")
        tampered = [*rows[: k - 1], (changed, prev, event_hash(prev, changed)), *rows[k:]]
        expected = ("AUDIT-EDITED", k)
    elif how == "delete":
        tampered = [*rows[: k - 1], *rows[k:]]
        expected = ("AUDIT-DELETED", k)
    elif how == "swap":
        tampered = [*rows[: k - 1], rows[k], rows[k - 1], *rows[k + 1 :]]
        expected = ("AUDIT-REORDERED", k + 1)
    else:
        forged = make_event(k, action="payment.post")
        forged_row = (forged, prev, event_hash(prev, forged))
        tampered = [*rows[: k - 1], forged_row, *rows[k - 1 :]]
        expected = ("AUDIT-INSERTED", k)
    findings = verify_chain(tampered, head=head)
    assert findings, f"{how} at {k} of {n} was not detected"
    assert (findings[0].code, findings[0].location["seq"]) == expected
