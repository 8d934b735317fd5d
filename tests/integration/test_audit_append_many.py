"""Events appended in one statement (issue 18) are the chain that recording them one by one gives.

:func:`ehdesk.services.audit.record_many` and :func:`~ehdesk.services.audit.append_many` write their
events as plain rows in one INSERT executed for many rows, with the hashes computed first; the single
:func:`~ehdesk.services.audit.record` still goes through the ORM. Both must give the same seq, links and
hashes, and every trail must verify; and the batch must really be written the cheap way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import pairwise
from typing import Any

import pytest
from sqlalchemy import event, select

from ehdesk.policy import default_pack
from ehdesk.services import audit, referrals
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from ehdesk.storage.models import AuditEvent
from tests import samples

MOMENT = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)

ENTRIES: list[audit.Entry] = [
    ("create", "chain-test", 1, None, {"name": "Siân", "born": "2019-05-02", "tags": ["a", "b"]}),
    ("update", "chain-test", 1, {"name": "Siân"}, {"name": "Siân Ó Briain", "n": 2, "ok": True}),
    ("delete", "chain-test", "x-2", {"nested": {"b": 1, "a": [1.5, None]}}, None),
]


def _stored(db: Database) -> list[tuple[int, str, str, Any, Any]]:
    with db.read() as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.seq))
        return [(e.seq, e.prev_hash, e.hash, e.before, e.after) for e in rows]


def _expected_chain(admin: Actor, start: tuple[int, str]) -> list[tuple[int, str, str]]:
    """The chain as the one-by-one path builds it: an ORM event per entry, hashed by event_hash."""
    seq, prev = start
    chain = []
    for action, entity, entity_id, before, after in ENTRIES:
        seq += 1
        one = AuditEvent(
            seq=seq,
            occurred_at=MOMENT,
            actor_id=admin.id,
            actor=admin.username,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=audit._jsonable(before) if before is not None else None,
            after=audit._jsonable(after) if after is not None else None,
            prev_hash=prev,
        )
        prev = audit.event_hash(one)
        chain.append((seq, one.prev_hash, prev))
    return chain


def _head(db: Database) -> tuple[int, str]:
    with db.read() as session:
        head = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).first()
        return (head.seq, head.hash) if head is not None else (0, audit.GENESIS)


@pytest.mark.parametrize("append", [audit.record_many, audit.append_many])
def test_events_appended_together_hash_and_link_exactly_as_recorded_one_by_one(
    db: Database, admin: Actor, monkeypatch: pytest.MonkeyPatch, append: Any
) -> None:
    monkeypatch.setattr(audit, "utcnow", lambda: MOMENT)
    start = _head(db)
    with db.session() as session:
        append(session, admin, ENTRIES)
    stored = _stored(db)[-len(ENTRIES) :]
    assert [(seq, prev, digest) for seq, prev, digest, _b, _a in stored] == _expected_chain(admin, start)
    assert [(before, after) for *_chain, before, after in stored] == [
        (None, {"born": "2019-05-02", "name": "Siân", "tags": ["a", "b"]}),
        ({"name": "Siân"}, {"n": 2, "name": "Siân Ó Briain", "ok": True}),
        ({"nested": {"a": [1.5, None], "b": 1}}, None),
    ]
    with db.read() as session:
        assert audit.verify(session).ok


def test_record_many_gives_back_the_events_it_stored(db: Database, admin: Actor) -> None:
    with db.session() as session:
        events = audit.record_many(session, admin, ENTRIES)
    assert [(e.seq, e.prev_hash, e.hash) for e in events] == [s[:3] for s in _stored(db)[-len(ENTRIES) :]]
    assert all(audit.event_hash(e) == e.hash for e in events)


def test_one_by_one_and_together_interleave_into_one_chain_that_verifies(db: Database, admin: Actor) -> None:
    with db.session() as session:
        audit.record(session, admin, "create", "chain-test", 1, after={"n": 1})
        audit.append_many(session, admin, ENTRIES)
        audit.record(session, admin, "update", "chain-test", 1, before={"n": 1}, after={"n": 2})
    with db.session() as session:
        audit.record_many(session, admin, ENTRIES[:1])
        audit.record(session, admin, "update", "chain-test", 1, after={"n": 3})
    stored = _stored(db)
    assert [seq for seq, *_rest in stored] == list(range(1, len(stored) + 1))
    assert all(later[1] == earlier[2] for earlier, later in pairwise(stored))
    with db.read() as session:
        report = audit.verify(session)
    assert report.ok, report.line()


def test_nothing_to_append_writes_nothing(db: Database, admin: Actor) -> None:
    before = _stored(db)
    with db.session() as session:
        assert audit.record_many(session, admin, []) == []
        audit.append_many(session, admin, [])
    assert _stored(db) == before


@contextmanager
def _inserts(db: Database) -> Iterator[list[tuple[str, bool]]]:
    """Every INSERT the engine sends, as (statement, executemany)."""
    seen: list[tuple[str, bool]] = []

    def listen(_conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("INSERT"):
            seen.append((statement, many))

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)


def _table(statement: str) -> str:
    return statement.split()[2]


def test_a_batch_of_events_is_one_insert_run_for_many_rows_without_returning(
    db: Database, admin: Actor
) -> None:
    with _inserts(db) as seen, db.session() as session:
        audit.append_many(session, admin, ENTRIES)
    events = [(statement, many) for statement, many in seen if _table(statement) == "audit_events"]
    assert len(events) == 1
    statement, many = events[0]
    assert many
    assert "RETURNING" not in statement.upper()


def test_referrals_stored_together_write_each_table_without_returning(db: Database, admin: Actor) -> None:
    """Ids are taken up front, so no table needs INSERT … RETURNING (which psycopg re-parses for every
    many-row statement) and each table's rows go in one statement run for many rows."""
    batch = [samples.referral(), samples.referral(postcode="LS7 1XY"), samples.referral(postcode="LS8 2AB")]
    with db.session() as session:  # one stored the single way first: the batch's ids follow its ids
        first = referrals.create_referral(session, admin, samples.referral(), policy=default_pack())
        first_ids = (first.id, first.family_id)
    with _inserts(db) as seen, db.session() as session:
        stored = referrals.create_referrals(
            session, admin, batch, confirmed_warnings=True, policy=default_pack()
        )
        ids = [(r.id, r.family_id) for r in stored]
    written = {_table(statement) for statement, _many in seen}
    assert {"families", "referrals", "people", "agencies_involved", "audit_events"} <= written
    assert all("RETURNING" not in statement.upper() for statement, _many in seen)
    for table in ("families", "referrals", "people", "audit_events"):
        assert [many for statement, many in seen if _table(statement) == table] == [True], table
    assert sorted(ids) == ids
    assert ids[0] > first_ids
    with db.read() as session:
        report = audit.verify(session)
    assert report.ok, report.line()
