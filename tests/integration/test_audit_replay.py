"""Verify replays the trail against the records: a row changed by direct SQL is named by table and id."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update

from ehdesk.policy import default_pack
from ehdesk.services import audit, decisions, families, referrals
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from ehdesk.storage.models import Decision, Family, Person, Referral
from tests import samples


@dataclass(frozen=True)
class Casefile:
    family_id: int
    referral_id: int
    person_id: int
    decision_id: int


def _casefile(db: Database, admin: Actor, manager: Actor) -> Casefile:
    """A family made and changed only through the services: referral, address edit, a decision."""
    with db.session() as session:
        referral = referrals.create_referral(session, admin, samples.referral(), policy=default_pack())
        family_id, referral_id = referral.family_id, referral.id
    with db.session() as session:
        version = families.get_family(session, admin, family_id).version
        families.update_address(session, admin, family_id, "2 New Road, Leeds", "LS2 7AB", version=version)
    with db.session() as session:
        decision = decisions.record_decision(
            session,
            manager,
            family_id,
            {"decision": "Share with the school nurse.", "rationale": "Needed.", "decided_on": "2026-11-20"},
            subject="objection",
            policy=default_pack(),
        )
        person_id = session.scalars(select(Person.id).where(Person.family_id == family_id)).first()
        assert person_id is not None
        return Casefile(family_id, referral_id, person_id, decision.id)


def _problems(db: Database) -> list[str]:
    with db.read() as session:
        report = audit.verify(session)
    return [p.line() for p in report.records]


def test_records_saved_through_the_services_match_the_trail(
    db: Database, admin: Actor, manager: Actor
) -> None:
    _casefile(db, admin, manager)
    with db.read() as session:
        report = audit.verify(session)
    assert report.ok, report.lines()
    assert report.records == ()


def test_a_family_edited_by_direct_sql_is_named_by_table_and_id(
    db: Database, admin: Actor, manager: Actor
) -> None:
    case = _casefile(db, admin, manager)
    with db.engine.begin() as connection:
        connection.execute(
            update(Family.__table__).where(Family.id == case.family_id).values(postcode="ZZ9 9ZZ")
        )
    with db.read() as session:
        report = audit.verify(session)
    assert not report.ok
    assert [p.line() for p in report.records] == [
        f"families id {case.family_id}: changed outside ehdesk (differs from its last event)"
    ]
    assert "ZZ9" not in "\n".join(report.lines())  # the contents are never printed


def test_each_replayed_table_reports_its_own_tampered_row(db: Database, admin: Actor, manager: Actor) -> None:
    case = _casefile(db, admin, manager)
    with db.engine.begin() as connection:
        connection.execute(update(Person.__table__).where(Person.id == case.person_id).values(given_name="X"))
        connection.execute(
            update(Referral.__table__).where(Referral.id == case.referral_id).values(how_received="phone")
        )
        connection.execute(
            update(Decision.__table__).where(Decision.id == case.decision_id).values(data={"decision": "no"})
        )
    assert sorted(_problems(db)) == sorted(
        [
            f"decisions id {case.decision_id}: changed outside ehdesk (differs from its last event)",
            f"people id {case.person_id}: changed outside ehdesk (differs from its last event)",
            f"referrals id {case.referral_id}: changed outside ehdesk (differs from its last event)",
        ]
    )


def test_a_row_deleted_or_added_by_direct_sql_is_reported(db: Database, admin: Actor, manager: Actor) -> None:
    case = _casefile(db, admin, manager)
    with db.engine.begin() as connection:
        connection.execute(delete(Decision.__table__).where(Decision.id == case.decision_id))
        added = connection.execute(
            insert(Person.__table__)
            .values(
                family_id=case.family_id, kind="child", given_name="Ghost", family_name="Child", version=1
            )
            .returning(Person.__table__.c.id)
        ).scalar_one()
    assert sorted(_problems(db)) == sorted(
        [
            f"decisions id {case.decision_id}: deleted outside ehdesk",
            f"people id {added}: added outside ehdesk (no audit event for it)",
        ]
    )


def test_a_later_change_through_the_services_is_not_mistaken_for_tampering(
    db: Database, admin: Actor, manager: Actor
) -> None:
    case = _casefile(db, admin, manager)
    with db.session() as session:  # a second referral for the same family updates it and adds a child
        referrals.create_referral(
            session,
            admin,
            samples.referral(),
            family_id=case.family_id,
            confirmed_warnings=True,
            policy=default_pack(),
        )
    assert _problems(db) == []
