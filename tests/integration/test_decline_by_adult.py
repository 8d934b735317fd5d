"""Who declined Early Help is a parent or carer (G20): the service refuses a child or someone outside the
family, whatever the screen offered, and says what to do instead."""

from __future__ import annotations

import pytest

from ehdesk.desk import Desk
from ehdesk.errors import ValidationFailed
from ehdesk.policy import default_pack
from ehdesk.services import families, referrals
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from tests import samples
from tests.unit.forms.formcases import DECLINE


def _family(db: Database, admin: Actor, manager: Actor, worker: Actor, **overrides: object) -> int:
    """A family of two children and their mother, allocated to ``worker``."""
    with db.session() as session:
        family_id = referrals.create_referral(
            session, admin, samples.referral(**overrides), policy=default_pack()
        ).family_id
    with db.session() as session:
        family = families.get_family(session, manager, family_id)
        families.allocate(session, manager, family_id, worker.id, version=family.version)
    return family_id


def _keys(desk: Desk, family_id: int) -> tuple[str, list[str]]:
    """The carer's key and the children's keys."""
    adults = desk.family_adults(family_id)
    (carer,) = adults
    children = [key for key in desk.family_people(family_id) if key not in adults]
    return carer, children


def test_a_decline_names_the_carer_who_declined_and_is_stored(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = _family(db, admin, manager, worker)
    desk = Desk(db, default_pack(), actor=worker)
    carer, children = _keys(desk, family_id)
    assert len(children) == 2
    stored = desk.create_record(
        "decline", family_id, {**DECLINE, "declined_by": carer}, confirmed_warnings=True
    )
    assert stored.values["declined_by"] == carer


def test_a_decline_naming_a_child_is_refused_citing_g20_and_saying_what_to_do(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = _family(db, admin, manager, worker)
    desk = Desk(db, default_pack(), actor=worker)
    _carer, children = _keys(desk, family_id)
    with pytest.raises(ValidationFailed) as refused:
        desk.create_record(
            "decline", family_id, {**DECLINE, "declined_by": children[0]}, confirmed_warnings=True
        )
    (problem,) = refused.value.result.errors
    assert (problem.path, problem.rule_id, problem.obligation) == (
        "declined_by",
        "G20.declined-by-adult",
        "G20",
    )
    assert "Pick the parent or carer who declined" in problem.cited_message
    assert "guidance G20" in problem.cited_message
    assert desk.list_records("decline", family_id) == []


def test_a_decline_naming_someone_of_another_family_is_refused(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    ours = _family(db, admin, manager, worker)
    theirs = _family(db, admin, manager, worker, postcode="LS7 3QP")
    desk = Desk(db, default_pack(), actor=worker)
    their_carer, _children = _keys(desk, theirs)
    with pytest.raises(ValidationFailed) as refused:
        desk.create_record("decline", ours, {**DECLINE, "declined_by": their_carer}, confirmed_warnings=True)
    assert [p.rule_id for p in refused.value.result.errors] == ["DQ.type-person"]
