"""The data-quality checks on their own."""

from __future__ import annotations

from datetime import date

import pytest

from ehdesk.forms.validators import (
    age_on,
    is_email,
    is_nhs_number,
    is_uk_phone,
    is_uk_postcode,
    normalise_postcode,
)


@pytest.mark.parametrize(
    "postcode", ["M1 1AE", "sw1a1aa", "EC1A 1BB", "W1A 0AX", "DN55 1PT", "GIR 0AA", " b33 8th "]
)
def test_real_postcode_formats_pass(postcode: str) -> None:
    assert is_uk_postcode(postcode)


@pytest.mark.parametrize("postcode", ["XYZ 123", "M1 1A", "QQ1 1AA", "12345", "", None, 42])
def test_malformed_postcodes_fail(postcode: object) -> None:
    assert not is_uk_postcode(postcode)


def test_postcode_is_normalised_to_royal_mail_style() -> None:
    assert normalise_postcode(" sw1a1aa ") == "SW1A 1AA"


@pytest.mark.parametrize("number", ["0161 234 5678", "07400 123456", "+44 7400 123456"])
def test_uk_phone_numbers_pass(number: str) -> None:
    assert is_uk_phone(number)


@pytest.mark.parametrize("number", ["12345", "0161 234", "not a number", "", None])
def test_bad_phone_numbers_fail(number: object) -> None:
    assert not is_uk_phone(number)


def test_email_syntax_is_checked_without_the_network() -> None:
    assert is_email("zoë@example.org")
    assert not is_email("not-an-email")
    assert not is_email(None)


def test_nhs_number_check_digit() -> None:
    assert is_nhs_number("943 476 5919")
    assert is_nhs_number("9434765919")
    assert not is_nhs_number("943 476 5910")
    assert not is_nhs_number("abc")


def test_age_counts_birthdays() -> None:
    assert age_on(date(2007, 6, 2), date(2025, 6, 1)) == 17
    assert age_on(date(2007, 6, 1), date(2025, 6, 1)) == 18
