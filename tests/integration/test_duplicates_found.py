"""The duplicate check through the service, on SQLite and PostgreSQL: who is found, who may ask, and
the NHS-number warning on save."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from ehdesk.errors import NeedsConfirmation, PermissionDenied
from ehdesk.policy import default_pack
from ehdesk.services import referrals
from ehdesk.services.actor import Actor
from ehdesk.services.duplicates import find_duplicates
from ehdesk.storage.database import Database
from ehdesk.storage.models import Family, Person
from tests import samples

NHS = "9434765919"


def _child(given: str, family: str, born: str = "", **more: Any) -> dict[str, Any]:
    return {"given_name": given, "family_name": family, "birth_date": born, **more}


def _on_record(db: Database, admin: Actor, **overrides: Any) -> int:
    values = samples.referral(
        children=[_child("Zoë Anne", "Smith-Jones", "2016-04-09", nhs_number=NHS)], **overrides
    )
    with db.session() as session:
        return referrals.create_referral(session, admin, values, policy=default_pack()).family_id


def test_the_issues_near_duplicate_is_found(db: Database, admin: Actor) -> None:
    """Accent left off, middle name dropped, "Smith Jone" for "Smith-Jones", postcode without its space."""
    family_id = _on_record(db, admin)
    typed = samples.referral(children=[_child("Zoe", "Smith Jone", "09/04/2016")], postcode="LS62AB")
    with db.read() as session:
        found = find_duplicates(session, admin, typed)
    assert [(c.family_id, c.person_name, c.birth_date) for c in found] == [
        (family_id, "Zoë Anne Smith-Jones", date(2016, 4, 9))
    ]
    assert {"same birth date", "same postcode"} <= set(found[0].reasons)
    assert found[0].typed_name == "Zoe Smith Jone"


def test_swapped_names_are_found_by_name_alone_after_a_move(db: Database, admin: Actor) -> None:
    """No birth date and a new postcode: only the folded name key (and the carer) can find her."""
    family_id = _on_record(db, admin)
    typed = samples.referral(children=[_child("Smith Jones", "Zoe")], postcode="M1 1AE")
    with db.read() as session:
        found = find_duplicates(session, admin, typed)
    assert [c.family_id for c in found] == [family_id]
    assert "given and family names swapped" in found[0].reasons
    assert "same parent or carer" in found[0].reasons


def test_a_child_is_found_by_the_also_known_as_name_on_record(db: Database, admin: Actor) -> None:
    values = samples.referral(children=[_child("Mohammed", "Khan", "2015-02-03", also_known_as="Mo")])
    with db.session() as session:
        family_id = referrals.create_referral(session, admin, values, policy=default_pack()).family_id
    typed = samples.referral(children=[_child("Mo", "Khan")], postcode="M1 1AE")
    with db.read() as session:
        found = find_duplicates(session, admin, typed)
    assert [c.family_id for c in found] == [family_id]


def test_a_twin_is_not_offered_as_a_duplicate(db: Database, admin: Actor) -> None:
    _on_record(db, admin)
    typed = samples.referral(children=[_child("Leo", "Smith-Jones", "2016-04-09")])
    with db.read() as session:
        assert find_duplicates(session, admin, typed) == []


def test_a_worker_cannot_run_the_duplicate_check(db: Database, admin: Actor, worker: Actor) -> None:
    """It lists other families' children: only those who key referrals may ask (G7, G15)."""
    _on_record(db, admin)
    typed = samples.referral(children=[_child("Zoe", "Smith Jones", "2016-04-09")])
    with db.read() as session, pytest.raises(PermissionDenied, match="key in referrals"):
        find_duplicates(session, worker, typed)


def test_a_manager_can_run_the_duplicate_check(db: Database, admin: Actor, manager: Actor) -> None:
    _on_record(db, admin)
    typed = samples.referral(children=[_child("Zoe", "Smith Jones", "2016-04-09")])
    with db.read() as session:
        assert len(find_duplicates(session, manager, typed)) == 1


def test_an_nhs_number_held_by_another_familys_child_is_a_warning_naming_that_family(
    db: Database, admin: Actor
) -> None:
    _on_record(db, admin)
    other = samples.referral(
        children=[_child("Oscar", "Patel", "2019-06-01", nhs_number=NHS)], postcode="M1 1AE", carers=[]
    )
    with db.session() as session, pytest.raises(NeedsConfirmation) as asked:
        referrals.create_referral(session, admin, other, policy=default_pack())
    (warning,) = [p for p in asked.value.result.warnings if p.rule_id == "DQ.nhs-held-elsewhere"]
    assert warning.path == "children[0].nhs_number"
    assert "EH-000001" in warning.message
    assert "Zoë Anne Smith-Jones" in warning.message
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Family)) == 1  # nothing saved yet
    with db.session() as session:  # the user confirms: a warning, not a block
        referrals.create_referral(session, admin, other, confirmed_warnings=True, policy=default_pack())
    with db.read() as session:
        held = session.scalars(select(Person.family_id).where(Person.nhs_number == NHS)).all()
    assert len(set(held)) == 2


def test_the_same_nhs_number_on_the_same_familys_record_is_no_warning(db: Database, admin: Actor) -> None:
    family_id = _on_record(db, admin)
    again = samples.referral(children=[_child("Zoe", "Smith-Jones", "2016-04-09", nhs_number=NHS)])
    with db.session() as session:
        referral = referrals.create_referral(
            session, admin, again, family_id=family_id, policy=default_pack()
        )
        assert referral.family_id == family_id


def test_people_and_families_carry_the_look_up_keys(db: Database, admin: Actor) -> None:
    family_id = _on_record(db, admin, postcode="ls6 2ab")
    with db.read() as session:
        family = session.get(Family, family_id)
        assert family is not None
        assert (family.postcode, family.postcode_key) == ("LS6 2AB", "LS62AB")
        keys = session.scalars(select(Person.name_key).where(Person.family_id == family_id)).all()
    assert "smithjones zoe" in keys
