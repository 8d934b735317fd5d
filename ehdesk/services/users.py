"""Users, passwords and log-in.

Passwords are hashed with argon2id (argon2-cffi's defaults follow RFC 9106). Five failed log-ins in a
row lock the account for fifteen minutes; a successful log-in resets the count. Failed attempts are
audited so a manager can see someone guessing.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ehdesk.clock import utcnow
from ehdesk.domain import Role
from ehdesk.errors import AccountLocked, EhdeskError, LoginFailed, NotFound
from ehdesk.services import audit
from ehdesk.services.actor import SYSTEM, Actor
from ehdesk.services.permissions import Permission, require
from ehdesk.storage.models import User

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")

_hasher = PasswordHasher()


class InvalidUserDetails(EhdeskError):
    """A user name or password that ehdesk will not accept."""


def _check_details(username: str, password: str) -> str:
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise InvalidUserDetails(
            f"user name {username!r} is not usable: use 2-64 letters, digits, dots, dashes or underscores"
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidUserDetails(f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters")
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
