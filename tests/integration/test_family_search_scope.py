"""Need to know inside the service (G7, G15; issue 14): workers search and count only their families."""

from __future__ import annotations

from ehdesk.policy import default_pack
from ehdesk.services import families, referrals
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from tests import samples


def _family(db: Database, admin: Actor, surname: str) -> tuple[int, int]:
    child = {"given_name": "Ava", "family_name": surname, "birth_date": "2016-04-09"}
    with db.session() as session:
        family = referrals.create_referral(
            session,
            admin,
            samples.referral(children=[child], carers=[]),
            confirmed_warnings=True,
            policy=default_pack(),
        ).family
        return family.id, family.version


def test_a_worker_searches_and_counts_only_the_families_allocated_to_them(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    mine_id, version = _family(db, admin, "Hartley")
    _family(db, admin, "Hartley")  # a second Hartley family, not the worker's
    other_id, other_version = _family(db, admin, "Okafor")
    with db.session() as session:
        families.allocate(session, manager, mine_id, worker.id, version=version)
        families.allocate(session, manager, other_id, manager.id, version=other_version)
    with db.read() as session:
        for query in ("", "hartley", "ava", "ls6 2ab", "okafor", "ava ha"):
            rows = families.search_families(session, worker, query)
            assert {r.id for r in rows} <= {mine_id}, query
            assert families.count_families(session, worker, query) == len(rows), query
        assert [r.id for r in families.search_families(session, worker, "hartley")] == [mine_id]


def test_admins_and_managers_search_every_family(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    ids = {_family(db, admin, "Hartley")[0], _family(db, admin, "Hartley")[0]}
    with db.read() as session:
        for actor in (admin, manager):
            assert {r.id for r in families.search_families(session, actor, "hartley")} == ids
            assert families.count_families(session, actor, "hartley") == 2
        assert families.search_families(session, worker, "hartley") == []
