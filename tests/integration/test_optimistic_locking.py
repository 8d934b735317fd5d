"""Two people saving the same record: the second is told, never silently overwrites the first."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from ehdesk.domain import Role
from ehdesk.errors import ConflictError
from ehdesk.policy import default_pack
from ehdesk.services import families, referrals
from ehdesk.services.actor import Actor
from ehdesk.services.records import flush_or_conflict
from ehdesk.storage.database import Database
from ehdesk.storage.models import Family, Referral
from tests import samples
from tests.conftest import make_user
from tests.pgserver import PostgresServer


def _family(db: Database) -> int:
    with db.session() as session:
        family = Family(reference="EH-000001", postcode="LS1 1AA", display_name="Smith (Ava)")
        session.add(family)
        session.flush()
        return family.id


def _version_seen(db: Database, actor: Actor, family_id: int) -> int:
    """What a screen remembers when it shows a record: its version (the session then closes)."""
    with db.session() as session:
        return families.get_family(session, actor, family_id).version


def test_the_second_save_from_a_stale_copy_gets_a_conflict(db: Database, admin: Actor) -> None:
    family_id = _family(db)
    seen_by_first = _version_seen(db, admin, family_id)
    seen_by_second = _version_seen(db, admin, family_id)
    with db.session() as session:
        families.update_address(session, admin, family_id, "1 High St", "ls1 1aa", version=seen_by_first)
    with db.session() as session, pytest.raises(ConflictError, match="changed by someone else"):
        families.update_address(session, admin, family_id, "2 Low St", "LS2 2BB", version=seen_by_second)
    with db.session() as session:
        family = session.scalars(select(Family).where(Family.id == family_id)).one()
        assert family.address == "1 High St"
        assert family.postcode == "LS1 1AA"
        assert family.version == seen_by_first + 1


@pytest.mark.postgresql
def test_a_race_between_check_and_update_is_still_a_conflict(
    admin_on_postgres: tuple[Database, Actor],
) -> None:
    """Both sessions pass the version check at once; the database-level version guard catches the loser.

    Only PostgreSQL lets two write transactions overlap like this; SQLite serialises writers
    (BEGIN IMMEDIATE), so there the race cannot happen.
    """
    db, admin = admin_on_postgres
    family_id = _family(db)
    with db.session() as first, db.session() as second:
        a = families.get_family(first, admin, family_id)
        b = families.get_family(second, admin, family_id)
        a.address, b.address = "from first", "from second"
        first.commit()
        with pytest.raises(ConflictError, match="while you were saving"):
            flush_or_conflict(second, b)
        second.rollback()
    with db.session() as session:
        family = session.get(Family, family_id)
        assert family is not None
        assert family.address == "from first"


@pytest.fixture
def admin_on_postgres(postgres_server: PostgresServer) -> Iterator[tuple[Database, Actor]]:
    db = Database(postgres_server.fresh_database())
    yield db, make_user(db, "setup-admin", Role.ADMIN)
    db.dispose()


def test_a_referral_added_to_a_family_someone_else_just_changed_is_a_conflict(
    db: Database, admin: Actor
) -> None:
    """Two sessions: the second still holds the family as it was before the first one's save. Its
    referral must be refused as a conflict (not a raw StaleDataError), and nothing of it stored."""
    with db.session() as session:
        family_id = referrals.create_referral(
            session, admin, samples.referral(), policy=default_pack()
        ).family_id
    with db.session() as second:
        opened = families.get_family(second, admin, family_id)  # the second person's screen holds it
        second.commit()  # ...and their session lives on, remembering that version
        with db.session() as first:
            version = families.get_family(first, admin, family_id).version
            families.update_address(first, admin, family_id, "9 Moved St", "LS9 9ZZ", version=version)
        newcomer = samples.referral(
            children=[{"given_name": "Mia", "family_name": "Smith", "birth_date": "2020-02-02"}]
        )
        with pytest.raises(ConflictError, match="changed by someone else"):
            referrals.create_referral(
                second, admin, newcomer, family_id=family_id, confirmed_warnings=True, policy=default_pack()
            )
        second.rollback()
        assert opened.id == family_id
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Referral)) == 1
        family = session.get(Family, family_id)
        assert family is not None
        assert family.address == "9 Moved St"


def test_a_conflict_at_commit_is_a_conflict_error_too(db: Database, admin: Actor) -> None:
    family_id = _family(db)
    with pytest.raises(ConflictError, match="family was changed by someone else"), db.session() as second:  # noqa: PT012
        stale = families.get_family(second, admin, family_id)
        second.commit()
        with db.session() as first:
            fresh = families.get_family(first, admin, family_id)
            fresh.address = "from first"
        stale.address = "from second"  # no explicit flush: the unit of work's commit writes it
