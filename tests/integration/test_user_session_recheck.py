"""A change to a user's account takes effect at their next action, not at their next log-in."""

from __future__ import annotations

import pytest

from ehdesk.domain import Role
from ehdesk.errors import PermissionDenied
from ehdesk.gui.backend import Backend
from ehdesk.policy import default_pack
from ehdesk.services import families, referrals, users
from ehdesk.services.actor import AccountDeactivated, Actor, current
from ehdesk.storage.database import Database
from tests import samples
from tests.conftest import PASSWORD


def _version(db: Database, user_id: int | None) -> int:
    with db.read() as session:
        return users.get_user(session, user_id or 0).version


def _deactivate(db: Database, admin: Actor, who: Actor) -> None:
    with db.session() as session:
        users.set_active(session, admin, who.id or 0, False, version=_version(db, who.id))


def _demote(db: Database, admin: Actor, who: Actor, role: Role) -> None:
    with db.session() as session:
        users.change_role(session, admin, who.id or 0, role, version=_version(db, who.id))


def _logged_in(db: Database, username: str) -> Backend:
    backend = Backend(db, default_pack())
    backend.login(username, PASSWORD)
    return backend


def test_a_deactivated_worker_cannot_search_in_the_session_they_already_have(
    db: Database, admin: Actor, worker: Actor
) -> None:
    session_of_wendy = _logged_in(db, "wendy")
    assert session_of_wendy.search_families("", limit=10, before_id=None) == []
    _deactivate(db, admin, worker)
    with pytest.raises(AccountDeactivated, match="deactivated since you logged in"):
        session_of_wendy.search_families("", limit=10, before_id=None)
    with pytest.raises(PermissionDenied):
        session_of_wendy.list_drafts()


def test_a_demoted_manager_acts_as_a_worker_from_their_next_action(
    db: Database, admin: Actor, manager: Actor
) -> None:
    session_of_mo = _logged_in(db, "mo")
    assert session_of_mo.actor is not None
    assert session_of_mo.actor.role is Role.MANAGER
    _demote(db, admin, manager, Role.WORKER)
    session_of_mo.list_drafts()  # any unit of work re-reads the row
    assert session_of_mo.actor is not None
    assert session_of_mo.actor.role is Role.WORKER


def test_a_demoted_manager_stops_allocating_at_once(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    with db.session() as session:
        family = referrals.create_referral(session, admin, samples.referral(), policy=default_pack()).family
        family_id, version = family.id, family.version
    _demote(db, admin, manager, Role.WORKER)
    with db.session() as session, pytest.raises(PermissionDenied, match="allocate families"):
        families.allocate(session, current(session, manager), family_id, worker.id, version=version)


def test_a_demoted_admin_cannot_add_users_with_their_old_actor(db: Database, admin: Actor) -> None:
    with db.session() as session:
        second = users.create_user(session, admin, "alex", "Alex", Role.ADMIN, PASSWORD)
        alex = Actor.from_user(second)
    _demote(db, admin, alex, Role.MANAGER)
    with db.session() as session, pytest.raises(PermissionDenied, match="can no longer manage users"):
        users.create_user(session, alex, "zed", "Zed", Role.WORKER, PASSWORD)


def test_the_recheck_reads_the_row_as_it_is_now(db: Database, admin: Actor, worker: Actor) -> None:
    with db.read() as session:
        assert current(session, worker) is worker  # unchanged: the same snapshot back
    _demote(db, admin, worker, Role.MANAGER)
    with db.read() as session:
        assert current(session, worker).role is Role.MANAGER
