"""Who declined Early Help is a parent or carer (G20): the service refuses a child or someone outside the
family, whatever the screen offered, and says what to do instead."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ehdesk.desk import Desk
from ehdesk.errors import ValidationFailed
from ehdesk.policy import default_pack
from ehdesk.services import families, referrals
from ehdesk.services.actor import Actor
from ehdesk.services.casefile import RecordView
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


@dataclass(frozen=True)
class Household:
    """The worker's Desk, their family, and the keys of its carer and its children."""

    desk: Desk
    family_id: int
    carer: str
    children: list[str]

    def decline(self, declined_by: str) -> RecordView:
        """The worker records the family's decline, naming ``declined_by`` as who said no."""
        values = {**DECLINE, "declined_by": declined_by}
        return self.desk.create_record("decline", self.family_id, values, confirmed_warnings=True)


def _household(db: Database, actor: Actor, family_id: int) -> Household:
    desk = Desk(db, default_pack(), actor=actor)
    adults = desk.family_adults(family_id)
    (carer,) = adults
    children = [key for key in desk.family_people(family_id) if key not in adults]
    return Household(desk, family_id, carer, children)


@pytest.fixture
def household(db: Database, admin: Actor, manager: Actor, worker: Actor) -> Household:
    return _household(db, worker, _family(db, admin, manager, worker))


def test_a_decline_names_the_carer_who_declined_and_is_stored(household: Household) -> None:
    assert len(household.children) == 2
    stored = household.decline(household.carer)
    assert stored.values["declined_by"] == household.carer


def test_a_decline_naming_a_child_is_refused_citing_g20_and_saying_what_to_do(household: Household) -> None:
    with pytest.raises(ValidationFailed) as refused:
        household.decline(household.children[0])
    (problem,) = refused.value.result.errors
    assert (problem.path, problem.rule_id, problem.obligation) == (
        "declined_by",
        "G20.declined-by-adult",
        "G20",
    )
    assert "Pick the parent or carer who declined" in problem.cited_message
    assert "guidance G20" in problem.cited_message
    assert household.desk.list_records("decline", household.family_id) == []


def test_a_decline_naming_someone_of_another_family_is_refused(
    db: Database, admin: Actor, manager: Actor, worker: Actor, household: Household
) -> None:
    theirs = _household(db, worker, _family(db, admin, manager, worker, postcode="LS7 3QP"))
    with pytest.raises(ValidationFailed) as refused:
        household.decline(theirs.carer)
    assert [p.rule_id for p in refused.value.result.errors] == ["DQ.type-person"]
