"""Management decisions: managers only, validated, audited, and guarded against stale saves."""

from __future__ import annotations

from typing import Any

import pytest

from ehdesk.domain import Role
from ehdesk.errors import ConflictError, NotFound, PermissionDenied, RecordLocked, ValidationFailed
from ehdesk.policy import default_pack
from ehdesk.services import decisions, referrals
from ehdesk.services.actor import Actor
from ehdesk.services.permissions import Permission, require
from ehdesk.storage.database import Database
from ehdesk.storage.models import Decision, Decline
from tests import samples
from tests.conftest import make_user

POLICY = default_pack()


def _family(db: Database, admin: Actor) -> int:
    with db.session() as session:
        return referrals.create_referral(session, admin, samples.referral(), policy=default_pack()).family_id


def _decision(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "decision": "Share the attendance concern with the school nurse only.",
        "rationale": "The family objected to the school; the nurse can help and the family agreed.",
        "decided_on": "2026-11-20",
    }
    values.update(overrides)
    return values


def test_a_manager_records_a_decision(db: Database, admin: Actor, manager: Actor) -> None:
    family_id = _family(db, admin)
    with db.session() as session:
        decision = decisions.record_decision(
            session, manager, family_id, _decision(), subject="objection", policy=POLICY
        )
        assert decision.decided_by == manager.id
        assert decision.data["decided_on"] == "2026-11-20"


def test_a_worker_cannot_call_the_manager_only_decision_service(
    db: Database, admin: Actor, worker: Actor
) -> None:
    family_id = _family(db, admin)
    with db.session() as session, pytest.raises(PermissionDenied, match="only managers can"):
        decisions.record_decision(session, worker, family_id, _decision(), subject="objection", policy=POLICY)


def test_an_admin_cannot_decide_and_signing_is_a_managers_permission(db: Database, admin: Actor) -> None:
    """Deciding is refused by the decision service itself; signing builds on it in the signing issue,
    so here the permission it will check is shown to be managers' only."""
    family_id = _family(db, admin)
    with db.session() as session, pytest.raises(PermissionDenied, match="record management decisions"):
        decisions.record_decision(session, admin, family_id, _decision(), subject="objection", policy=POLICY)
    with pytest.raises(PermissionDenied, match="sign management decisions"):
        require(admin, Permission.SIGN_DECISION)


def test_a_decline_decision_must_answer_the_case_progression_questions(
    db: Database, admin: Actor, manager: Actor
) -> None:
    family_id = _family(db, admin)
    with db.session() as session, pytest.raises(ValidationFailed) as refused:
        decisions.record_decision(session, manager, family_id, _decision(), subject="decline", policy=POLICY)
    cited = {p.obligation for p in refused.value.result.errors}
    assert {"G21", "G23", "G24"} <= cited


def test_a_stale_amendment_is_a_conflict_and_a_locked_decision_cannot_change(
    db: Database, admin: Actor, manager: Actor
) -> None:
    family_id = _family(db, admin)
    with db.session() as session:
        decision = decisions.record_decision(
            session, manager, family_id, _decision(), subject="objection", policy=POLICY
        )
        decision_id, version = decision.id, decision.version
    with db.session() as session:
        decisions.amend_decision(
            session, manager, decision_id, _decision(rationale="Updated."), version=version, policy=POLICY
        )
    with db.session() as session, pytest.raises(ConflictError):
        decisions.amend_decision(
            session, manager, decision_id, _decision(rationale="Stale."), version=version, policy=POLICY
        )
    with db.session() as session:
        stored = session.get(Decision, decision_id)
        assert stored is not None
        assert stored.data["rationale"] == "Updated."
        stored.locked = True
    with pytest.raises(RecordLocked, match="addendum"), db.session() as session:
        decisions.amend_decision(  # stale too
            session, manager, decision_id, _decision(), version=version + 1, policy=POLICY
        )


def test_only_the_manager_who_decided_may_amend(db: Database, admin: Actor, manager: Actor) -> None:
    family_id = _family(db, admin)
    other = make_user(db, "olu", Role.MANAGER)
    with db.session() as session:
        decision = decisions.record_decision(
            session, manager, family_id, _decision(), subject="objection", policy=POLICY
        )
        decision_id, version = decision.id, decision.version
    with db.session() as session, pytest.raises(PermissionDenied, match="made by another manager"):
        decisions.amend_decision(
            session, other, decision_id, _decision(rationale="Mine now."), version=version, policy=POLICY
        )


def test_a_decision_cannot_point_at_another_familys_record(
    db: Database, admin: Actor, manager: Actor
) -> None:
    first = _family(db, admin)
    second = _family(db, admin)
    with db.session() as session:
        decline = Decline(family_id=first, data={})
        session.add(decline)
        session.flush()
        decline_id = decline.id
    with db.session() as session, pytest.raises(NotFound, match="no decline record"):
        decisions.record_decision(
            session, manager, second, _decision(), subject="decline", subject_id=decline_id, policy=POLICY
        )
