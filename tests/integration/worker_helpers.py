"""Shared set-up for the family workers' tests: a Desk per user and families allocated through it."""

from __future__ import annotations

from datetime import date
from typing import Any

from ehdesk.desk import Desk
from ehdesk.policy import default_pack
from ehdesk.services import referrals
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from tests import samples

TODAY = date(2025, 6, 2)


def desk(db: Database, actor: Actor, today: date = TODAY) -> Desk:
    return Desk(db, default_pack(), actor=actor, today=lambda: today)


def new_family(db: Database, admin: Actor, **overrides: Any) -> int:
    with db.session() as session:
        return referrals.create_referral(
            session, admin, samples.referral(**overrides), policy=default_pack()
        ).family_id


def family_version(db: Database, family_id: int) -> int:
    from ehdesk.storage.models import Family

    with db.read() as session:
        family = session.get(Family, family_id)
        assert family is not None
        return family.version


def allocated_family(db: Database, admin: Actor, manager: Actor, worker: Actor, **overrides: Any) -> int:
    family_id = new_family(db, admin, **overrides)
    desk(db, manager).allocate(family_id, worker.id, version=family_version(db, family_id))
    return family_id
