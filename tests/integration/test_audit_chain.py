"""The audit trail: every change leaves a chained event; tampering is found and named."""

from __future__ import annotations

from itertools import pairwise

from sqlalchemy import delete, select, update

from ehdesk.demo import add_demo_families
from ehdesk.domain import Role
from ehdesk.services import audit, users
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from ehdesk.storage.models import AuditEvent, AuditHead
from tests.conftest import PASSWORD


def _three_users(db: Database, admin: Actor) -> None:
    with db.session() as session:
        for name in ("amy", "ben", "cal"):
            users.create_user(session, admin, name, name.title(), Role.WORKER, PASSWORD)


def test_each_change_appends_an_event_linked_to_the_one_before(db: Database, admin: Actor) -> None:
    _three_users(db, admin)
    with db.session() as session:
        events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
        assert [e.seq for e in events] == [1, 2, 3, 4]
        assert events[0].prev_hash == audit.GENESIS
        assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(events))
        assert events[1].actor == "setup-admin"
        assert events[1].after is not None
        assert events[1].after["username"] == "amy"
        assert events[1].after["password_hash"] == "(hidden)"
        assert audit.verify(session).ok


def test_an_edited_event_is_named_by_verify(db: Database, admin: Actor) -> None:
    _three_users(db, admin)
    with db.session() as session:
        session.execute(update(AuditEvent).where(AuditEvent.seq == 3).values(actor="mallory"))
    with db.session() as session:
        report = audit.verify(session)
    assert not report.ok
    assert report.bad_seq == 3
    assert "edited" in report.line()


def test_a_deleted_middle_event_is_named_by_verify(db: Database, admin: Actor) -> None:
    _three_users(db, admin)
    with db.session() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.seq == 2))
    with db.session() as session:
        report = audit.verify(session)
    assert not report.ok
    assert report.bad_seq == 2
    assert "deleted" in report.line()


def test_a_deleted_newest_event_is_detected_through_the_head(db: Database, admin: Actor) -> None:
    _three_users(db, admin)
    with db.session() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.seq == 4))
    with db.session() as session:
        report = audit.verify(session)
    assert not report.ok
    assert report.bad_seq == 4


def test_a_rolled_back_change_leaves_no_event(db: Database, admin: Actor) -> None:
    _three_users(db, admin)
    try:
        with db.session() as session:
            users.create_user(session, admin, "dee", "Dee", Role.WORKER, PASSWORD)
            raise RuntimeError("the save failed after the event was written")
    except RuntimeError:
        pass
    with db.session() as session:
        assert audit.verify(session).events == 4
        assert audit.verify(session).ok


def test_a_wiped_trail_beside_existing_records_is_detected(db: Database, admin: Actor) -> None:
    _three_users(db, admin)
    with db.session() as session:
        session.execute(delete(AuditEvent))
        session.execute(delete(AuditHead))
    with db.session() as session:
        report = audit.verify(session)
    assert not report.ok
    assert report.line() == (
        "audit trail broken: it holds no events although the database holds records (wiped)"
    )


def test_a_brand_new_database_has_an_empty_but_whole_trail(db: Database) -> None:
    with db.read() as session:
        report = audit.verify(session)
    assert report.ok
    assert report.events == 0


def test_a_wiped_trail_beside_families_without_users_is_detected(db: Database) -> None:
    add_demo_families(db.session, 2, seed=4)
    with db.session() as session:
        session.execute(delete(AuditEvent))
        session.execute(delete(AuditHead))
    with db.read() as session:
        assert not audit.verify(session).ok
