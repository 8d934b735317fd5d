"""Every look-up of the duplicate check is answered from an index, on SQLite and PostgreSQL.

The check once ran one OR across people and families, which both databases answered by reading every
row; the speed goal (a few milliseconds at 100,000 families) rests on each look-up using its index.
The plans are read with EXPLAIN (PostgreSQL with sequential scans priced out, which shows whether an
index *can* serve the query however small the test tables are); the timing is in the benchmark.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Connection

from ehdesk.policy import default_pack
from ehdesk.services import referrals
from ehdesk.services.actor import Actor
from ehdesk.services.duplicates import PersonFacts, combined, lookup, lookup_parameters
from ehdesk.storage.database import Database
from tests import samples

TYPED = [
    PersonFacts.of(
        "Zoe", "Smith Jones", also_known_as="Zee", birth_date=date(2016, 4, 9), nhs_number="9434765919"
    ),
    PersonFacts.of("", "Smith Jones", expected_delivery=date(2026, 12, 1)),
]
INDEX = {
    "birth date": "ix_people_birth_date",
    "expected delivery 0": "ix_people_expected_delivery",
    "expected delivery 1": "ix_people_expected_delivery",
    "postcode": "ix_families_postcode_key",
    "NHS number": "ix_people_nhs_number",
    "name": "ix_people_name_key",
    "also known as": "ix_people_aka_key",
}


def _plan(connection: Connection, statement: Any, parameters: dict[str, Any]) -> str:
    sql = statement.params(**parameters).compile(
        dialect=connection.dialect, compile_kwargs={"literal_binds": True}
    )
    if connection.dialect.name == "sqlite":
        rows = connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
        return "\n".join(str(row[-1]) for row in rows)
    connection.execute(text("SET LOCAL enable_seqscan = off"))
    return "\n".join(str(row[0]) for row in connection.execute(text(f"EXPLAIN {sql}")))


def _assert_indexed(plan: str, dialect: str) -> None:
    if dialect == "sqlite":
        assert "SCAN people" not in plan, plan
        assert "SCAN families" not in plan, plan
    else:
        assert "Seq Scan" not in plan, plan


@pytest.fixture
def stored(db: Database, admin: Actor) -> Database:
    with db.session() as session:
        for n in range(3):
            child = {"given_name": f"Kid{n}", "family_name": "Page", "birth_date": f"201{n}-01-01"}
            referrals.create_referral(
                session, admin, samples.referral(children=[child]), policy=default_pack()
            )
    return db


@pytest.mark.parametrize("label", sorted(INDEX))
def test_each_look_up_uses_its_index(stored: Database, label: str) -> None:
    wanted = lookup_parameters(TYPED, "LS6 2AB")
    assert set(wanted) == set(INDEX)
    with stored.engine.connect() as connection:
        plan = _plan(connection, lookup(label), wanted[label])
        _assert_indexed(plan, connection.dialect.name)
        assert INDEX[label] in plan, plan


def test_the_look_ups_sent_together_still_each_use_an_index(stored: Database) -> None:
    wanted = lookup_parameters(TYPED, "LS6 2AB")
    parameters = {name: value for each in wanted.values() for name, value in each.items()}
    with stored.engine.connect() as connection:
        plan = _plan(connection, combined(tuple(wanted)), parameters)
        _assert_indexed(plan, connection.dialect.name)
        assert all(index in plan for index in INDEX.values()), plan
