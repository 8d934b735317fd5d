"""Migration 0004 refolds the search text of families keyed before it, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from ehdesk.services import families
from ehdesk.services.actor import SYSTEM
from ehdesk.storage.database import Database
from ehdesk.storage.migrate import upgrade
from tests.pgserver import PostgresServer

NOW = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def old_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database at revision 0003 (before folding), holding one family keyed then."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    else:
        server: PostgresServer = request.getfixturevalue("postgres_server")
        database = Database(server.empty_database())
    upgrade(database.engine, "0003")
    meta = sa.MetaData()
    fam = sa.Table("families", meta, autoload_with=database.engine)
    people = sa.Table("people", meta, autoload_with=database.engine)
    with database.engine.begin() as connection:
        connection.execute(
            sa.insert(fam).values(
                id=1,
                reference="EH-000001",
                display_name="O'Neill-Nguyễn (Siân)",
                postcode="LS6 2AB",
                address="",
                status="referred",
                search_text="eh-000001 ls6 2ab ls62ab siân o'neill-nguyễn",  # lower-cased only, as then
                created_at=NOW,
                updated_at=NOW,
                version=1,
            )
        )
        connection.execute(
            sa.insert(people).values(
                family_id=1,
                kind="child",
                given_name="Siân",
                family_name="O'Neill-Nguyễn",
                birth_date=date(2016, 4, 9),
                nhs_number="",
                data={"also_known_as": "Shan"},
                version=1,
            )
        )
    yield database
    database.dispose()


def test_families_keyed_before_folding_are_found_by_folded_words_after_the_upgrade(old_db: Database) -> None:
    old_db.upgrade()
    with old_db.read() as session:
        for query in ("sian", "oneill nguyen", "oneillnguyen", "shan", "9/4/2016", "eh000001"):
            assert [r.id for r in families.search_families(session, SYSTEM, query)] == [1], query
