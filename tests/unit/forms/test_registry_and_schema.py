"""The registry of forms, the referral's field contract, and the JSON Schema export."""

from __future__ import annotations

import pytest

from ehdesk.errors import EhdeskError
from ehdesk.forms.model import Prompt, Repeat
from ehdesk.forms.registry import FORMS, UnknownForm, get_form
from ehdesk.forms.schema import DIALECT, json_schema
from ehdesk.policy.pack import load_pack


def test_the_six_forms_are_registered() -> None:
    assert list(FORMS) == ["referral", "share", "objection", "privacy_notice", "decline", "decision"]


def test_unknown_form_names_the_known_ones() -> None:
    with pytest.raises(KeyError) as caught:
        get_form("nope")
    assert isinstance(caught.value, EhdeskError)
    assert isinstance(caught.value, UnknownForm)
    assert "referral" in str(caught.value)
    assert "decision" in str(caught.value)


def test_referral_keeps_the_field_names_storage_and_gui_depend_on() -> None:
    form = get_form("referral")
    top = {f.name for f in form.fields()}
    assert {
        "received_on",
        "how_received",
        "referrer_name",
        "referrer_role",
        "referrer_agency",
        "referrer_phone",
        "referrer_email",
        "address_line1",
        "address_line2",
        "town",
        "postcode",
        "home_phone",
        "children",
        "carers",
        "reasons",
        "needs",
        "agencies_involved",
        "discussed_with_parent",
        "not_discussed_reason",
        "immediate_safety_concern",
    } <= top
    children = form.field("children")
    carers = form.field("carers")
    agencies = form.field("agencies_involved")
    assert isinstance(children, Repeat)
    assert isinstance(carers, Repeat)
    assert isinstance(agencies, Repeat)
    assert {
        "given_name",
        "family_name",
        "unborn",
        "birth_date",
        "expected_delivery",
        "gender",
        "nhs_number",
        "school_or_setting",
        "send",
    } <= {f.name for f in children.fields}
    assert {
        "given_name",
        "family_name",
        "birth_date",
        "relationship",
        "parental_responsibility",
        "phone",
        "email",
        "first_language",
        "interpreter_needed",
        "interpreter_language",
    } <= {f.name for f in carers.fields}
    assert {"agency", "contact_name", "contact_phone"} <= {f.name for f in agencies.fields}
    assert children.min_items == 1


def test_field_names_are_unique_within_each_group() -> None:
    for form in FORMS.values():
        names = [f.name for f in form.fields()]
        assert len(names) == len(set(names)), form.id
        for f in form.fields():
            if isinstance(f, Repeat):
                inner = [g.name for g in f.fields]
                assert len(inner) == len(set(inner))


def test_every_prompt_text_is_in_the_default_policy_pack() -> None:
    pack = load_pack()
    for form in FORMS.values():
        for f in form.fields():
            if isinstance(f, Prompt) and f.policy_key:
                assert pack.text(f.policy_key).strip()


def test_schema_describes_types_enums_required_and_repeats() -> None:
    schema = json_schema(get_form("referral"))
    assert schema["$schema"] == DIALECT
    assert "received_on" in schema["required"]
    props = schema["properties"]
    assert {"format": "date"} in props["received_on"]["anyOf"]  # blank is allowed: it means "not known"
    assert "paper" in props["how_received"]["enum"]
    assert props["discussed_with_parent"]["type"] == ["boolean", "null"]
    children = props["children"]
    assert children["type"] == "array"
    assert children["minItems"] == 1
    assert children["items"]["type"] == "object"
    assert "family_name" in children["items"]["required"]
    assert "given_name" not in children["items"]["required"]  # an unborn baby needs none
    assert "talk_first_note" not in props


@pytest.mark.parametrize("form_id", list(FORMS))
def test_every_form_has_a_schema_with_a_title_per_field(form_id: str) -> None:
    schema = json_schema(get_form(form_id))
    assert all("title" in prop for prop in schema["properties"].values())
