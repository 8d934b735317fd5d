"""Users, passwords, log-in and user management.

Passwords are hashed with argon2id (argon2-cffi's defaults follow RFC 9106). Five failed log-ins in a
row lock the account for fifteen minutes; a successful log-in resets the count. Failed attempts are
audited so a manager can see someone guessing.

Admins manage the team (list, add, reset a password, deactivate, change a role); everyone can change
their own password. Users are never deleted: their id is on audit events and records, so leaving the
team means deactivation. Two guards keep the service usable: an admin cannot deactivate themself (a
slip would lock them out mid-session; another admin must do it), and the last active admin cannot be
deactivated or demoted, themself included (nobody could then add users again).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ehdesk.clock import utcnow
from ehdesk.domain import Role
from ehdesk.errors import AccountLocked, EhdeskError, LoginFailed, NotFound, PermissionDenied
from ehdesk.services import audit
from ehdesk.services.actor import SYSTEM, Actor
from ehdesk.services.permissions import Permission, allowed, require
from ehdesk.services.records import expect_version, flush_or_conflict
from ehdesk.storage.models import User

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")

_hasher = PasswordHasher()


class InvalidUserDetails(EhdeskError):
    """A user name or password that ehdesk will not accept."""


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidUserDetails(f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters")


def _check_details(username: str, password: str) -> str:
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise InvalidUserDetails(
            f"user name {username!r} is not usable: use 2-64 letters, digits, dots, dashes or underscores"
        )
    _check_password(password)
    return name


def count_users(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(User)) or 0


def _add_user(
    session: Session, actor: Actor, username: str, full_name: str, role: Role, password: str
) -> User:
    name = _check_details(username, password)
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise InvalidUserDetails(f"user name {name!r} is taken: choose another")
    user = User(
        username=name,
        full_name=full_name.strip() or name,
        role=Role(role).value,
        password_hash=_hasher.hash(password),
    )
    session.add(user)
    session.flush()
    audit.record(session, actor, "create", "user", user.id, after=audit.snapshot(user))
    return user


def create_first_admin(session: Session, username: str, full_name: str, password: str) -> User:
    """The one account made without logging in, and only while there are no users at all."""
    if count_users(session):
        raise InvalidUserDetails("users already exist: log in as an admin to add more")
    return _add_user(session, SYSTEM, username, full_name, Role.ADMIN, password)


def create_user(
    session: Session, actor: Actor, username: str, full_name: str, role: Role, password: str
) -> User:
    require(actor, Permission.MANAGE_USERS)
    return _add_user(session, actor, username, full_name, role, password)


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    return user


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def login(session: Session, username: str, password: str) -> Actor:
    """Check a password. Raises :class:`LoginFailed` or :class:`AccountLocked`; never says which part
    was wrong, so a guesser learns nothing about which user names exist."""
    name = username.strip().lower()
    user = session.scalar(select(User).where(User.username == name))
    if user is None or not user.active:
        raise LoginFailed("wrong user name or password; check both and try again")
    now = utcnow()
    if user.locked_until is not None and _aware(user.locked_until) > now:
        until = _aware(user.locked_until).astimezone().strftime("%H:%M")
        raise AccountLocked(
            f"account {name} is locked after {MAX_FAILED_LOGINS} failed log-ins until {until}; "
            "wait, or ask an admin to reset the password"
        )
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_logins += 1
        locked = user.failed_logins >= MAX_FAILED_LOGINS
        if locked:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
        audit.record(
            session,
            Actor.from_user(user),
            "login-failed",
            "user",
            user.id,
            after={"locked": locked},
        )
        session.commit()  # the failed attempt must count even though we raise
        if locked:
            raise AccountLocked(
                f"account {name} is now locked for {int(LOCKOUT.total_seconds() // 60)} minutes "
                f"after {MAX_FAILED_LOGINS} failed log-ins"
            ) from None
        left = MAX_FAILED_LOGINS - user.failed_logins
        raise LoginFailed(
            f"wrong user name or password; {left} more attempt{'s' if left != 1 else ''} before the "
            "account locks for 15 minutes"
        ) from None
    if user.failed_logins or user.locked_until is not None:
        user.failed_logins = 0
        user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    session.flush()
    return Actor.from_user(user)


# user management ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UserRow:
    """One user as the admin's list shows it, copied out of the session that loaded it."""

    id: int
    username: str
    full_name: str
    role: Role
    active: bool
    locked: bool
    version: int


def _is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and _aware(user.locked_until) > now


def _row(user: User, now: datetime) -> UserRow:
    return UserRow(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=Role(user.role),
        active=user.active,
        locked=_is_locked(user, now),
        version=user.version,
    )


