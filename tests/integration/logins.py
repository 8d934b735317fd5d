"""Shared by the log-in tests: counting the password checks, and a wrong guess made either way a front
end logs in — in one go (:func:`users.login`) or in two halves with the check on a thread between."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import pytest

from ehdesk.desk.people import PeopleDesk
from ehdesk.errors import EhdeskError
from ehdesk.policy.pack import load_pack
from ehdesk.services import users
from ehdesk.storage.database import Database
from ehdesk.storage.models import User

GUESSERS = 8
ATTEMPTS = 40


class CountingChecks:
    """Wraps the one function that checks a password against a hash, counting calls per hash and the
    threads they ran on."""

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


def stored_hash(db: Database, user_id: int | None) -> str:
    with db.read() as session:
        user = session.get(User, user_id)
        assert user is not None
        return user.password_hash


def check_on_a_thread(attempt: users.LoginAttempt) -> None:
    thread = threading.Thread(target=attempt.check, name="check")
    thread.start()
    thread.join()


Guess = Callable[[Database, int], str]


def guess_in_one_go(db: Database, attempt: int) -> str:
    """One wrong guess at wendy's password in its own unit of work, as the CLI makes it; the name of
    what came back."""
    try:
        with db.session() as session:
            users.login(session, "wendy", f"wrong guess {attempt}")
    except EhdeskError as error:
        return type(error).__name__
    return "accepted"


def guess_in_two_halves(db: Database, attempt: int) -> str:
    """One wrong guess as the GUI makes it: a unit of work, the check on its own thread, another unit of
    work."""
    desk = PeopleDesk(db, load_pack(None))
    try:
        pending = desk.begin_login("wendy", f"wrong guess {attempt}")
        check_on_a_thread(pending)
        desk.finish_login(pending)
    except EhdeskError as error:
        return type(error).__name__
    return "accepted"
