"""Log-in under attack: parallel guessing meets the lock-out exactly (in one go or in two halves), and
failures reveal no user names."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from ehdesk.domain import Role
from ehdesk.errors import AccountLocked, LoginFailed
from ehdesk.services import users
from ehdesk.services.actor import Actor
from ehdesk.services.users import InvalidUserDetails
from ehdesk.storage.database import Database
from ehdesk.storage.models import AuditEvent, User
from tests.conftest import PASSWORD
from tests.integration.logins import (
    ATTEMPTS,
    GUESSERS,
    CountingChecks,
    Guess,
    checks,
    guess_in_one_go,
    guess_in_two_halves,
    stored_hash,
)

__all__ = ["checks"]


@pytest.mark.parametrize("guess", [guess_in_one_go, guess_in_two_halves], ids=["in-one-go", "in-two-halves"])
def test_parallel_guessers_get_exactly_five_password_checks_before_the_lock(
    db: Database, worker: Actor, checks: CountingChecks, guess: Guess
) -> None:
    real_hash = stored_hash(db, worker.id)
    with ThreadPoolExecutor(max_workers=GUESSERS) as pool:
        outcomes = Counter(pool.map(lambda n: guess(db, n), range(ATTEMPTS)))
    assert checks.calls[real_hash] == users.MAX_FAILED_LOGINS
    assert sum(checks.calls.values()) == ATTEMPTS  # every refusal cost one argon2 check all the same
    # every attempt ended in a user-facing error: 4 plain failures, then the lock for the rest
    assert outcomes == {"LoginFailed": users.MAX_FAILED_LOGINS - 1, "AccountLocked": ATTEMPTS - 4}
    with db.read() as session:
        actions = Counter(
            session.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == str(worker.id)))
        )
        user = session.get(User, worker.id)
        assert user is not None
        assert user.locked_until is not None
    assert actions["login-failed"] == users.MAX_FAILED_LOGINS  # each checked failure audited
    assert actions["login-locked"] == ATTEMPTS - users.MAX_FAILED_LOGINS  # and each refusal


def test_failed_logins_are_counted_without_touching_the_version(db: Database, worker: Actor) -> None:
    with db.read() as session:
        before = session.get(User, worker.id)
        assert before is not None
        version = before.version
    for _ in range(2):
        with db.session() as session, pytest.raises(LoginFailed):
            users.login(session, "wendy", "wrong password!")
    with db.read() as session:
        user = session.get(User, worker.id)
        assert user is not None
        assert (user.failed_logins, user.version) == (2, version)  # an admin's open edit still saves
    with db.session() as session:
        users.login(session, "wendy", PASSWORD)
    with db.read() as session:
        user = session.get(User, worker.id)
        assert user is not None
        assert user.failed_logins == 0


def test_an_unknown_user_name_costs_an_argon2_check_like_a_wrong_password(
    db: Database, worker: Actor, checks: CountingChecks
) -> None:
    with db.session() as session, pytest.raises(LoginFailed) as unknown:
        users.login(session, "nobody-by-this-name", PASSWORD)
    with db.session() as session, pytest.raises(LoginFailed) as wrong:
        users.login(session, "wendy", "wrong password!")
    assert str(unknown.value) == str(wrong.value)
    assert sum(checks.calls.values()) == 2  # one against the dummy hash, one against wendy's
    assert checks.calls[stored_hash(db, worker.id)] == 1
    dummy = next(h for h in checks.calls if h != stored_hash(db, worker.id))
    assert dummy.startswith("$argon2id$")  # same algorithm and parameters as real hashes


def test_a_deactivated_account_fails_like_an_unknown_one(db: Database, admin: Actor, worker: Actor) -> None:
    with db.session() as session:
        version = users.get_user(session, worker.id or 0).version
        users.set_active(session, admin, worker.id or 0, False, version=version)
    with db.session() as session, pytest.raises(LoginFailed) as refused:
        users.login(session, "wendy", PASSWORD)
    assert str(refused.value) == users.LOGIN_FAILED


def test_the_lock_out_message_does_not_name_the_account(db: Database, worker: Actor) -> None:
    for _ in range(users.MAX_FAILED_LOGINS - 1):
        with db.session() as session, pytest.raises(LoginFailed):
            users.login(session, "wendy", "wrong password!")
    with db.session() as session, pytest.raises(AccountLocked) as locked:
        users.login(session, "wendy", "wrong password!")
    with db.session() as session, pytest.raises(AccountLocked) as still_locked:
        users.login(session, "WENDY", PASSWORD)
    for error in (locked.value, still_locked.value):
        assert "wendy" not in str(error).lower()
        assert "ask an admin" in str(error)


def _answers(db: Database, username: str, attempts: int) -> list[str]:
    """What each of ``attempts`` wrong log-ins as ``username`` says to the person trying."""
    said = []
    for n in range(attempts):
        with db.session() as session, pytest.raises((LoginFailed, AccountLocked)) as refused:
            users.login(session, username, f"wrong guess {n}")
        said.append(str(refused.value))
    return said


def test_a_locked_real_account_answers_exactly_as_an_unknown_name_does(
    db: Database, worker: Actor, checks: CountingChecks
) -> None:
    attempts = users.MAX_FAILED_LOGINS + 3  # past the lock-out, where the two used to differ
    real = _answers(db, "wendy", attempts)
    unknown = _answers(db, "no-such-user", attempts)
    assert real == unknown == [users.LOGIN_FAILED] * attempts
    assert "locked" in users.LOGIN_FAILED
    assert "ask an admin" in users.LOGIN_FAILED
    # and each refusal cost one argon2 check, locked or not, so the time taken tells nothing either
    assert sum(checks.calls.values()) == 2 * attempts
    with db.session() as session, pytest.raises(AccountLocked) as right_but_locked:
        users.login(session, "wendy", PASSWORD)
    assert str(right_but_locked.value) == users.LOGIN_FAILED
    assert sum(checks.calls.values()) == 2 * attempts + 1


def test_unknown_user_names_are_audited_without_the_name_typed(db: Database, admin: Actor) -> None:
    with db.session() as session, pytest.raises(LoginFailed):
        users.login(session, "my-password-typed-in-the-wrong-box", PASSWORD)
    with db.read() as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc())).first()
        assert event is not None
        assert (event.action, event.after) == ("login-failed", {"reason": "unknown user name"})
        assert "wrong-box" not in f"{event.actor} {event.entity_id} {event.after}"


def test_details_a_column_could_not_hold_are_refused_before_the_database_sees_them(
    db: Database, admin: Actor
) -> None:
    with db.session() as session, pytest.raises(InvalidUserDetails, match="at most 200 characters"):
        users.create_user(session, admin, "longname", "x" * 201, Role.WORKER, PASSWORD)
    with db.session() as session, pytest.raises(InvalidUserDetails, match="type it again"):
        users.create_user(session, admin, "paster", "Paster", Role.WORKER, "broken \udc80 paste!")
    with db.session() as session, pytest.raises(LoginFailed):
        users.login(session, "setup-admin", "broken \udc80 paste!")
