"""Bad input gets a clear message on the field, never a lost record or a general error (issue 13)."""

from __future__ import annotations

import copy

import pytest
from formcases import CTX, REFERRAL_DISCUSSED_YES

from ehdesk.forms import builtin
from ehdesk.forms.registry import FORMS, get_form
from ehdesk.forms.validate import validate


@pytest.mark.parametrize(
    "text",
    ["Ava\x00", "\x1b[31mAva", "Ava\x07", "Av\ud800a", "A\x85va"],
    ids=["NUL", "ESC", "BEL", "surrogate", "C1"],
)
def test_control_characters_and_lone_surrogates_are_refused_on_the_field(text: str) -> None:
    record = copy.deepcopy(REFERRAL_DISCUSSED_YES)
    record["children"][0]["given_name"] = text
    record["reasons"] = f"Worried {text}"
    result = validate(get_form("referral"), record, CTX)
    bad = {(p.path, p.rule_id) for p in result.errors}
    assert ("children[0].given_name", builtin.CONTROL_CHARACTERS.id) in bad
    assert ("reasons", builtin.CONTROL_CHARACTERS.id) in bad
    assert result.values["children"][0]["given_name"] == text.strip()  # kept for the user to correct


def test_tabs_and_line_breaks_in_long_text_are_fine() -> None:
    record = {**REFERRAL_DISCUSSED_YES, "reasons": "Line one\n\tLine two\r\nLine three"}
    assert validate(get_form("referral"), record, CTX).ok


def test_a_key_the_form_does_not_have_is_refused_by_name() -> None:
    record = {**REFERRAL_DISCUSSED_YES, "post_code": "M1 1AE"}
    record["children"] = [{**REFERRAL_DISCUSSED_YES["children"][0], "nhs_no": "1"}]
    result = validate(get_form("referral"), record, CTX)
    unknown = {p.path: p.message for p in result.errors if p.rule_id == builtin.UNKNOWN_FIELD.id}
    assert set(unknown) == {"post_code", "children[0].nhs_no"}
    assert "'post_code'" in unknown["post_code"]


@pytest.mark.parametrize("form_id", list(FORMS))
def test_every_list_of_every_form_has_a_maximum_length(form_id: str) -> None:
    from ehdesk.forms.model import MultiChoice, Repeat

    for f in FORMS[form_id].fields():
        if isinstance(f, Repeat):
            assert f.max_items > 0
        if isinstance(f, MultiChoice):
            too_many = list(f.choices.values()) * 2
            assert not validate(FORMS[form_id], {f.name: too_many}, CTX).ok


def test_a_list_beyond_its_limit_is_refused_without_walking_every_item() -> None:
    result = validate(get_form("referral"), {**REFERRAL_DISCUSSED_YES, "carers": [{}] * 10_000}, CTX)
    assert [p.rule_id for p in result.errors if p.path == "carers"] == ["DQ.max-items.50"]
    assert not [p for p in result.problems if p.path.startswith("carers[")]
