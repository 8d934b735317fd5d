"""Whatever arrives in any field of any form, the validator answers with problems, never an exception.

``validate()`` itself never raises: it turns a crash into a ``DQ.internal`` problem, and a declared
check that raises into ``DQ.check-failed``. Those are safety nets for the user, so a test that went
through ``validate()`` and accepted them would pass a validator that crashed on every input. The
properties below therefore drive the engine (``_Run.record``) directly, so a real exception fails the
test, and refuse the safety-net problems: every rejection must come from a rule of the table, with
that rule's message.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehdesk.forms import builtin
from ehdesk.forms import validate as engine
from ehdesk.forms.model import Field, FormDefinition, Prompt, Repeat, ValidationContext, ValidationResult
from ehdesk.forms.registry import FORMS
from ehdesk.forms.rules import rule_table

SAFETY_NETS = {builtin.INTERNAL.id, builtin.CHECK_FAILED.id}
# Each rule ID has one message (test_each_rule proves it), so a problem's message can be checked too.
MESSAGES = {row.rule_id: row.message for row in rule_table()}
IDS_OF_FORM = {
    form_id: {row.rule_id for row in rule_table() if row.form in (form_id, "*")} - SAFETY_NETS
    for form_id in FORMS
}

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["yes", "no", "2025-01-01", "31/12/2024", "29/02/2023", "other", "paper", " ", "M1 1AE"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)


def _record(fields: tuple[Field, ...] | list[Field], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    parts: dict[str, st.SearchStrategy[Any]] = {}
    for f in fields:
        if isinstance(f, Prompt):
            continue
        if isinstance(f, Repeat) and depth < 2:
            parts[f.name] = st.one_of(
                json_values, st.lists(st.one_of(_record(f.fields, depth + 1), json_values), max_size=3)
            )
        else:
            parts[f.name] = json_values
    return st.fixed_dictionaries({}, optional=parts)


def check(form: FormDefinition, raw: Any) -> ValidationResult:
    """The engine without ``validate()``'s catch-all, so an exception reaches the test."""
    return engine._Run(form, ValidationContext()).record(raw)


def assert_problems_explained(form: FormDefinition, raw: Any) -> None:
    result = check(form, raw)
    names = {f.name for f in form.input_fields()}
    assert set(result.values) <= names
    for problem in result.problems:
        assert problem.rule_id not in SAFETY_NETS, problem
        assert problem.rule_id in IDS_OF_FORM[form.id], problem
        assert problem.message.startswith(MESSAGES[problem.rule_id]), problem
        assert problem.message.strip()
        assert problem.obligation


def _make_test(form_id: str) -> Any:
    form = FORMS[form_id]

    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(record=_record(list(form.fields())))
    def test(record: dict[str, Any]) -> None:
        assert_problems_explained(form, record)

    test.__name__ = f"test_any_values_in_{form_id}_give_problems_not_exceptions"
    return test


for _form_id in FORMS:
    globals()[f"test_any_values_in_{_form_id}_give_problems_not_exceptions"] = _make_test(_form_id)


@settings(max_examples=60, deadline=None)
@given(raw=json_values)
def test_any_json_value_as_the_whole_record_gives_problems_not_exceptions(raw: Any) -> None:
    for form in FORMS.values():
        assert_problems_explained(form, raw)


def test_a_validator_that_crashes_fails_the_property(monkeypatch: pytest.MonkeyPatch) -> None:
    """The property must be able to fail: a cleaning step that always raises is caught."""

    def broken(*_args: Any) -> Any:
        raise RuntimeError("bug")

    monkeypatch.setattr(engine, "clean_field", broken)
    with pytest.raises(RuntimeError):
        assert_problems_explained(FORMS["referral"], {"referrer_name": "Ann"})


def test_a_check_that_raises_fails_the_property(monkeypatch: pytest.MonkeyPatch) -> None:
    """A declared check that raises is a bug even though the user sees "could not be checked"."""
    result = ValidationResult({}, [engine._builtin_problem("postcode", builtin.CHECK_FAILED)])
    monkeypatch.setattr(engine._Run, "record", lambda _self, _raw: result)
    with pytest.raises(AssertionError):
        assert_problems_explained(FORMS["referral"], {})
