"""Alembic migrations: a new database is built from the first revision; an older one is upgraded."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from ehdesk.storage.database import Database
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
