import pytest

from ehdesk.text import fold, nhs_digits, postcode_key, tidy_postcode, unwrap


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Siân", "sian"),
        ("Nguyễn", "nguyen"),
        ("Zoë", "zoe"),
        ("O'Neill", "oneill"),
        ("O’Neill", "oneill"),
        ("Smith-Jones", "smith jones"),
        ("  ó  Briain ", "o briain"),
        ("Łukasz Wójcik", "lukasz wojcik"),
        ("Søren", "soren"),
        ("STRAßE", "strasse"),
        ("أحمد", "احمد"),
        ("مُحَمَّد", "محمد"),
    ],
)
def test_fold_makes_one_key_of_every_spelling(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_postcodes_with_and_without_the_space_are_one_postcode() -> None:
    assert postcode_key("ls6 2ab") == postcode_key("LS62AB") == "LS62AB"
    assert tidy_postcode("ls62ab") == tidy_postcode(" LS6  2AB") == "LS6 2AB"
    assert tidy_postcode("sw1a1aa") == "SW1A 1AA"


def test_nhs_numbers_typed_with_separators_become_ten_digits() -> None:
    assert nhs_digits("943-476-59-19") == "9434765919"
    assert nhs_digits("943 476 5919") == "9434765919"
    assert nhs_digits("94347a") == "94347a"


def test_unwrap_joins_wrapped_lines_and_keeps_blank_line_paragraphs() -> None:
    wrapped = "We only pass on what is needed to help\n  your children.\n \nAsk us any time\nabout it.\n\n\n"
    assert (
        unwrap(wrapped) == "We only pass on what is needed to help your children.\nAsk us any time about it."
    )
