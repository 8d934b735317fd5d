"""Users, log-in, lock-out and role permissions, enforced in the services."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ehdesk.domain import Role
from ehdesk.errors import AccountLocked, LoginFailed, PermissionDenied
from ehdesk.services import users
from ehdesk.services.actor import Actor
from ehdesk.services.permissions import ROLE_PERMISSIONS, Permission, require
from ehdesk.storage.database import Database
from ehdesk.storage.models import User
from tests.conftest import PASSWORD


def test_passwords_are_stored_as_argon2id_hashes(db: Database, worker: Actor) -> None:
    with db.session() as session:
        user = session.get(User, worker.id)
        assert user is not None
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


def test_login_with_the_right_password_returns_the_actor(db: Database, worker: Actor) -> None:
    with db.session() as session:
        actor = users.login(session, "  WENDY ", PASSWORD)
    assert actor == worker


def test_a_wrong_password_gets_the_message_an_unknown_user_gets(db: Database, worker: Actor) -> None:
    with db.session() as session, pytest.raises(LoginFailed) as wrong_password:
        users.login(session, "wendy", "wrong password!")
    with db.session() as session, pytest.raises(LoginFailed) as unknown_user:
        users.login(session, "nobody-here", "wrong password!")
    assert str(wrong_password.value) == str(unknown_user.value) == users.LOGIN_FAILED
    assert "wendy" not in str(wrong_password.value)


def test_five_failed_logins_lock_the_account_for_fifteen_minutes(db: Database, worker: Actor) -> None:
    for _ in range(4):
        with db.session() as session, pytest.raises(LoginFailed):
            users.login(session, "wendy", "wrong password!")
    with db.session() as session, pytest.raises(AccountLocked, match="wait 15 minutes"):
        users.login(session, "wendy", "wrong password!")
    with db.session() as session, pytest.raises(AccountLocked):
        users.login(session, "wendy", PASSWORD)  # even the right password waits out the lock
    with db.session() as session:
        user = session.get(User, worker.id)
        assert user is not None
        assert user.locked_until is not None
        user.locked_until = user.locked_until - timedelta(minutes=16)
    with db.session() as session:
        assert users.login(session, "wendy", PASSWORD).username == "wendy"


def test_an_unknown_user_gets_the_same_message_as_a_wrong_password(db: Database, admin: Actor) -> None:
    with db.session() as session, pytest.raises(LoginFailed, match="wrong user name or password"):
        users.login(session, "nobody", PASSWORD)


def test_a_worker_cannot_create_users(db: Database, worker: Actor) -> None:
    with db.session() as session, pytest.raises(PermissionDenied, match="cannot manage users"):
        users.create_user(session, worker, "eve", "Eve", Role.ADMIN, PASSWORD)


def test_the_first_admin_can_only_be_made_on_an_empty_database(db: Database, admin: Actor) -> None:
    with db.session() as session, pytest.raises(users.InvalidUserDetails, match="already exist"):
        users.create_first_admin(session, "second", "Second", PASSWORD)


def test_short_passwords_are_refused_with_the_minimum_length(db: Database, admin: Actor) -> None:
    with db.session() as session, pytest.raises(users.InvalidUserDetails, match="at least 10"):
        users.create_user(session, admin, "short", "Short", Role.WORKER, "abc")


@pytest.mark.parametrize(
    ("role", "permission", "allowed"),
    [
        (Role.ADMIN, Permission.SIGN_DECISION, False),
        (Role.ADMIN, Permission.DECIDE, False),
        (Role.WORKER, Permission.SIGN_DECISION, False),
        (Role.WORKER, Permission.DECIDE, False),
        (Role.WORKER, Permission.MANAGE_USERS, False),
        (Role.MANAGER, Permission.SIGN_DECISION, True),
        (Role.MANAGER, Permission.RECORD_SHARING, True),
        (Role.ADMIN, Permission.CREATE_REFERRAL, True),
    ],
)
def test_role_permissions(role: Role, permission: Permission, allowed: bool) -> None:
    actor = Actor(id=9, username="someone", full_name="Someone", role=role)
    if allowed:
        require(actor, permission)
    else:
        with pytest.raises(PermissionDenied, match="ask one of them"):
            require(actor, permission)
    assert (permission in ROLE_PERMISSIONS[role]) is allowed
