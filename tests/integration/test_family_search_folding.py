"""Admins find people as they type them: without accents, case or punctuation, in any script (issue 13)."""

from __future__ import annotations

from typing import Any

from ehdesk.policy import default_pack
from ehdesk.services import families, referrals
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from tests import samples

PEOPLE: list[dict[str, Any]] = [
    {"given_name": "Siân", "family_name": "Evans", "birth_date": "2015-03-01"},
    {"given_name": "Thị Lan", "family_name": "Nguyễn", "birth_date": "2017-06-12"},
    {"given_name": "Zoë", "family_name": "Clarke", "birth_date": "2018-09-30"},
    {"given_name": "Liam", "family_name": "O'Neill", "birth_date": "2014-11-05"},
    {"given_name": "Ruby", "family_name": "Smith-Jones", "birth_date": "2016-02-29"},
    {
        "given_name": "يوسف",
        "family_name": "السيد",
        "also_known_as": "Yusuf Al-Sayed",
        "birth_date": "2019-07-07",
    },
]


def _key_families(db: Database, admin: Actor) -> dict[str, str]:
    """One family per child; returns each child's family name → the family's reference."""
    refs = {}
    with db.session() as session:
        for child in PEOPLE:
            values = samples.referral(children=[child], carers=[], postcode="LS6 2AB")
            referral = referrals.create_referral(
                session, admin, values, confirmed_warnings=True, policy=default_pack()
            )
            refs[child["family_name"]] = referral.family.reference
    return refs


def _found(db: Database, admin: Actor, query: str) -> set[str]:
    with db.read() as session:
        return {row.reference for row in families.search_families(session, admin, query)}


def test_names_are_found_without_their_accents_case_or_punctuation(db: Database, admin: Actor) -> None:
    refs = _key_families(db, admin)
    expected = {
        "Sian": "Evans",
        "SIAN EVANS": "Evans",
        "Nguyen": "Nguyễn",
        "thi lan nguyen": "Nguyễn",
        "Zoe": "Clarke",
        "oneill": "O'Neill",
        "O'Neill": "O'Neill",
        "o’neill": "O'Neill",
        "smith jones": "Smith-Jones",
        "smith-jones": "Smith-Jones",
        "smithjones": "Smith-Jones",
        "السيد": "السيد",
        "يوسف": "السيد",
        "al-sayed": "السيد",
        "yusuf al sayed": "السيد",
        "29.02.2016": "Smith-Jones",
        "29/2/2016": "Smith-Jones",
    }
    wrong = {q: _found(db, admin, q) for q, name in expected.items() if _found(db, admin, q) != {refs[name]}}
    assert wrong == {}


def test_a_referral_found_by_a_folded_query_is_counted_the_same(db: Database, admin: Actor) -> None:
    _key_families(db, admin)
    with db.read() as session:
        for query in ("sian", "nguyen", "zoe clarke", "ls6 2ab", "ls62ab", "eh000001", "EH-000001"):
            rows = families.search_families(session, admin, query)
            assert families.count_families(session, admin, query) == len(rows) > 0, query


def test_short_words_narrow_longer_ones_instead_of_searching_alone(db: Database, admin: Actor) -> None:
    refs = _key_families(db, admin)
    assert _found(db, admin, "o neill") == {refs["O'Neill"]}
    assert _found(db, admin, "al sayed") == {refs["السيد"]}
    assert _found(db, admin, "zz evans") == set()
    with db.read() as session:  # a lone short word is a prompt, not a scan
        assert families.search_families(session, admin, "jo") == []
        assert families.count_families(session, admin, "jo") == 0
    assert families.search_prompt("jo") == families.SEARCH_PROMPT
    assert families.search_prompt("jon") is None


def test_punctuation_alone_lists_every_family_like_an_empty_search(db: Database, admin: Actor) -> None:
    refs = _key_families(db, admin)
    for query in ("%", "_", "'\"", "🙂", "\x00"):
        assert _found(db, admin, query) == set(refs.values()), repr(query)
