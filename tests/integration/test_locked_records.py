"""A signed (locked) record cannot change or be deleted, whichever code tries."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, update

from ehdesk.errors import RecordLocked
from ehdesk.services import referrals
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from ehdesk.storage.models import Decision
from tests import samples


def _locked_decision(db: Database, admin: Actor) -> int:
    with db.session() as session:
        family_id = referrals.create_referral(session, admin, samples.referral()).family_id
        decision = Decision(family_id=family_id, subject="objection", data={"decision": "Share with GP"})
        session.add(decision)
        session.flush()
        decision.locked = True  # locking itself is the last change a record may take
        return decision.id


def test_a_locked_record_cannot_be_changed(db: Database, admin: Actor) -> None:
    decision_id = _locked_decision(db, admin)
    with db.session() as session:
        decision = session.get(Decision, decision_id)
        assert decision is not None
        decision.data = {"decision": "Changed after signing"}
        with pytest.raises(RecordLocked, match="addendum"):
            session.flush()
        session.rollback()
    with db.read() as session:
        stored = session.get(Decision, decision_id)
        assert stored is not None
        assert stored.data == {"decision": "Share with GP"}


def test_a_locked_record_cannot_be_unlocked_or_deleted(db: Database, admin: Actor) -> None:
    decision_id = _locked_decision(db, admin)
    with db.session() as session:
        decision = session.get(Decision, decision_id)
        assert decision is not None
        decision.locked = False
        with pytest.raises(RecordLocked):
            session.flush()
        session.rollback()
    with pytest.raises(RecordLocked, match="cannot be deleted"), db.session() as session:
        session.delete(session.get(Decision, decision_id))


def test_an_unlocked_record_can_still_be_corrected(db: Database, admin: Actor) -> None:
    with db.session() as session:
        family_id = referrals.create_referral(session, admin, samples.referral()).family_id
        decision = Decision(family_id=family_id, subject="objection", data={"decision": "Draft"})
        session.add(decision)
    with db.session() as session:
        stored = session.get(Decision, decision.id)
        assert stored is not None
        stored.data = {"decision": "Corrected"}
    with db.read() as session:
        assert session.get(Decision, decision.id).data == {"decision": "Corrected"}  # type: ignore[union-attr]


def test_a_lock_cannot_be_lifted_after_the_session_forgot_its_value(db: Database, admin: Actor) -> None:
    """Even with the loaded value expired, the stored lock is known before the change is written."""
    decision_id = _locked_decision(db, admin)
    with db.session() as session:
        decision = session.get(Decision, decision_id)
        assert decision is not None
        session.expire(decision)
        decision.locked = False
        decision.data = {"decision": "Quietly changed"}
        with pytest.raises(RecordLocked):
            session.flush()
        session.rollback()


def test_bulk_statements_cannot_go_around_the_lock(db: Database, admin: Actor) -> None:
    decision_id = _locked_decision(db, admin)
    with pytest.raises(RecordLocked, match="one by one"), db.session() as session:
        session.execute(update(Decision).where(Decision.id == decision_id).values(data={"x": 1}))
    with pytest.raises(RecordLocked), db.session() as session:
        session.execute(delete(Decision).where(Decision.id == decision_id))
