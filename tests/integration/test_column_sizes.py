"""Every value the referral form accepts fits its column on PostgreSQL (SQLite never checks lengths).

The form caps each text (200 characters, 5,000 for long text) but not the number of children, so the
family's display name, made of every child's names, has no bound: a family with long names or twenty
children could take no further referral until revision 0006 made it TEXT. The property test drives the
form's largest accepted values, and many children, through the referral service on the real server,
then adds a second referral to the same family.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from itertools import count
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehdesk.domain import Role
from ehdesk.policy import default_pack
from ehdesk.services import referrals
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from tests import samples
from tests.conftest import make_user
from tests.pgserver import PostgresServer

pytestmark = pytest.mark.postgresql

LETTERS = string.ascii_letters + "éñöçÆÐ'-"
_serial = count(1)


def _name(size: int) -> st.SearchStrategy[str]:
    """A name of exactly ``size`` characters the form accepts: a few drawn letters, then one repeated
    (drawing all 200 would exhaust hypothesis's budget without finding anything a column cares about)."""
    start = st.text(alphabet=LETTERS, min_size=1, max_size=6)
    return st.tuples(start, st.sampled_from(LETTERS)).map(lambda t: (t[0] + t[1] * size)[:size])


longest = st.sampled_from([200, 199, 120, 1])
names = longest.flatmap(_name)


@st.composite
def widest_referral(draw: st.DrawFn) -> dict[str, Any]:
    children = [
        {
            "given_name": draw(names),
            "family_name": draw(names),
            "also_known_as": draw(names),
            # distinct birth dates: every child is a new person of the family, none merged
            "birth_date": f"20{10 + i // 12:02d}-{1 + i % 12:02d}-{1 + next(_serial) % 27:02d}",
            "school_or_setting": "S" * 200,
            "nhs_number": draw(st.sampled_from(["9434765919", "943 476 5919", "943-476-5919"])),
        }
        for i in range(draw(st.integers(min_value=1, max_value=24)))
    ]
    return samples.referral(
        referrer_name=draw(names),
        referrer_role="R" * 200,
        address_line1="A" * 200,
        address_line2="B" * 200,
        town="T" * 200,
        postcode="SW1A 1AA",
        children=children,
        carers=[{"given_name": draw(names), "family_name": draw(names), "relationship": "mother"}],
        reasons="x" * 5000,
        family_views="y" * 5000,
        agencies_involved=[{"agency": "Z" * 200, "contact_name": "C" * 200, "contact_role": "r" * 200}],
    )


@pytest.fixture(scope="module")
def server_db(postgres_server: PostgresServer) -> Iterator[tuple[Database, Actor]]:
    db = Database(postgres_server.fresh_database())
    yield db, make_user(db, "setup-admin", Role.ADMIN)
    db.dispose()


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(first=widest_referral(), second=widest_referral())
def test_the_largest_values_the_referral_form_accepts_are_stored_on_postgresql(
    server_db: tuple[Database, Actor], first: dict[str, Any], second: dict[str, Any]
) -> None:
    db, admin = server_db
    assert referrals.check_referral(first).errors == []  # the form accepts it: it must be storable
    with db.session() as session:
        family_id = referrals.create_referral(
            session, admin, first, confirmed_warnings=True, policy=default_pack()
        ).family_id
    with db.session() as session:  # the family, now with long names, takes a further referral
        referral = referrals.create_referral(
            session, admin, second, family_id=family_id, confirmed_warnings=True, policy=default_pack()
        )
        assert referral.family.display_name.count("(") >= 1
