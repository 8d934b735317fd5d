"""Work that is the same for every record is done once (issue 18), without changing any answer.

A phone number is parsed once however many phone rules ask about it, and what a definition's groups
hold is worked out once per group; a form built later (or another form with the same shape) still gets
its own answer.
"""

from __future__ import annotations

import copy
from typing import Any

import phonenumbers
import pytest
from formcases import CTX, REFERRAL_DISCUSSED_YES

from ehdesk.forms import builtin, validators
from ehdesk.forms.model import FormDefinition, Section, Text
from ehdesk.forms.registry import FORMS
from ehdesk.forms.validate import validate


def test_each_written_phone_number_is_parsed_once_for_all_its_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[str] = []
    real_parse = phonenumbers.parse

    def counting_parse(number: str, region: str | None = None, *args: Any, **kwargs: Any) -> Any:
        parsed.append(number)
        return real_parse(number, region, *args, **kwargs)

    monkeypatch.setattr(phonenumbers, "parse", counting_parse)
    validators._phone_facts.cache_clear()
    record = copy.deepcopy(REFERRAL_DISCUSSED_YES)
    record.update(referrer_phone="0161 496 0101", home_phone="07700 900 123")

    result = validate(FORMS["referral"], record, CTX)

    assert result.values["referrer_phone"] == "0161 496 0101"
    assert sorted(set(parsed)) == sorted(parsed)  # three rules per phone field, one parse per number
    assert {"0161 496 0101", "07700 900 123"} <= set(parsed)


@pytest.mark.parametrize(
    ("number", "possible", "allocated", "service"),
    [
        ("0161 496 0000", True, True, False),
        ("07400 123456", True, True, False),
        ("101", False, False, True),
        ("12", False, False, False),
        ("not a number", False, False, False),
        ("0" * 41, False, False, False),
    ],
)
def test_the_cached_phone_answers_are_the_library_answers(
    number: str, possible: bool, allocated: bool, service: bool
) -> None:
    for _ in range(2):  # the second time from the cache
        assert validators.is_possible_uk_phone(number) is possible
        assert validators.is_uk_phone(number) is allocated
        assert validators.is_uk_service_number(number) is service


def _form(*names: str) -> FormDefinition:
    return FormDefinition(
        id="t", title="t", version=1, sections=(Section("s", tuple(Text(name=n, label=n) for n in names)),)
    )


def test_forms_made_one_after_another_each_know_their_own_fields() -> None:
    first, second = _form("a"), _form("b")
    for _ in range(2):
        assert [p.rule_id for p in validate(first, {"a": "x"}).problems] == []
        assert [p.path for p in validate(second, {"a": "x"}).problems] == ["a"]
        assert validate(second, {"a": "x"}).problems[0].rule_id == builtin.UNKNOWN_FIELD.id
        assert validate(second, {"b": "y"}).values == {"b": "y"}
