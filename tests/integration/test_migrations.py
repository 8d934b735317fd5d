"""Alembic migrations: a new database is built from the first revision; an older one is upgraded."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect

from ehdesk.storage import revisions
from ehdesk.storage.database import Database, open_database
from ehdesk.storage.migrate import current_revision, head_revision, include_name, upgrade
from ehdesk.storage.models import Base
from tests.pgserver import PostgresServer


def _assert_upgrades_from_the_first_revision(database: Database) -> None:
    upgrade(database.engine, "0001")
    assert current_revision(database.engine) == "0001"
    database.upgrade()  # what the app does on start
    assert current_revision(database.engine) == head_revision()
    tables = set(inspect(database.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_an_older_sqlite_database_is_upgraded_on_start(tmp_path) -> None:  # type: ignore[no-untyped-def]
    database = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    _assert_upgrades_from_the_first_revision(database)
    assert "family_search" in inspect(database.engine).get_table_names()
    database.dispose()


@pytest.mark.postgresql
def test_an_older_postgresql_database_is_upgraded_on_start(postgres_server: PostgresServer) -> None:
    database = Database(postgres_server.empty_database())
    _assert_upgrades_from_the_first_revision(database)
    indexes = {ix["name"] for ix in inspect(database.engine).get_indexes("families")}
    assert "ix_families_search_trgm" in indexes
    database.dispose()


def test_upgrading_a_current_database_changes_nothing(db: Database) -> None:
    before = current_revision(db.engine)
    db.upgrade()
    assert current_revision(db.engine) == before == head_revision()


def test_the_migrations_build_exactly_the_schema_the_models_declare(db: Database) -> None:
    """A model changed without a migration would pass every other test on a fresh database and then
    break an upgraded one; alembic's comparison catches it here."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_the_quick_head_check_agrees_with_alembic() -> None:
    assert revisions.head_revision() == head_revision()


def test_opening_a_current_database_asks_one_query_and_imports_no_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'current.sqlite3'}"
    open_database(url).dispose()  # created and upgraded: Alembic needed this time
    probe = (
        "import sys; from ehdesk.storage.database import open_database; "
        f"open_database({url!r}).dispose(); print('alembic' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def _start_one(url: str, start: Any, results: Any) -> None:
    from ehdesk.storage.database import open_database

    start.wait()
    try:
        open_database(url).dispose()
        results.put("ok")
    except BaseException as exc:
        results.put(f"{type(exc).__name__}: {exc}")


@pytest.mark.postgresql
def test_six_instances_starting_at_once_on_an_empty_postgresql_database_all_succeed(
    postgres_server: PostgresServer,
) -> None:
    url = postgres_server.empty_database()
    context = multiprocessing.get_context("spawn")
    start, results = context.Barrier(6), context.Queue()
    workers = [context.Process(target=_start_one, args=(url, start, results)) for _ in range(6)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert outcomes == ["ok"] * 6
    database = Database(url)
    assert current_revision(database.engine) == head_revision()
    database.dispose()
