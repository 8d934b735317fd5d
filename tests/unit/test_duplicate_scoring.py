"""The duplicate check's scoring on folded names and evidence, without a database."""

from __future__ import annotations

from datetime import date

import pytest

from ehdesk.services.duplicates import PersonFacts, score_pair
from ehdesk.services.nicknames import same_given_name
from ehdesk.storage.lookup_keys import aka_key, name_key

BORN = date(2016, 4, 9)
ON_RECORD = PersonFacts.of(
    "Zoë Anne",
    "Smith-Jones",
    birth_date=BORN,
    postcode="LS6 2AB",
    carers=[("Siân", "Smith-Jones")],
)


def test_the_issues_near_duplicate_is_found() -> None:
    """Accent left off, middle name dropped, double-barrelled name with a space and a letter fewer."""
    typed = PersonFacts.of("Zoe", "Smith Jone", birth_date=BORN, postcode="LS62AB")
    match = score_pair(typed, ON_RECORD)
    assert match.likely
    assert "same birth date" in match.reasons
    assert "same postcode" in match.reasons


@pytest.mark.parametrize(
    ("given", "family"),
    [
        ("ZOE", "smith jones"),  # case, hyphen as a space
        ("Zoe", "SmithJones"),  # hyphen left out
        ("Zoë", "Smith–Jones"),  # an en dash for the hyphen
        ("Smith-Jones", "Zoe"),  # given and family names swapped on the form
        ("Zoey", "Smith-Jones"),  # a spelling of the same name
        ("Anne", "Smith-Jones"),  # known by her middle name
    ],
)
def test_spellings_of_the_same_child_are_likely_duplicates(given: str, family: str) -> None:
    typed = PersonFacts.of(given, family, birth_date=BORN, postcode="LS6 2AB")
    assert score_pair(typed, ON_RECORD).likely


def test_swapped_names_are_named_as_the_reason() -> None:
    typed = PersonFacts.of("Smith Jones", "Zoe", birth_date=BORN)
    assert "given and family names swapped" in score_pair(typed, ON_RECORD).reasons


def test_a_twin_with_a_different_given_name_is_not_a_duplicate() -> None:
    """A twin shares birth date, family name, postcode and carers: only the given name differs."""
    twin = PersonFacts.of(
        "Leo", "Smith-Jones", birth_date=BORN, postcode="LS6 2AB", carers=[("Sian", "Smith Jones")]
    )
    assert not score_pair(twin, ON_RECORD).likely


def test_a_child_of_the_same_name_born_on_another_day_is_not_a_duplicate() -> None:
    other = PersonFacts.of("Zoe", "Smith-Jones", birth_date=date(2018, 11, 30), postcode="M1 1AE")
    assert not score_pair(other, ON_RECORD).likely


def test_a_moved_family_is_still_found_by_name_birth_date_and_carer() -> None:
    moved = PersonFacts.of(
        "Zoe", "Smith-Jones", birth_date=BORN, postcode="M1 1AE", carers=[("Sian", "Smith")]
    )
    assert score_pair(moved, ON_RECORD).likely


def test_a_missing_birth_date_counts_for_nothing_either_way() -> None:
    no_date = PersonFacts.of("Zoe", "Smith Jones", postcode="LS6 2AB", carers=[("Siân", "Smith-Jones")])
    assert score_pair(no_date, ON_RECORD).likely


def test_the_same_nhs_number_is_always_shown() -> None:
    record = PersonFacts.of("Ava", "Smith", birth_date=BORN, nhs_number="9434765919")
    typed = PersonFacts.of("Oscar", "Patel", birth_date=date(2019, 1, 1), nhs_number="943 476 5919")
    match = score_pair(typed, record)
    assert "same NHS number" in match.reasons
    assert match.likely


def test_different_nhs_numbers_outweigh_a_shared_name_and_postcode() -> None:
    record = PersonFacts.of("Ava", "Smith", postcode="LS6 2AB", nhs_number="9434765919")
    typed = PersonFacts.of("Ava", "Smith", postcode="LS6 2AB", nhs_number="4010232137")
    assert not score_pair(typed, record).likely


def test_an_also_known_as_name_matches_the_name_on_record() -> None:
    record = PersonFacts.of("Mohammed", "Khan", birth_date=BORN, postcode="LS6 2AB")
    typed = PersonFacts.of("Mo", "Khan", also_known_as="Mohammed", birth_date=BORN)
    assert score_pair(typed, record).likely
    assert aka_key("Mo", "Khan") in PersonFacts.of("Mohammed", "Khan", also_known_as="Mo").lookup_keys


def test_an_unborn_baby_is_matched_by_expected_delivery() -> None:
    record = PersonFacts.of("", "Nguyễn", expected_delivery=date(2026, 3, 1), postcode="LS6 2AB")
    typed = PersonFacts.of("", "Nguyen", expected_delivery=date(2026, 3, 8), postcode="LS62AB")
    assert score_pair(typed, record).likely


def test_name_keys_ignore_accents_case_hyphens_spaces_middle_names_and_order() -> None:
    stored = name_key("Zoë Anne", "Smith-Jones")
    assert stored == name_key("zoe", "SMITH JONES") == name_key("ZOE", "smithjones") == "smithjones zoe"
    assert stored in PersonFacts.of("Smith-Jones", "Zoe").lookup_keys  # swapped on the form


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("sam", "samuel", True),
        ("bill", "william", True),
        ("muhammad", "mohammed", True),
        ("ava", "leo", False),
    ],
)
def test_short_forms_of_a_given_name_are_the_same_name(a: str, b: str, same: bool) -> None:
    assert same_given_name(a, b) is same
