"""Fixtures shared by every test layer.

GUI tests run headless: Qt reads QT_QPA_PLATFORM when the QApplication is made, so it is set here,
before pytest-qt creates one.

Storage and service tests take ``db``, which runs each test twice: on a real SQLite file and on the
real PostgreSQL server this run starts (never skipped: if the server cannot start, those tests fail).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ehdesk.domain import Role
from ehdesk.services import users
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from tests.pgserver import PostgresServer

PASSWORD = "correct horse battery"

# Property tests: a quick profile for `make test`, a large one for `make fuzz` (HYPOTHESIS_PROFILE=fuzz).
# A test that pins max_examples in its own @settings keeps its count under either profile.
settings.register_profile("quick", max_examples=25, deadline=None)
settings.register_profile(
    "fuzz", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's data folder or database settings."""
    monkeypatch.setenv("EHDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("EHDESK_CONFIG", str(tmp_path / "config" / "ehdesk.toml"))
    monkeypatch.delenv("EHDESK_DATABASE_URL", raising=False)
    monkeypatch.delenv("EHDESK_POLICY_PACK", raising=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    server = PostgresServer.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp_path / 'ehdesk.sqlite3'}")
    db.upgrade()
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'ehdesk.sqlite3'}")
        database.upgrade()
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        database = Database(server.fresh_database())
    yield database
    database.dispose()


def make_user(db: Database, username: str, role: Role) -> Actor:
    """A user of the given role, created through the service like any other."""
    with db.session() as session:
        if users.count_users(session) == 0:
            first = users.create_first_admin(session, "setup-admin", "Set-up Admin", PASSWORD)
            admin = Actor.from_user(first)
        else:
            admin = Actor(id=1, username="setup-admin", full_name="Set-up Admin", role=Role.ADMIN)
        if username == "setup-admin":
            return admin
        return Actor.from_user(users.create_user(session, admin, username, username.title(), role, PASSWORD))


@pytest.fixture
def admin(db: Database) -> Actor:
    return make_user(db, "setup-admin", Role.ADMIN)


@pytest.fixture
def worker(db: Database, admin: Actor) -> Actor:
    return make_user(db, "wendy", Role.WORKER)


@pytest.fixture
def manager(db: Database, admin: Actor) -> Actor:
    return make_user(db, "mo", Role.MANAGER)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say plainly how many tests ran against PostgreSQL, so a skipped server cannot pass unseen."""
    ran = {
        outcome: sum(1 for r in terminalreporter.stats.get(outcome, []) if "postgresql" in r.keywords)
        for outcome in ("passed", "failed", "error", "skipped")
    }
    terminalreporter.write_sep("-", "PostgreSQL run")
    terminalreporter.write_line(
        f"tests run against the real PostgreSQL server started by this run: {ran['passed']} passed, "
        f"{ran['failed']} failed, {ran['error']} errors, {ran['skipped']} skipped"
    )
