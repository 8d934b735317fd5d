"""Units of work: readers never wait for writers, and database failures reach people as clear errors."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from ehdesk.domain import Role
from ehdesk.errors import StorageError
from ehdesk.services import families
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database

READER = Actor(id=None, username="reader", full_name="Reader", role=Role.ADMIN)


def test_on_sqlite_a_reader_is_not_held_up_by_another_process_writing(sqlite_db: Database) -> None:
    """If reads took the write lock, this read would wait out the busy timeout and then fail."""
    path = sqlite_db.engine.url.database
    assert path is not None
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another ehdesk in the middle of a save holds the write lock
    try:
        with sqlite_db.read() as session:
            assert families.count_families(session, READER) == 0
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_failed_statement_is_a_storage_error_that_says_nothing_was_saved(db: Database) -> None:
    with pytest.raises(StorageError, match="nothing was saved"), db.session() as session:
        session.execute(text("INSERT INTO no_such_table VALUES (1)"))


@pytest.mark.postgresql
def test_on_postgresql_a_read_cannot_write(postgres_server) -> None:  # type: ignore[no-untyped-def]
    db = Database(postgres_server.fresh_database())
    try:
        with pytest.raises(StorageError, match="refused"), db.read() as session:
            session.execute(text("DELETE FROM audit_events"))
    finally:
        db.dispose()


def test_a_locked_database_is_reported_as_busy_with_nothing_lost(sqlite_db: Database) -> None:
    locked = OperationalError("UPDATE families ...", {}, sqlite3.OperationalError("database is locked"))
    error = sqlite_db.storage_error(locked)
    assert "busy" in str(error)
    assert "nothing was lost" in str(error)


def test_an_unreachable_server_is_reported_with_where_to_look() -> None:
    db = Database("postgresql://nobody@127.0.0.1:1/none")
    with (
        pytest.raises(StorageError, match=r"cannot reach the database .*ehdesk config show"),
        db.read() as session,
    ):
        session.execute(text("SELECT 1"))
    db.dispose()


def test_a_read_refuses_to_write_on_sqlite_as_on_postgresql(sqlite_db: Database) -> None:
    with pytest.raises(StorageError, match="refused"), sqlite_db.read() as session:
        session.execute(text("DELETE FROM audit_events"))


def test_a_constraint_error_that_mentions_a_lock_column_is_not_called_busy(sqlite_db: Database) -> None:
    refused = IntegrityError(
        "INSERT ...", {}, sqlite3.IntegrityError("NOT NULL constraint failed: decisions.locked")
    )
    assert "refused" in str(sqlite_db.storage_error(refused))
