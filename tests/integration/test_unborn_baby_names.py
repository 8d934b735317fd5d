"""An unborn baby with no name is "Unborn baby (due DD/MM/YYYY)" wherever a person is named: the
casefile's people, its timeline and the share/objection person pickers, as in the family list. A tester
saw only the surname ("Smith") there, which reads as a carer or a mistake."""

from __future__ import annotations

from sqlalchemy import select

from ehdesk.policy import default_pack
from ehdesk.services import casefile, referrals, sharing
from ehdesk.services.actor import Actor
from ehdesk.services.timeline import timeline
from ehdesk.storage.database import Database
from ehdesk.storage.models import Family, Person
from tests import samples

UNBORN = "Unborn baby (due 15/01/2027)"


def _family_with_an_unnamed_baby(db: Database, admin: Actor) -> int:
    ava = {"given_name": "Ava", "family_name": "Bumpstead", "birth_date": "2016-04-09"}
    baby = {"given_name": "", "family_name": "Bumpstead", "unborn": True, "expected_delivery": "2027-01-15"}
    with db.session() as session:
        referrals.create_referral(
            session,
            admin,
            samples.referral(children=[ava, baby]),
            confirmed_warnings=True,
            policy=default_pack(),
        )
    with db.read() as session:
        return session.scalars(select(Person.family_id).where(Person.family_name == "Bumpstead")).first() or 0


def test_the_person_pickers_and_casefile_people_name_the_baby_by_due_date(db: Database, admin: Actor) -> None:
    family_id = _family_with_an_unnamed_baby(db, admin)
    with db.read() as session:
        family = session.get(Family, family_id)
        assert family is not None
        names = set(casefile.people_keys(family).values())
        assert UNBORN in names
        assert "Bumpstead" not in names  # never the bare surname
        assert "Ava Bumpstead" in names
        identity = {i.key: i.value for i in sharing.family_data_items(session, family)}["identity"]
        assert UNBORN in identity


def test_the_timeline_names_the_baby_by_due_date(db: Database, admin: Actor) -> None:
    family_id = _family_with_an_unnamed_baby(db, admin)
    with db.read() as session:
        entries = timeline(session, admin, family_id, {})
    titles = [e.title for e in entries if e.kind == "person"]
    assert f"Child: {UNBORN}" in titles
    assert "Child: Bumpstead" not in titles
