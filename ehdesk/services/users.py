"""Users, passwords, log-in and user management.

Passwords are hashed with argon2id (argon2-cffi's defaults follow RFC 9106). Five failed log-ins in a
row lock the account for fifteen minutes; a successful log-in resets the count. The count is kept by
atomic UPDATEs, so parallel guessers on PostgreSQL get five password checks between them, not five
each. Failed attempts are audited so a manager can see someone guessing, and no answer (message or
time taken) tells a guesser whether a user name exists.

Admins manage the team (list, add, reset a password, deactivate, change a role); everyone can change
their own password. Users are never deleted: their id is on audit events and records, so leaving the
team means deactivation. Two guards keep the service usable: an admin cannot deactivate themself (a
slip would lock them out mid-session; another admin must do it), and the last active admin cannot be
deactivated or demoted, themself included (nobody could then add users again).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from ehdesk.clock import utcnow
from ehdesk.domain import Role
from ehdesk.errors import AccountLocked, EhdeskError, LoginFailed, NotFound, PermissionDenied
from ehdesk.services import audit
from ehdesk.services.actor import SYSTEM, Actor, current
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


MAX_FULL_NAME = 200  # the column's width (users.full_name)


def _check_password(password: str, username: str) -> None:
    """Refuse a password too short, one that cannot be stored, or one that is the user name.

    The user name is on screen and in every audit line, so as a password it protects nothing; refusing
    it also lets the login dialog treat a Password box holding the user name as the slip it is (the
    name typed in the wrong box) rather than as an attempt."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidUserDetails(f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters")
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidUserDetails(
            "the password holds a character that cannot be stored (a broken paste?); type it again"
        ) from None
    if password.strip().lower() == username.strip().lower():
        raise InvalidUserDetails(
            "the password is the user name: choose a password nobody can read off a screen"
        )


def _check_full_name(full_name: str) -> str:
    name = " ".join(full_name.split())
    if len(name) > MAX_FULL_NAME:
        raise InvalidUserDetails(f"the full name is too long: use at most {MAX_FULL_NAME} characters")
    return name


def _check_details(username: str, password: str) -> str:
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise InvalidUserDetails(
            f"user name {username!r} is not usable: use 2-64 letters, digits, dots, dashes or underscores"
        )
    _check_password(password, name)
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
        full_name=_check_full_name(full_name) or name,
        role=Role(role).value,
        password_hash=_hasher.hash(password),
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:  # someone took the name between the check above and this insert
        raise InvalidUserDetails(f"user name {name!r} is taken: choose another") from exc
    audit.record(session, actor, "create", "user", user.id, after=audit.snapshot(user))
    return user


def count_admins(session: Session) -> int:
    """Active admins: the people who can add users (a database holding only demo staff has none)."""
    stmt = select(func.count()).select_from(User).where(User.role == Role.ADMIN.value, User.active.is_(True))
    return session.scalar(stmt) or 0


def create_first_admin(
    session: Session, username: str, full_name: str, password: str, *, beside_staff: bool = False
) -> User:
    """The one account made without logging in: while there are no users at all, or — with
    ``beside_staff``, for ``ehdesk init`` on a database the demo filled first — while no active admin exists
    (without one, nobody could ever add or manage a user)."""
    taken = count_admins(session) if beside_staff else count_users(session)
    if taken:
        raise InvalidUserDetails("users already exist: log in as an admin to add more")
    return _add_user(session, SYSTEM, username, full_name, Role.ADMIN, password)


def create_user(
    session: Session, actor: Actor, username: str, full_name: str, role: Role, password: str
) -> User:
    _require_manager_of_users(session, actor)
    return _add_user(session, actor, username, full_name, role, password)


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    return user


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


LOGIN_FAILED = (
    "wrong user name or password, or the account is locked after "
    f"{MAX_FAILED_LOGINS} failed attempts in a row: check both and try again, or wait "
    f"{int(LOCKOUT.total_seconds() // 60)} minutes or ask an admin to reset the password"
)
LOGIN_LOCKED = LOGIN_FAILED
"""Every refused log-in says the same: a locked account must not answer
differently from an unknown name, or a guesser learns which names are real by locking them."""


@cache
def _dummy_hash() -> str:
    """A hash made with the same parameters as real ones, checked when the user name is unknown so
    that a wrong name costs the same argon2 work (and time) as a wrong password."""
    return _hasher.hash("ehdesk: no such user")


