"""Several referrals stored in one call (``ehdesk demo``) are stored and audited as if one by one.

The batch path exists for speed (issue 18: two flushes per batch instead of four per referral); what
it writes, and the order its audit events are chained in, must not differ from the single path.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ehdesk.errors import ValidationFailed
from ehdesk.policy import default_pack
from ehdesk.services import audit, referrals
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from ehdesk.storage.models import AgencyInvolved, AuditEvent, Family, Person, Referral
from tests import samples


def _second() -> dict[str, object]:
    return samples.referral(
        postcode="LS7 1XY",
        children=[{"given_name": "Noor", "family_name": "Khan", "birth_date": "2018-06-01"}],
        carers=[{"given_name": "Amina", "family_name": "Khan", "relationship": "mother"}],
        agencies_involved=[{"agency": "School"}, {"agency": "Health visitor"}],
    )


def _trail(db: Database) -> list[tuple[str, str, str]]:
    with db.read() as session:
        rows = session.execute(
            select(AuditEvent.action, AuditEvent.entity, AuditEvent.entity_id).order_by(AuditEvent.seq)
        ).all()
    records = {"family", "person", "referral", "agency_involved"}  # not the set-up admin's own events
    return [(action, entity, entity_id) for action, entity, entity_id in rows if entity in records]


def test_referrals_stored_together_write_the_rows_and_chain_of_storing_them_one_by_one(
    db: Database, admin: Actor
) -> None:
    with db.session() as session:
        stored = referrals.create_referrals(
            session, admin, [samples.referral(), _second()], policy=default_pack()
        )
        ids = [(r.id, r.family_id) for r in stored]
    with db.read() as session:
        families = session.scalars(select(Family).order_by(Family.id)).all()
        assert [(f.reference, f.display_name, f.postcode) for f in families] == [
            (f"EH-{families[0].id:06d}", "Smith (Ava, Leo)", "LS6 2AB"),
            (f"EH-{families[1].id:06d}", "Khan (Noor)", "LS7 1XY"),
        ]
        assert [family_id for _id, family_id in ids] == [f.id for f in families]
        agencies = session.execute(
            select(AgencyInvolved.agency, AgencyInvolved.referral_id, AgencyInvolved.family_id).order_by(
                AgencyInvolved.id
            )
        ).all()
        assert [tuple(a) for a in agencies] == [
            ("GP", ids[0][0], ids[0][1]),
            ("School", ids[1][0], ids[1][1]),
            ("Health visitor", ids[1][0], ids[1][1]),
        ]
        people = session.scalars(select(Person).order_by(Person.id)).all()
        assert [(p.family_id, p.given_name) for p in people] == [
            (ids[0][1], "Ava"),
            (ids[0][1], "Leo"),
            (ids[0][1], "Zoë"),
            (ids[1][1], "Noor"),
            (ids[1][1], "Amina"),
        ]
        assert audit.verify(session).ok
    # each referral's events together, in the order create_referral writes them
    assert [(action, entity) for action, entity, _ in _trail(db)] == [
        *[("create", "family"), ("create", "person"), ("create", "person"), ("create", "person")],
        *[("create", "referral"), ("create", "agency_involved")],
        *[("create", "family"), ("create", "person"), ("create", "person"), ("create", "referral")],
        *[("create", "agency_involved"), ("create", "agency_involved")],
    ]
    assert [entity_id for action, entity, entity_id in _trail(db) if entity == "referral"] == [
        str(referral_id) for referral_id, _family_id in ids
    ]


def test_one_invalid_referral_stops_the_batch_before_anything_is_written(db: Database, admin: Actor) -> None:
    with pytest.raises(ValidationFailed), db.session() as session:
        referrals.create_referrals(
            session, admin, [samples.referral(), samples.referral(children=[])], policy=default_pack()
        )
    with db.read() as session:
        for model in (Family, Person, Referral):
            assert session.scalar(select(func.count()).select_from(model)) == 0
    assert _trail(db) == []
