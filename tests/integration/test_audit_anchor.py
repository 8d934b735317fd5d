"""A chain rewritten whole by someone with database access is caught by the anchor kept outside it."""

from __future__ import annotations

import stat

import pytest
from sqlalchemy import String, delete, select, update

from ehdesk.domain import Role
from ehdesk.services import audit, users
from ehdesk.services.actor import Actor
from ehdesk.storage.anchor import anchor_path, read_anchor
from ehdesk.storage.database import Database
from ehdesk.storage.models import AuditEvent, AuditHead
from tests.conftest import PASSWORD


def _users(db: Database, admin: Actor, *names: str) -> None:
    with db.session() as session:
        for name in names:
            users.create_user(session, admin, name, name.title(), Role.WORKER, PASSWORD)


def _rewrite_chain(db: Database, change: dict[int, str]) -> None:
    """What an attacker with write access would do: edit events, then recompute every hash and link."""
    table = AuditEvent.__table__
    with db.engine.begin() as connection:
        rewritten: list[AuditEvent] = []
        prev = audit.GENESIS
        for row in connection.execute(select(table).order_by(AuditEvent.seq)).all():
            event = AuditEvent(**row._asdict())
            event.actor = change.get(event.seq, event.actor)
            event.prev_hash = prev
            event.hash = prev = audit.event_hash(event)
            rewritten.append(event)
        # prev_hash is unique: move every link out of the way before setting the new ones
        connection.execute(update(table).values(prev_hash="tmp-" + table.c.id.cast(String)))
        for event in rewritten:
            connection.execute(
                update(table)
                .where(table.c.id == event.id)
                .values(actor=event.actor, prev_hash=event.prev_hash, hash=event.hash)
            )
        connection.execute(update(AuditHead.__table__).values(seq=len(rewritten), hash=prev))


def test_every_commit_that_appends_events_moves_the_anchor(db: Database, admin: Actor) -> None:
    _users(db, admin, "amy")
    with db.read() as session:
        newest = audit.newest_hash(session)
    anchor = read_anchor(db.engine.url)
    assert anchor is not None
    assert (anchor.seq, anchor.hash) == (2, newest)
    assert stat.S_IMODE(anchor_path(db.engine.url).stat().st_mode) == 0o600


def test_a_rolled_back_change_moves_no_anchor(db: Database, admin: Actor) -> None:
    _users(db, admin, "amy")
    with pytest.raises(RuntimeError), db.session() as session:  # noqa: PT012
        users.create_user(session, admin, "ben", "Ben", Role.WORKER, PASSWORD)
        raise RuntimeError("the save failed after the event was written")
    anchor = read_anchor(db.engine.url)
    assert anchor is not None
    assert anchor.seq == 2


def test_a_consistently_rewritten_chain_is_detected(db: Database, admin: Actor) -> None:
    _users(db, admin, "amy", "ben")
    _rewrite_chain(db, {2: "someone-else"})
    with db.read() as session:
        assert audit.verify(session, use_anchor=False).ok  # the chain alone checks out...
        report = audit.verify(session)
    assert not report.ok  # ...but not against the anchor
    assert "rewritten" in report.line()


def test_newest_events_cut_with_the_head_repaired_are_detected(db: Database, admin: Actor) -> None:
    _users(db, admin, "amy", "ben")
    with db.engine.begin() as connection:
        kept = connection.execute(select(AuditEvent.hash).where(AuditEvent.seq == 2)).scalar_one()
        connection.execute(delete(AuditEvent.__table__).where(AuditEvent.seq == 3))
        connection.execute(update(AuditHead.__table__).values(seq=2, hash=kept))
    with db.read() as session:
        report = audit.verify(session)
    assert not report.ok
    assert "anchored seq 3" in report.line()


def test_a_verify_that_passes_anchors_the_newest_event(db: Database, admin: Actor) -> None:
    _users(db, admin, "amy")
    anchor_path(db.engine.url).unlink()
    with db.read() as session:
        report = audit.verify(session)
        newest = audit.newest_hash(session)
    assert report.ok
    assert "none yet on this machine" in report.anchor
    anchor = read_anchor(db.engine.url)
    assert anchor is not None
    assert anchor.hash == newest


def test_the_trail_holds_the_hash_a_document_recorded_until_it_is_rewritten(
    db: Database, admin: Actor
) -> None:
    _users(db, admin, "amy")
    with db.read() as session:
        recorded = audit.newest_hash(session)  # what a signed PDF carries
    _users(db, admin, "ben")
    with db.read() as session:
        assert audit.holds_hash(session, recorded)
        assert audit.newest_hash(session) != recorded
        assert not audit.holds_hash(session, "f" * 64)
    _rewrite_chain(db, {1: "someone-else"})
    with db.read() as session:
        assert not audit.holds_hash(session, recorded)


def test_an_empty_trail_has_the_genesis_hash_and_holds_nothing(db: Database) -> None:
    with db.read() as session:
        assert audit.newest_hash(session) == audit.GENESIS
        assert not audit.holds_hash(session, audit.GENESIS)