def _require_manager_of_users(session: Session, actor: Actor) -> None:
    """The role check, plus a look at the actor's own row: an :class:`Actor` is a snapshot taken at
    log-in, so an admin deactivated or demoted since then must not keep managing the team."""
    require(actor, Permission.MANAGE_USERS)
    if actor.id is None:
        return  # the set-up actor, which exists only before any user does
    me = session.get(User, actor.id)
    if me is None or not me.active or not allowed(Actor.from_user(me), Permission.MANAGE_USERS):
        raise PermissionDenied(
            f"{actor.username} can no longer manage users (the account was deactivated or its role "
            "changed since log-in); log in again, or ask another admin"
        )


def _active_admins(session: Session) -> int:
    """Counted under row locks (PostgreSQL), so two admins demoting each other at the same moment
    cannot both succeed: the second waits, sees the first's change and is refused. SQLite serialises
    writers itself."""
    query = select(User.id).where(User.role == Role.ADMIN.value, User.active).with_for_update()
    return len(session.scalars(query).all())


def _refuse_losing_last_admin(session: Session, user: User) -> None:
    if user.role == Role.ADMIN.value and user.active and _active_admins(session) <= 1:
        raise InvalidUserDetails(
            f"{user.username} is the last active admin; make another user an admin first, "
            "so someone can still manage users"
        )


def list_users(session: Session, actor: Actor) -> list[UserRow]:
    """Everyone, active or not, by user name (deactivated users stay listed so they can be restored)."""
    _require_manager_of_users(session, actor)
    now = utcnow()
    return [_row(user, now) for user in session.scalars(select(User).order_by(User.username))]


def reset_password(session: Session, actor: Actor, user_id: int, new_password: str, *, version: int) -> User:
    """Set a new password for someone who forgot theirs; this also lifts a lock-out, since a locked-out
    user asking an admin is exactly the way back in that the lock-out message suggests."""
    _require_manager_of_users(session, actor)
    _check_password(new_password)
    user = get_user(session, user_id)
    expect_version(user, version)
    before = audit.snapshot(user)
    user.password_hash = _hasher.hash(new_password)
    user.failed_logins = 0
    user.locked_until = None
    flush_or_conflict(session, user)
    audit.record(session, actor, "reset-password", "user", user.id, before=before, after=audit.snapshot(user))
    return user


def set_active(session: Session, actor: Actor, user_id: int, active: bool, *, version: int) -> User:
    """Deactivate someone who left (they can no longer log in; their history stays) or bring them back."""
    _require_manager_of_users(session, actor)
    user = get_user(session, user_id)
    expect_version(user, version)
    if user.active == active:
        return user  # already so: nothing to change, nothing to audit
    if not active:
        if user.id == actor.id:
            raise InvalidUserDetails("you cannot deactivate your own account; ask another admin to do it")
        _refuse_losing_last_admin(session, user)
    before = audit.snapshot(user)
    user.active = active
    flush_or_conflict(session, user)
    action = "activate" if active else "deactivate"
    audit.record(session, actor, action, "user", user.id, before=before, after=audit.snapshot(user))
    return user


def change_role(session: Session, actor: Actor, user_id: int, role: Role, *, version: int) -> User:
    """Give someone a different role. An admin may step down while another admin remains; their open
    session then loses user management at once (see :func:`_require_manager_of_users`)."""
    _require_manager_of_users(session, actor)
    new_role = Role(role)
    user = get_user(session, user_id)
    expect_version(user, version)
    if user.role == new_role.value:
        return user
    if new_role is not Role.ADMIN:
        _refuse_losing_last_admin(session, user)
    before = audit.snapshot(user)
    user.role = new_role.value
    flush_or_conflict(session, user)
    audit.record(session, actor, "change-role", "user", user.id, before=before, after=audit.snapshot(user))
    return user


def change_own_password(session: Session, actor: Actor, old_password: str, new_password: str) -> User:
    """Any logged-in user may change their own password, proving it is them with the current one."""
    if actor.id is None:
        raise InvalidUserDetails("log in as a user to change a password")
    user = get_user(session, actor.id)
    if not user.active:
        raise PermissionDenied(f"account {user.username} is deactivated; ask an admin to reactivate it")
    try:
        _hasher.verify(user.password_hash, old_password)
    except (VerificationError, InvalidHashError):
        raise LoginFailed("the current password is wrong; type it again") from None
    _check_password(new_password)
    if new_password == old_password:
        raise InvalidUserDetails("the new password is the same as the current one; choose a different one")
    before = audit.snapshot(user)
    user.password_hash = _hasher.hash(new_password)
    flush_or_conflict(session, user)
    audit.record(
        session, actor, "change-password", "user", user.id, before=before, after=audit.snapshot(user)
    )
    return user
