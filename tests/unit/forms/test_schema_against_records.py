"""The JSON Schema ehdesk prints is a real Draft 2020-12 schema that accepts what ehdesk accepts."""

from __future__ import annotations

from datetime import date

import pytest
from jsonschema import Draft202012Validator

from ehdesk.demo import demo_referrals
from ehdesk.forms.registry import FORMS, get_form
from ehdesk.forms.schema import json_schema
from tests import samples


@pytest.mark.parametrize("form_id", list(FORMS))
def test_every_forms_schema_is_a_valid_2020_12_schema(form_id: str) -> None:
    schema = json_schema(get_form(form_id))
    meta = Draft202012Validator.META_SCHEMA
    assert schema["$schema"] == meta["$id"]  # it says which draft it is written in
    checker = Draft202012Validator(meta, format_checker=Draft202012Validator.FORMAT_CHECKER)
    assert [error.message for error in checker.iter_errors(schema)] == []


def test_records_the_validator_accepts_conform_to_the_referral_schema() -> None:
    checker = Draft202012Validator(json_schema(get_form("referral")))
    records = [samples.referral(), *demo_referrals(40, seed=11, today=date(2026, 11, 25))]
    for record in records:
        assert list(checker.iter_errors(record)) == []


def test_a_record_of_the_wrong_shape_does_not_conform() -> None:
    checker = Draft202012Validator(json_schema(get_form("referral")))
    wrong = samples.referral(children="Ava and Leo", discussed_with_parent="maybe")
    paths = {tuple(error.absolute_path) for error in checker.iter_errors(wrong)}
    assert ("children",) in paths
    assert ("discussed_with_parent",) in paths
