"""Two people saving the same record: the second is told, never silently overwrites the first."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ehdesk.errors import ConflictError
from ehdesk.services import families
from ehdesk.services.actor import Actor
from ehdesk.services.records import flush_or_conflict
from ehdesk.storage.database import Database
from ehdesk.storage.models import Family


def _family(db: Database) -> int:
    with db.session() as session:
        family = Family(reference="EH-000001", postcode="LS1 1AA", display_name="Smith (Ava)")
        session.add(family)
        session.flush()
        return family.id


def test_the_second_save_from_a_stale_copy_gets_a_conflict(db: Database, admin: Actor) -> None:
    family_id = _family(db)
    with db.session() as first, db.session() as second:
        seen_by_first = families.get_family(first, admin, family_id).version
        seen_by_second = families.get_family(second, admin, family_id).version
        families.update_address(first, admin, family_id, "1 High St", "ls1 1aa", version=seen_by_first)
        first.commit()
        with pytest.raises(ConflictError, match="changed by someone else"):
            families.update_address(second, admin, family_id, "2 Low St", "LS2 2BB", version=seen_by_second)
    with db.session() as session:
        family = session.scalars(select(Family).where(Family.id == family_id)).one()
        assert family.address == "1 High St"
        assert family.postcode == "LS1 1AA"
        assert family.version == seen_by_first + 1


def test_a_race_between_check_and_update_is_still_a_conflict(db: Database, admin: Actor) -> None:
    """Both sessions pass the version check; the database-level version guard catches the loser."""
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
        assert session.get(Family, family_id).address == "from first"  # type: ignore[union-attr]
