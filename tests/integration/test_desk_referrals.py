"""The Desk's referral check asks every question the store would ask, so the page asks once, before the
store: an NHS number another family's child holds is among the warnings (issue 15)."""

from __future__ import annotations

from typing import Any

from ehdesk.desk import Desk
from ehdesk.policy import default_pack
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from tests import samples

NHS = "943 476 5919"
HELD = "DQ.nhs-held-elsewhere"


def _child(given: str, born: str) -> dict[str, Any]:
    return {
        "given_name": given,
        "family_name": "Patel",
        "birth_date": born,
        "gender": "male",
        "nhs_number": NHS,
    }


def test_the_check_warns_of_an_nhs_number_held_by_another_family_before_anything_is_stored(
    db: Database, admin: Actor
) -> None:
    desk = Desk(db, default_pack(), actor=admin)
    first = desk.create_referral(
        samples.referral(children=[_child("Oscar", "2019-06-01")]), confirmed_warnings=True
    )
    typed = samples.referral(children=[_child("Oskar", "2019-06-01")], postcode="M1 1AE", carers=[])

    result = desk.check_referral(typed)
    assert result.ok
    (held,) = [p for p in result.warnings if p.rule_id == HELD]
    assert held.path == "children[0].nhs_number"
    assert first.family_reference in held.message
    # confirmed once, stored once: the store does not ask again
    stored = desk.create_referral(typed, confirmed_warnings=True)
    assert stored.family_id != first.family_id


def test_the_family_a_referral_joins_is_not_warned_about_its_own_child(db: Database, admin: Actor) -> None:
    desk = Desk(db, default_pack(), actor=admin)
    first = desk.create_referral(
        samples.referral(children=[_child("Oscar", "2019-06-01")]), confirmed_warnings=True
    )
    again = samples.referral(children=[_child("Oscar", "2019-06-01")])
    assert any(p.rule_id == HELD for p in desk.check_referral(again).warnings)
    joining = desk.check_referral(again, family_id=first.family_id)
    assert not [p for p in joining.warnings if p.rule_id == HELD]
