"""The paper as written: an admin keys what the referral says, never inventing an answer or dropping
what is written (issue 13)."""

from __future__ import annotations

import copy
from typing import Any

from formcases import CTX, REFERRAL_DISCUSSED_NO, REFERRAL_DISCUSSED_YES

from ehdesk.forms.model import NOT_STATED, ValidationResult
from ehdesk.forms.registry import get_form
from ehdesk.forms.relevance import relevance
from ehdesk.forms.validate import validate
from ehdesk.policy import load_pack


def _check(record: dict[str, Any]) -> ValidationResult:
    return validate(get_form("referral"), record, CTX)


def _ids(result: ValidationResult) -> set[str]:
    return {p.rule_id for p in result.problems}


def test_whether_safety_was_the_reason_can_be_saved_as_not_stated_g9() -> None:
    record = {**REFERRAL_DISCUSSED_NO, "immediate_safety_concern": "not stated"}
    result = _check(record)
    assert result.ok, result.problems
    assert result.values["immediate_safety_concern"] == NOT_STATED
    assert "G9.safety-answer" not in _ids(result)


def test_the_g2_reason_stays_required_when_safety_is_not_stated() -> None:
    record = {**REFERRAL_DISCUSSED_NO, "immediate_safety_concern": NOT_STATED, "not_discussed_reason": " "}
    assert "G2.reason" in _ids(_check(record))


def test_whether_the_family_was_told_cannot_be_not_stated_g2() -> None:
    """Talking to the family is the referrer's duty (G2): the answer must be yes or no."""
    result = _check({**REFERRAL_DISCUSSED_YES, "discussed_with_parent": NOT_STATED})
    assert any(p.path == "discussed_with_parent" and p.rule_id == "DQ.type-yesno" for p in result.problems)


def test_an_unborn_baby_needs_no_given_name() -> None:
    record = copy.deepcopy(REFERRAL_DISCUSSED_YES)
    record["children"][1].pop("given_name")
    result = _check(record)
    assert result.ok, result.problems
    born = copy.deepcopy(REFERRAL_DISCUSSED_YES)
    born["children"][0].pop("given_name")
    assert "DQ.required.referral.children.given_name" in _ids(_check(born))


def test_a_possible_but_unlisted_phone_number_is_kept_with_a_warning() -> None:
    result = _check({**REFERRAL_DISCUSSED_YES, "home_phone": "07700 900123"})
    assert result.ok
    assert result.values["home_phone"] == "07700 900123"
    assert [p.rule_id for p in result.warnings if p.path == "home_phone"] == ["DQ.phone-unlisted"]


def test_a_uk_service_number_such_as_101_is_kept_with_one_warning() -> None:
    for number in ("101", "111", "116 123"):
        result = _check({**REFERRAL_DISCUSSED_YES, "referrer_phone": number})
        assert result.ok, (number, result.errors)
        assert result.values["referrer_phone"] == number
        assert [p.rule_id for p in result.warnings if p.path == "referrer_phone"] == ["DQ.phone-service"]


def test_an_impossible_phone_number_is_refused() -> None:
    result = _check({**REFERRAL_DISCUSSED_YES, "home_phone": "0161 23"})
    assert [p.rule_id for p in result.errors if p.path == "home_phone"] == ["DQ.phone"]


def test_a_worry_about_immediate_safety_shows_the_authoritys_front_door() -> None:
    form = get_form("referral")
    fields = tuple(form.fields())
    worried = relevance(fields, {"discussed_with_parent": False, "immediate_safety_concern": True})
    calm = relevance(fields, {"discussed_with_parent": False, "immediate_safety_concern": NOT_STATED})
    front_door = form.field("front_door")
    assert worried.is_shown(front_door)
    assert not calm.is_shown(front_door)
    assert "999" in load_pack().text("front_door")


def test_questions_most_request_forms_ask_are_on_the_referral() -> None:
    form = get_form("referral")
    children = {f.name for f in form.field("children").fields}  # type: ignore[attr-defined]
    carers = {f.name for f in form.field("carers").fields}  # type: ignore[attr-defined]
    assert {"religion", "also_known_as", "address_if_different"} <= children
    assert "also_known_as" in carers
    assert {"discussed_with_safeguarding_lead", "existing_assessment"} <= {f.name for f in form.fields()}
