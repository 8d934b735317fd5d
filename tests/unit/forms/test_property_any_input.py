"""Whatever arrives in any field of any form, the validator answers with problems, never an exception."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehdesk.forms.model import Field, FormDefinition, Prompt, Repeat
from ehdesk.forms.registry import FORMS
from ehdesk.forms.rules import rule_table
from ehdesk.forms.validate import validate

KNOWN_IDS = {row.rule_id for row in rule_table()}

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


def assert_problems_explained(form: FormDefinition, record: dict[str, Any]) -> None:
    result = validate(form, record)
    names = {f.name for f in form.input_fields()}
    assert set(result.values) <= names
    for problem in result.problems:
        assert problem.rule_id in KNOWN_IDS
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
        result = validate(form, raw)
        assert all(p.rule_id in KNOWN_IDS for p in result.problems)
