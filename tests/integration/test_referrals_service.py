"""Storing a referral through the service: rules enforced, every value kept, duplicates found."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from ehdesk.errors import PermissionDenied, ValidationFailed
from ehdesk.policy import default_pack
from ehdesk.services import families, referrals
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from ehdesk.storage.models import AgencyInvolved, AuditEvent, Family, Person, Referral
from tests import samples


def test_a_valid_referral_becomes_a_family_with_its_people(db: Database, admin: Actor) -> None:
    with db.session() as session:
        referral_id = referrals.create_referral(session, admin, samples.referral(), policy=default_pack()).id
    with db.session() as session:
        referral = session.get(Referral, referral_id)
        assert referral is not None
        family = session.get(Family, referral.family_id)
        assert family is not None
        assert family.reference == f"EH-{family.id:06d}"
        assert family.postcode == "LS6 2AB"
        assert family.display_name == "Smith (Ava, Leo)"
        people = session.scalars(
            select(Person).where(Person.family_id == family.id).order_by(Person.id)
        ).all()
        assert [(p.kind, p.given_name, p.birth_date) for p in people] == [
            ("child", "Ava", date(2016, 4, 9)),
            ("child", "Leo", date(2019, 1, 23)),
            ("carer", "Zoë", None),
        ]
        assert people[2].family_name == "Ó Briain"
        assert people[2].data["parental_responsibility"] is True
        assert referral.received_on == date(2026, 11, 2)
        assert referral.discussed_with_parent is True
        assert referral.policy_version == default_pack().stamp  # G25: the pack it was made under
        assert referral.policy_version.startswith("2025.1+")
        assert referral.data["reasons"].startswith("Ava's attendance")
        agencies = session.scalars(
            select(AgencyInvolved).where(AgencyInvolved.referral_id == referral.id)
        ).all()
        assert [(a.agency, a.data["contact_name"]) for a in agencies] == [("GP", "Dr Jones")]
        entities = [e.entity for e in session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
        assert entities[-6:] == ["family", "person", "person", "person", "referral", "agency_involved"]


def test_every_referral_value_is_kept_on_the_referral_as_received(db: Database, admin: Actor) -> None:
    values = samples.referral()
    with db.session() as session:
        referral = referrals.create_referral(session, admin, values, policy=default_pack())
        assert set(values) <= set(referral.data)
        assert referral.data["children"][1]["given_name"] == "Leo"
        assert referral.data["agencies_involved"][0]["contact_name"] == "Dr Jones"


def test_a_referral_not_discussed_without_a_reason_is_refused_and_nothing_is_saved(
    db: Database, admin: Actor
) -> None:
    values = samples.referral(discussed_with_parent=False)
    with db.session() as session, pytest.raises(ValidationFailed) as refused:
        referrals.create_referral(session, admin, values, policy=default_pack())
    assert any(p.obligation == "G2" and p.path == "not_discussed_reason" for p in refused.value.result.errors)
    assert refused.value.result.values["reasons"] == values["reasons"]  # what was typed is kept
    with db.session() as session:
        assert session.scalar(select(Family.id)) is None


def test_a_worker_cannot_key_in_referrals(db: Database, worker: Actor) -> None:
    with db.session() as session, pytest.raises(PermissionDenied, match="key in referrals"):
        referrals.create_referral(session, worker, samples.referral(), policy=default_pack())


def test_a_near_duplicate_child_is_found_by_name_birth_date_and_postcode(db: Database, admin: Actor) -> None:
    with db.session() as session:
        referrals.create_referral(session, admin, samples.referral(), policy=default_pack())
    typed = samples.referral(
        children=[{"given_name": "Eva", "family_name": "Smyth", "birth_date": "09/04/2016"}],
        postcode="ls6 2ab",
    )
    with db.session() as session:
        found = referrals.find_duplicates(session, admin, typed)
    assert [(c.person_name, c.birth_date) for c in found] == [("Ava Smith", date(2016, 4, 9))]
    assert "same birth date" in found[0].reasons
    assert "same postcode" in found[0].reasons


def test_a_different_child_at_the_same_postcode_is_not_a_duplicate(db: Database, admin: Actor) -> None:
    with db.session() as session:
        referrals.create_referral(session, admin, samples.referral(), policy=default_pack())
    typed = samples.referral(
        children=[{"given_name": "Oscar", "family_name": "Patel", "birth_date": "2017-06-01"}]
    )
    with db.session() as session:
        assert referrals.find_duplicates(session, admin, typed) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("smith", 1),
        ("SMI", 1),
        ("ava smith", 1),
        ("09/04/2016", 1),
        ("2016-04-09", 1),
        ("ls62ab", 1),
        ("LS6 2AB", 1),
        ("eh-000001", 1),
        ("jones", 0),
        ("ava leo ls6", 1),
        ("100%", 0),
    ],
)
def test_family_search_finds_by_name_reference_birth_date_and_postcode(
    db: Database, admin: Actor, query: str, expected: int
) -> None:
    with db.session() as session:
        referrals.create_referral(session, admin, samples.referral(), policy=default_pack())
        referrals.create_referral(
            session,
            admin,
            samples.referral(
                children=[{"given_name": "Mia", "family_name": "Khan", "birth_date": "2020-02-02"}],
                postcode="M1 1AE",
            ),
            policy=default_pack(),
        )
    with db.session() as session:
        rows = families.search_families(session, admin, query)
        assert families.count_families(session, admin, query) == len(rows) == expected
        assert families.count_families(session, admin, "") == 2
        if expected:
            assert rows[0].display_name == "Smith (Ava, Leo)"
            assert rows[0].children == "Ava (09/04/2016), Leo (23/01/2019)"


def test_a_second_referral_for_a_family_adds_only_the_people_not_already_on_record(
    db: Database, admin: Actor
) -> None:
    with db.session() as session:
        family_id = referrals.create_referral(
            session, admin, samples.referral(), policy=default_pack()
        ).family_id
    again = samples.referral(
        children=[
            {"given_name": "AVA", "family_name": "smith", "birth_date": "2016-04-09"},
            {"given_name": "Mo", "family_name": "Smith", "birth_date": "2021-03-01"},
        ]
    )
    with db.session() as session:
        referrals.create_referral(session, admin, again, family_id=family_id, policy=default_pack())
    with db.session() as session:
        family = session.get(Family, family_id)
        assert family is not None
        names = [(p.kind, p.given_name) for p in family.people]
        assert names == [("child", "Ava"), ("child", "Leo"), ("carer", "Zoë"), ("child", "Mo")]
        assert family.display_name == "Smith (Ava, Leo, Mo)"
        assert len(family.referrals) == 2
        assert family.search_text.count("mo smith") == 1
        # what the second referral said about Ava is kept on it, not dropped with the duplicate person
        assert family.referrals[1].data["children"][0]["given_name"] == "AVA"


def test_family_pages_follow_on_from_the_last_family_shown_even_when_one_is_added(
    db: Database, admin: Actor
) -> None:
    with db.session() as session:
        for n in range(5):
            child = {"given_name": f"Kid{n}", "family_name": "Page", "birth_date": "2015-01-01"}
            referrals.create_referral(
                session, admin, samples.referral(children=[child]), policy=default_pack()
            )
    with db.read() as session:
        first = families.search_families(session, admin, "page", limit=2)
    with db.session() as session:  # someone keys a new family while the list is on screen
        new = {"given_name": "Late", "family_name": "Page", "birth_date": "2015-01-01"}
        referrals.create_referral(session, admin, samples.referral(children=[new]), policy=default_pack())
    with db.read() as session:
        second = families.search_families(session, admin, "page", limit=2, before_id=first[-1].id)
    assert [r.display_name for r in first] == ["Page (Kid4)", "Page (Kid3)"]
    assert [r.display_name for r in second] == ["Page (Kid2)", "Page (Kid1)"]


def test_a_child_keyed_again_without_accent_hyphen_or_middle_name_is_not_stored_twice(
    db: Database, admin: Actor
) -> None:
    first = {"given_name": "Zoë Anna", "family_name": "Kowalczyk-Nowak", "birth_date": "2016-02-29"}
    again = {"given_name": "Zoe", "family_name": "kowalczyk nowak", "birth_date": "2016-02-29"}
    twin = {"given_name": "Zoe", "family_name": "Kowalczyk Nowak", "birth_date": "2017-02-28"}
    with db.session() as session:
        family_id = referrals.create_referral(
            session, admin, samples.referral(children=[first]), policy=default_pack()
        ).family_id
    with db.session() as session:
        referrals.create_referral(
            session,
            admin,
            samples.referral(children=[again, twin]),
            family_id=family_id,
            policy=default_pack(),
        )
    with db.read() as session:
        family = session.get(Family, family_id)
        assert family is not None
        children = [(p.given_name, p.birth_date) for p in family.people if p.kind == "child"]
        # the same child is on record once, as first keyed; a different birth date is someone else
        assert children == [("Zoë Anna", date(2016, 2, 29)), ("Zoe", date(2017, 2, 28))]
        # the carer, keyed the same both times, is not added again either
        assert [p.given_name for p in family.people if p.kind == "carer"] == ["Zoë"]
        # the second referral keeps its own spelling of the child
        assert family.referrals[1].data["children"][0]["family_name"] == "kowalczyk nowak"


def test_an_unborn_baby_keyed_again_with_the_same_due_date_is_not_stored_twice(
    db: Database, admin: Actor
) -> None:
    baby = {"given_name": "", "family_name": "Smith", "unborn": True, "expected_delivery": "2027-01-15"}
    with db.session() as session:
        family_id = referrals.create_referral(
            session, admin, samples.referral(children=[baby]), policy=default_pack()
        ).family_id
    with db.session() as session:
        referrals.create_referral(
            session,
            admin,
            samples.referral(children=[{**baby, "family_name": "SMITH"}]),
            family_id=family_id,
            policy=default_pack(),
        )
    with db.read() as session:
        family = session.get(Family, family_id)
        assert family is not None
        assert [p.expected_delivery for p in family.people if p.kind == "child"] == [date(2027, 1, 15)]


def test_an_unborn_baby_with_no_name_is_listed_as_unborn_baby_with_the_due_date(
    db: Database, admin: Actor
) -> None:
    ava = {"given_name": "Ava", "family_name": "Unbornson", "birth_date": "2016-04-09"}
    baby = {"given_name": "", "family_name": "Unbornson", "unborn": True, "expected_delivery": "2027-01-15"}
    named = {
        "given_name": "Bean",
        "family_name": "Unbornson",
        "unborn": True,
        "expected_delivery": "2027-02-01",
    }
    with db.session() as session:
        referrals.create_referral(
            session,
            admin,
            samples.referral(children=[ava, baby, named]),
            confirmed_warnings=True,
            policy=default_pack(),
        )
    with db.read() as session:
        [row] = families.search_families(session, admin, "unbornson")
    assert row.children == "Ava (09/04/2016), Unborn baby (due 15/01/2027), Bean (due 01/02/2027)"
    assert row.display_name == "Unbornson (Ava, unborn baby, Bean)"