def _password_matches(password_hash: str, password: str) -> bool:
    """The one place a password is checked against a hash (tests count the calls)."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError, UnicodeEncodeError):
        return False


def is_login_password(user: User, password: str) -> bool:
    """Whether ``password`` is ``user``'s log-in password, checked as a log-in checks it but not counted
    or audited as one: for a step that must use that very password (sealing their signing key)."""
    return _password_matches(user.password_hash, password)


_UNKNOWN = Actor(id=None, username="(unknown)", full_name="unknown user name", role=Role.WORKER)


def _reserve_attempt(session: Session, user_id: int, now: datetime) -> int | None:
    """Count this attempt before the password is checked, in one atomic UPDATE; None if locked.

    The count goes up only while the account is unlocked and under the limit, so however many guesses
    arrive at once, at most :data:`MAX_FAILED_LOGINS` of them reach a password check. It is committed
    at once: parallel guessers see it, and SQLite's write lock is not held during the slow hash check.
    The version column is left alone (a log-in is not an edit an admin could conflict with).
    """
    reserved = session.execute(
        update(User)
        .where(
            User.id == user_id,
            User.failed_logins < MAX_FAILED_LOGINS,
            or_(User.locked_until.is_(None), User.locked_until <= now),
        )
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    session.commit()
    return reserved


def _settle(session: Session, user_id: int, values: dict[str, Any]) -> None:
    session.execute(
        update(User).where(User.id == user_id).values(**values).execution_options(synchronize_session=False)
    )


class Found(Enum):
    """What the first half of a log-in found, which decides how the second half refuses or accepts."""

    UNKNOWN = "unknown user name"
    DEACTIVATED = "deactivated account"
    LOCKED = "account locked"
    COUNTED = "attempt counted"  # a real, active, unlocked account: its password decides


class LoginAttempt:
    """One log-in between its two units of work: what :func:`start_login` read and counted, and the
    password check still to make.

    The check (:meth:`check`) is argon2 alone — no session, no database — and argon2-cffi releases the
    GIL while it hashes, so a front end may run it on a thread of its own while it gets on with other
    work (the GUI imports its main window meanwhile: start-up, issue 18). Whichever thread asks first
    does the work, once; a second caller waits for that answer. The password is dropped as soon as it
    has been checked (and, if the stored hash's parameters are out of date, re-hashed).
    """

    def __init__(
        self, found: Found, actor: Actor, password: str, *, stored_hash: str | None = None, attempt: int = 0
    ) -> None:
        self.found = found
        self.actor = actor
        self.attempt = attempt  # this attempt's number in the failed-log-in count (COUNTED only)
        self._stored_hash = stored_hash  # None: checked against the dummy hash, as every refusal is
        self._password: str | None = password
        self._matched: bool | None = None
        self.new_hash: str | None = None  # the password re-hashed with today's parameters, if due
        self._lock = threading.Lock()

    def __repr__(self) -> str:  # never the password or the hash
        return f"LoginAttempt({self.found.name}, {self.actor.username!r}, checked={self.checked})"

    @property
    def user_id(self) -> int | None:
        return self.actor.id

    @property
    def checked(self) -> bool:
        return self._matched is not None

    def check(self) -> bool:
        """Whether the password matches (always False for a refusal found before the check). Every
        attempt costs the same argon2 work — an unknown name, a deactivated or locked account are
        checked against a dummy hash made with the real parameters — so the time taken tells a
        guesser nothing."""
        with self._lock:
            if self._matched is None:
                password = self._password or ""
                stored = self._stored_hash if self.found is Found.COUNTED else None
                matched = _password_matches(stored if stored is not None else _dummy_hash(), password)
                if matched and stored is not None and _hasher.check_needs_rehash(stored):
                    self.new_hash = _hasher.hash(password)
                self._matched = matched and stored is not None
                self._password = None
            return self._matched


def start_login(session: Session, username: str, password: str) -> LoginAttempt:
    """The first half of :func:`login`: find the user and count the attempt, committed before the slow
    check so that no transaction (nor SQLite's write lock) is held while argon2 runs.

    The count goes up in one atomic UPDATE before the password is known (:func:`_reserve_attempt`), so
    however many guesses arrive at once, at most :data:`MAX_FAILED_LOGINS` of them reach a real check;
    what was found is kept in the returned :class:`LoginAttempt` for :func:`finish_login`.
    """
    name = username.strip().lower()
    user = session.scalar(select(User).where(User.username == name).execution_options(populate_existing=True))
    if user is None:
        session.commit()
        return LoginAttempt(Found.UNKNOWN, _UNKNOWN, password)
    actor = Actor.from_user(user)
    if not user.active:
        session.commit()
        return LoginAttempt(Found.DEACTIVATED, actor, password)
    stored_hash = user.password_hash
    attempt = _reserve_attempt(session, user.id, utcnow())  # commits
    if attempt is None:
        return LoginAttempt(Found.LOCKED, actor, password)
    return LoginAttempt(Found.COUNTED, actor, password, stored_hash=stored_hash, attempt=attempt)


def finish_login(session: Session, attempt: LoginAttempt) -> Actor:
    """The second half of :func:`login`: check the password if nobody has yet, then settle the outcome
    — audit a refusal, lock the account on the last allowed failure, reset the count on success — and
    commit it, so it stands even though the caller's unit of work ends in an error. Raises
    :class:`LoginFailed` or :class:`AccountLocked`, both with :data:`LOGIN_FAILED`."""
    matched = attempt.check()
    actor, user_id = attempt.actor, attempt.user_id
    if attempt.found in (Found.UNKNOWN, Found.DEACTIVATED):
        audit.record(session, actor, "login-failed", "user", user_id, after={"reason": attempt.found.value})
        session.commit()
        raise LoginFailed(LOGIN_FAILED)
    assert user_id is not None  # a found account
    if attempt.found is Found.LOCKED:
        audit.record(session, actor, "login-locked", "user", user_id, after={"reason": attempt.found.value})
        session.commit()
        raise AccountLocked(LOGIN_LOCKED)
    if not matched:
        locked = attempt.attempt >= MAX_FAILED_LOGINS
        if locked:
            _settle(session, user_id, {"locked_until": utcnow() + LOCKOUT, "failed_logins": 0})
        after = {"attempt": attempt.attempt, "locked": locked}
        audit.record(session, actor, "login-failed", "user", user_id, after=after)
        session.commit()
        raise AccountLocked(LOGIN_LOCKED) if locked else LoginFailed(LOGIN_FAILED)
    values: dict[str, Any] = {"failed_logins": 0, "locked_until": None}
    if attempt.new_hash is not None:
        values["password_hash"] = attempt.new_hash
    _settle(session, user_id, values)
    session.commit()
    loaded = session.identity_map.get(identity_key(User, user_id))
    if loaded is not None:
        session.expire(loaded)  # the counters changed behind the ORM's back
    return actor


def login(session: Session, username: str, password: str) -> Actor:
    """Check a password. Raises :class:`LoginFailed` or :class:`AccountLocked`.

    Nothing tells a guesser whether a user name exists: an unknown or deactivated name, a wrong
    password and a locked account all get the same message (:data:`LOGIN_FAILED`) after the same
    argon2 work (a locked account's and an unknown name's against a dummy hash). Otherwise five wrong
    passwords would tell a real name (it locks) from an unknown one (it never does).
    :class:`AccountLocked` (same message) is for callers that already know the user, such as signing.
    Every failure is counted atomically (see :func:`_reserve_attempt`) and audited, and each
    outcome is committed here so it stands even though the caller's unit of work ends in an error.

    This is :func:`start_login` then :func:`finish_login` on one thread; a front end that wants the
    argon2 check on another thread calls the two halves itself and :meth:`LoginAttempt.check` between.
    """
    return finish_login(session, start_login(session, username, password))


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


def _require_manager_of_users(session: Session, actor: Actor) -> Actor:
    """The role check made against the actor's row as it is now (:func:`ehdesk.services.actor.current`):
    an admin deactivated or demoted since log-in must not keep managing the team."""
    require(actor, Permission.MANAGE_USERS)
    now_actor = current(session, actor)
    if not allowed(now_actor, Permission.MANAGE_USERS):
        raise PermissionDenied(
            f"{actor.username} can no longer manage users (the account's role changed since log-in); "
            "ask another admin"
        )
    return now_actor


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
    user = get_user(session, user_id)
    _check_password(new_password, user.username)
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
    """Any logged-in user may change their own password, proving it is them with the current one.
    Their signing key, if they have one, is re-sealed with the new password in the same transaction."""
    if actor.id is None:
        raise InvalidUserDetails("log in as a user to change a password")
    user = get_user(session, actor.id)
    if not user.active:
        raise PermissionDenied(f"account {user.username} is deactivated; ask an admin to reactivate it")
    if not _password_matches(user.password_hash, old_password):
        raise LoginFailed("the current password is wrong; type it again")
    _check_password(new_password, user.username)
    if new_password == old_password:
        raise InvalidUserDetails("the new password is the same as the current one; choose a different one")
    before = audit.snapshot(user)
    user.password_hash = _hasher.hash(new_password)
    flush_or_conflict(session, user)
    audit.record(
        session, actor, "change-password", "user", user.id, before=before, after=audit.snapshot(user)
    )
    # the signing key is sealed with the log-in password: re-seal it in this same transaction, so a
    # manager who changes their password can still sign (and a failure leaves the old password too)
    from ehdesk.signing.identities import reseal_own_identity  # cryptography: only when needed

    reseal_own_identity(session, actor, old_password, new_password)
    return user


def signing_notice_after_reset(session: Session, user_id: int) -> str | None:
    """What the admin who reset ``user_id``'s password must be told about their signing key (which
    the reset cannot re-seal: nobody typed the old password), or None."""
    from ehdesk.signing.identities import key_lost_by_reset

    return key_lost_by_reset(session, user_id)
