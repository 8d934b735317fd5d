"""A log-in in two units of work with the argon2 check between them, on whatever thread the front end
chooses (start-up, issue 18): the log-in's rules hold exactly as for :func:`users.login` in one go.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select

from ehdesk.desk.base import NotLoggedIn
from ehdesk.desk.people import PeopleDesk
from ehdesk.domain import Role
from ehdesk.errors import AccountLocked, EhdeskError, LoginFailed
from ehdesk.policy.pack import load_pack
from ehdesk.services import users
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from ehdesk.storage.models import AuditEvent, User
from tests.conftest import PASSWORD, make_user

GUESSERS = 8
ATTEMPTS = 40


class CountingChecks:
    """Wraps the one function that checks a password against a hash, counting calls and their threads."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.threads: list[str] = []
        self._lock = threading.Lock()
        self._real = users._password_matches

    def __call__(self, password_hash: str, password: str) -> bool:
        with self._lock:
            self.calls[password_hash] += 1
            self.threads.append(threading.current_thread().name)
        return self._real(password_hash, password)


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> CountingChecks:
    counter = CountingChecks()
    monkeypatch.setattr(users, "_password_matches", counter)
    return counter


def _check_on_a_thread(attempt: users.LoginAttempt) -> None:
    thread = threading.Thread(target=attempt.check, name="check")
    thread.start()
    thread.join()


@pytest.mark.parametrize("username", ["wendy", "nobody-by-this-name"])
def test_no_transaction_is_open_while_the_password_is_checked(
    db: Database, worker: Actor, username: str
) -> None:
    """Known name or not, the first half ends its transaction: argon2 never runs holding a lock."""
    with db.session() as session:
        attempt = users.start_login(session, username, PASSWORD)
        assert not session.in_transaction()
        assert not attempt.checked
        refused = pytest.raises(LoginFailed) if username != "wendy" else contextlib.nullcontext()
        with refused:
            users.finish_login(session, attempt)


def test_the_check_made_on_another_thread_is_the_only_check(
    db: Database, worker: Actor, checks: CountingChecks
) -> None:
    desk = PeopleDesk(db, load_pack(None))
    attempt = desk.begin_login("wendy", PASSWORD)
    _check_on_a_thread(attempt)
    assert desk.finish_login(attempt).username == "wendy"
    assert sum(checks.calls.values()) == 1
    assert checks.threads == ["check"]
    assert PASSWORD not in repr(attempt)


def test_nobody_acts_through_the_desk_until_the_log_in_is_finished(db: Database, admin: Actor) -> None:
    desk = PeopleDesk(db, load_pack(None))
    attempt = desk.begin_login("setup-admin", PASSWORD)
    _check_on_a_thread(attempt)
    assert attempt.check()  # the password is right, and still nobody is logged in
    assert desk.actor is None
    with pytest.raises(NotLoggedIn):
        desk.list_users()
    desk.finish_login(attempt)
    assert [row.username for row in desk.list_users()] == ["setup-admin"]


def _guess(db: Database, attempt: int) -> str:
    """One guess as the GUI makes it: a unit of work, the check on its own thread, another unit of work."""
    desk = PeopleDesk(db, load_pack(None))
    try:
        pending = desk.begin_login("wendy", f"wrong guess {attempt}")
        _check_on_a_thread(pending)
        desk.finish_login(pending)
    except EhdeskError as error:
        return type(error).__name__
    return "accepted"


def test_parallel_guessers_in_two_halves_still_get_exactly_five_password_checks(
    db: Database, worker: Actor, checks: CountingChecks
) -> None:
    with db.read() as session:
        real_hash = session.scalars(select(User.password_hash).where(User.id == worker.id)).one()
    with ThreadPoolExecutor(max_workers=GUESSERS) as pool:
        outcomes = Counter(pool.map(lambda n: _guess(db, n), range(ATTEMPTS)))
    assert checks.calls[real_hash] == users.MAX_FAILED_LOGINS
    assert sum(checks.calls.values()) == ATTEMPTS  # every refusal cost one argon2 check all the same
    assert outcomes == {"LoginFailed": users.MAX_FAILED_LOGINS - 1, "AccountLocked": ATTEMPTS - 4}
    with db.read() as session:
        actions = Counter(
            session.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == str(worker.id)))
        )
    assert actions["login-failed"] == users.MAX_FAILED_LOGINS
    assert actions["login-locked"] == ATTEMPTS - users.MAX_FAILED_LOGINS


def test_every_refusal_says_the_same_whichever_half_found_it(db: Database, admin: Actor) -> None:
    make_user(db, "gone", Role.WORKER)
    desk = PeopleDesk(db, load_pack(None))
    with desk.db.session() as session:
        gone = session.scalars(select(User).where(User.username == "gone")).one()
        users.set_active(session, admin, gone.id, False, version=gone.version)
    said = []
    for username, password in [("nobody", PASSWORD), ("gone", PASSWORD), ("setup-admin", "wrong password!")]:
        attempt = desk.begin_login(username, password)
        _check_on_a_thread(attempt)
        with pytest.raises((LoginFailed, AccountLocked)) as refused:
            desk.finish_login(attempt)
        said.append(str(refused.value))
    assert said == [users.LOGIN_FAILED] * 3
