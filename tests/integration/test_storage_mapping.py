"""The storage reader of the form definitions: every field has a place, every column a field."""

from __future__ import annotations

from datetime import date

import pytest

from ehdesk.forms.builtin import max_length_of
from ehdesk.forms.model import DateField, FormDefinition, Prompt, Repeat
from ehdesk.forms.registry import FORMS
from ehdesk.storage.mapping import MAPS, item_rows, record_columns, table
from tests import samples


@pytest.mark.parametrize("form", list(FORMS.values()), ids=list(FORMS))
def test_each_form_is_mapped_to_a_table_with_a_data_column(form: FormDefinition) -> None:
    storage = MAPS[form.id]
    assert "data" in table(storage.table).c  # where every value of the record is kept


@pytest.mark.parametrize("form", list(FORMS.values()), ids=list(FORMS))
def test_each_promoted_value_is_a_field_of_the_form_and_a_column_of_its_table(form: FormDefinition) -> None:
    storage = MAPS[form.id]
    names = {f.name for f in form.fields() if not isinstance(f, Prompt)}
    assert set(storage.columns) <= names
    assert set(storage.columns) <= set(table(storage.table).c.keys())
    for repeat, rows_of in storage.repeats.items():
        group = form.field(repeat)
        assert isinstance(group, Repeat)
        assert set(rows_of.columns) <= {f.name for f in group.fields}
        assert set(rows_of.columns) | set(rows_of.fixed) | {"data"} <= set(table(rows_of.table).c.keys())


@pytest.mark.parametrize("form", list(FORMS.values()), ids=list(FORMS))
def test_a_date_field_promoted_to_a_column_is_stored_as_a_date(form: FormDefinition) -> None:
    storage = MAPS[form.id]
    for name in storage.columns:
        if isinstance(form.field(name), DateField):
            assert record_columns(form.id, {name: "2026-02-03"})[name] == date(2026, 2, 3)


def test_every_value_of_a_referral_has_a_place() -> None:
    values = samples.referral()
    record = record_columns("referral", values)
    assert record["data"] == values  # everything, as received
    assert record["received_on"] == date(2026, 11, 2)
    rows = item_rows("referral", values)
    assert [
        (name, row.get("kind"), row["given_name" if name == "people" else "agency"]) for name, row in rows
    ] == [
        ("people", "child", "Ava"),
        ("people", "child", "Leo"),
        ("people", "carer", "Zoë"),
        ("agencies_involved", None, "GP"),
    ]
    assert all(row["data"] for _, row in rows)


@pytest.mark.parametrize("form", list(FORMS.values()), ids=list(FORMS))
def test_what_a_field_accepts_fits_the_column_it_is_promoted_to(form: FormDefinition) -> None:
    """A value the validator accepts must never be refused by the database (PostgreSQL enforces lengths)."""
    storage = MAPS[form.id]
    places = [(storage.table, form.field(name)) for name in storage.columns]
    for repeat, rows_of in storage.repeats.items():
        group = form.field(repeat)
        assert isinstance(group, Repeat)
        places += [(rows_of.table, f) for f in group.fields if f.name in rows_of.columns]
    for table_name, field in places:
        limit = max_length_of(field)
        length = getattr(table(table_name).c[field.name].type, "length", None)
        if limit is not None and length is not None:
            assert limit <= length or field.name == "nhs_number", (table_name, field.name, limit, length)
