"""One table per field kind: every field type has one entry, and postcodes, NHS numbers and dates are
read and tidied in one place, so storage, search and duplicates see one form of each."""

from __future__ import annotations

import copy
import inspect
from datetime import date

import pytest
from formcases import CTX, REFERRAL_DISCUSSED_YES

from ehdesk.forms import model
from ehdesk.forms.dates import parse_date
from ehdesk.forms.kinds import KINDS, display_value, kind_of
from ehdesk.forms.model import ValidationContext
from ehdesk.forms.registry import get_form
from ehdesk.forms.validate import validate
from ehdesk.storage.mapping import item_rows, record_columns

FIELD_TYPES = [
    cls
    for _, cls in inspect.getmembers(model, inspect.isclass)
    if issubclass(cls, model.Field) and cls is not model.Field
]


@pytest.mark.parametrize("cls", FIELD_TYPES, ids=lambda c: c.__name__)
def test_every_field_type_has_its_own_entry_in_the_kind_table(cls: type[model.Field]) -> None:
    assert cls in KINDS


def test_a_new_text_like_field_type_behaves_as_text_without_an_entry() -> None:
    class Initials(model.Text):
        pass

    assert kind_of(Initials(name="i", label="Initials")) is KINDS[model.Text]


def _referral(**child: object) -> dict[str, object]:
    record = copy.deepcopy(REFERRAL_DISCUSSED_YES)
    record["children"][0].update(child)
    return record


def test_an_nhs_number_typed_with_dashes_is_stored_as_its_ten_digits() -> None:
    result = validate(get_form("referral"), _referral(nhs_number="943-476-59-19"), CTX)
    assert result.ok, result.problems
    assert result.values["children"][0]["nhs_number"] == "9434765919"
    person = next(row for table, row in item_rows("referral", result.values) if table == "people")
    assert person["nhs_number"] == "9434765919"


def test_a_postcode_is_tidied_once_for_every_reader() -> None:
    record = _referral()
    record["postcode"] = "ls62ab"
    result = validate(get_form("referral"), record, CTX)
    assert result.values["postcode"] == "LS6 2AB"
    assert record_columns("referral", result.values)["data"]["postcode"] == "LS6 2AB"


@pytest.mark.parametrize("typed", ["2/8/25", "02.08.2025", "2 Aug 2025", "2025-08-02", "2nd August 2025"])
def test_dates_are_read_as_admins_write_them(typed: str) -> None:
    assert parse_date(typed, date(2025, 9, 1)) == date(2025, 8, 2)
    result = validate(get_form("referral"), {"received_on": typed}, ValidationContext(today=date(2025, 9, 1)))
    assert result.values["received_on"] == "2025-08-02"


def test_a_two_digit_birth_year_is_never_read_as_a_future_year() -> None:
    today = date(2025, 9, 1)
    assert parse_date("2/8/40", today, past=True) == date(1940, 8, 2)
    assert parse_date("2/8/25", today, past=True) == date(2025, 8, 2)
    assert parse_date("3/9/25", today, past=True) == date(1925, 9, 3)  # tomorrow in 2025 is not a birth
    result = validate(get_form("referral"), _referral(birth_date="4/3/40"), CTX)
    assert result.values["children"][0]["birth_date"] == "1940-03-04"


@pytest.mark.parametrize("typed", ["31/02/2025", "2 Smarch 2025", "next week", "2025-13-01"])
def test_a_date_that_cannot_be_read_is_kept_as_typed_with_a_problem(typed: str) -> None:
    result = validate(get_form("referral"), {"received_on": typed}, CTX)
    assert result.values["received_on"] == typed
    assert any(p.path == "received_on" and p.rule_id == "DQ.type-date" for p in result.problems)


def test_the_print_hook_shows_each_kind_as_a_person_reads_it() -> None:
    form = get_form("referral")
    child = form.field("children")
    assert isinstance(child, model.Repeat)
    fields = {f.name: f for f in child.fields}
    assert display_value(form.field("received_on"), "2025-08-02") == "2 August 2025"
    assert display_value(form.field("immediate_safety_concern"), model.NOT_STATED) == model.NOT_STATED_LABEL
    assert display_value(fields["unborn"], True) == "Yes"
    assert display_value(form.field("how_received"), "paper") != "paper"  # its label
    assert display_value(child, [{}, {}]).startswith("2 child")


def test_printed_answers_come_from_the_field_kind_table() -> None:
    from ehdesk.documents.answers import answer_text

    referral, decline = get_form("referral"), get_form("decline")
    needs = next(f for f in referral.fields() if f.name == "needs")
    declined_by = next(f for f in decline.fields() if f.name == "declined_by")
    people = {"7": "Zoë Kowalczyk-Nowak"}
    # the PDF's answer is the kind's display text, whatever the kind: dates, choices, people
    assert answer_text(referral.field("received_on"), "2025-08-02", people) == "2 August 2025"
    assert answer_text(declined_by, "7", people) == "Zoë Kowalczyk-Nowak"
    assert answer_text(declined_by, "8", people) == "8"  # a person no longer named keeps their id
    chosen = answer_text(needs, ["parenting", "school_attendance"], people)
    assert chosen.splitlines() == ["• Parenting support", "• School attendance"]
    for field in (referral.field("received_on"), declined_by, needs):
        assert answer_text(field, "2025-08-02", people) == display_value(field, "2025-08-02", people)
