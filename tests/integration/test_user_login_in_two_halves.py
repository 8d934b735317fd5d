"""A log-in in two units of work with the argon2 check between them, on whatever thread the front end
chooses (start-up, issue 18): the log-in's rules hold exactly as for :func:`users.login` in one go.
Parallel guessing in two halves meets the lock-out as guessing in one go does: see
``test_user_login_attacks.py``, which runs its guessers both ways.
"""

from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import select

from ehdesk.desk.base import NotLoggedIn
from ehdesk.desk.people import PeopleDesk
from ehdesk.domain import Role
from ehdesk.errors import AccountLocked, LoginFailed
from ehdesk.policy.pack import load_pack
from ehdesk.services import users
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from ehdesk.storage.models import User
from tests.conftest import PASSWORD, make_user
from tests.integration.logins import CountingChecks, check_on_a_thread, checks

__all__ = ["checks"]


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
    check_on_a_thread(attempt)
    assert desk.finish_login(attempt).username == "wendy"
    assert sum(checks.calls.values()) == 1
    assert checks.threads == ["check"]
    assert PASSWORD not in repr(attempt)


def test_nobody_acts_through_the_desk_until_the_log_in_is_finished(db: Database, admin: Actor) -> None:
    desk = PeopleDesk(db, load_pack(None))
    attempt = desk.begin_login("setup-admin", PASSWORD)
    check_on_a_thread(attempt)
    assert attempt.check()  # the password is right, and still nobody is logged in
    assert desk.actor is None
    with pytest.raises(NotLoggedIn):
        desk.list_users()
    desk.finish_login(attempt)
    assert [row.username for row in desk.list_users()] == ["setup-admin"]


def test_every_refusal_says_the_same_whichever_half_found_it(db: Database, admin: Actor) -> None:
    make_user(db, "gone", Role.WORKER)
    desk = PeopleDesk(db, load_pack(None))
    with desk.db.session() as session:
        gone = session.scalars(select(User).where(User.username == "gone")).one()
        users.set_active(session, admin, gone.id, False, version=gone.version)
    said = []
    for username, password in [("nobody", PASSWORD), ("gone", PASSWORD), ("setup-admin", "wrong password!")]:
        attempt = desk.begin_login(username, password)
        check_on_a_thread(attempt)
        with pytest.raises((LoginFailed, AccountLocked)) as refused:
            desk.finish_login(attempt)
        said.append(str(refused.value))
    assert said == [users.LOGIN_FAILED] * 3
