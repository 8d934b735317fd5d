"""For every row of the rule table: an input that triggers the rule and one that passes."""

from __future__ import annotations

from typing import Any

import pytest
from formcases import BASES, CASES, CTX, WRONG_TYPE, Case, concrete_paths, field_at, get_at, mutate

from ehdesk.forms import builtin
from ehdesk.forms.conditions import is_blank
from ehdesk.forms.model import FormDefinition, Repeat, ValidationContext
from ehdesk.forms.registry import FORMS
from ehdesk.forms.rules import RuleRow, rule_table
from ehdesk.forms.validate import validate

FORM_ROWS = [row for row in rule_table() if row.form != "*"]


def _row_id(row: RuleRow) -> str:
    return f"{row.form}:{row.field}:{row.rule_id}"


def _pick_base(form: FormDefinition, row_path: str) -> tuple[dict[str, Any], str]:
    """A valid base that shows the field (filled, preferably) and the concrete path to change."""
    fallback: tuple[dict[str, Any], str] | None = None
    for base in BASES[form.id]:
        values = validate(form, base, CTX).values
        for path in concrete_paths(values, row_path):
            head = path.split("[")[0].split(".")[0]
            if head not in values:
                continue
            if not is_blank(get_at(values, path)):
                return base, path
            if fallback is None and _visible(values, path):
                fallback = (base, path)
    assert fallback is not None, f"no base record shows {form.id}.{row_path}"
    return fallback


def _visible(values: dict[str, Any], path: str) -> bool:
    parent, _, name = path.rpartition(".")
    holder = get_at(values, parent) if parent else values
    return isinstance(holder, dict) and name in holder


def _case_for(form: FormDefinition, row: RuleRow) -> Case:
    f = field_at(form, row.field)
    if row.rule_id in WRONG_TYPE and row.builtin:
        return Case(WRONG_TYPE[row.rule_id])
    limit = builtin.max_length_of(f)
    if limit is not None and row.rule_id == builtin.max_length_rule(limit).id:
        return Case("x" * (limit + 1))
    if row.rule_id == builtin.MIN_ITEMS.id:
        return Case([])
    if isinstance(f, Repeat) and row.rule_id == builtin.max_items_rule(f.max_items).id:
        return Case([{}] * (f.max_items + 1))
    if f.required is not None and row.rule_id == builtin.required_id(f.required, row.form, row.field):
        return Case(None)
    assert row.rule_id in CASES, f"rule {row.rule_id} has no trigger case in formcases.CASES"
    return CASES[row.rule_id]


def _fires(
    form: FormDefinition, record: dict[str, Any], ctx: ValidationContext, rule_id: str, path: str
) -> bool:
    return any(p.rule_id == rule_id and p.path == path for p in validate(form, record, ctx).problems)


@pytest.mark.parametrize("form_id", list(BASES))
def test_base_records_are_valid_without_warnings(form_id: str) -> None:
    for base in BASES[form_id]:
        result = validate(FORMS[form_id], base, CTX)
        assert result.problems == []


@pytest.mark.parametrize("row", FORM_ROWS, ids=_row_id)
def test_rule_fires_on_a_triggering_input_and_not_on_a_passing_one(row: RuleRow) -> None:
    form = FORMS[row.form]
    base, path = _pick_base(form, row.field)
    case = _case_for(form, row)

    triggered = mutate(base, path, case.value, case.beside)
    assert _fires(form, triggered, case.ctx, row.rule_id, path), f"{row.rule_id} did not fire at {path}"

    passing = mutate(base, path, get_at(base, path), case.passing) if case.passing else base
    assert not _fires(form, passing, case.ctx, row.rule_id, path)


def test_every_declared_rule_has_a_trigger_case() -> None:
    declared = {row.rule_id for row in FORM_ROWS if not row.builtin}
    required_ids = {
        builtin.required_id(f.required, form.id, row.field)
        for form in FORMS.values()
        for row in FORM_ROWS
        if row.form == form.id
        for f in [field_at(form, row.field)]
        if f.required is not None
    }
    assert declared - required_ids <= set(CASES)
    assert set(CASES) <= declared, "cases for rules that no longer exist"


def test_rule_ids_name_their_obligation() -> None:
    for row in rule_table():
        assert row.rule_id.split(".")[0] == row.obligation, row
        assert row.message.strip()


def test_guidance_messages_cite_their_obligation() -> None:
    for row in rule_table():
        if row.obligation.startswith("G"):
            assert f"guidance {row.obligation}" in row.message, row


def test_record_level_builtins_are_listed_once() -> None:
    star = [row.rule_id for row in rule_table() if row.form == "*"]
    assert star == [r.id for r in builtin.RECORD_RULES]


def test_each_rule_id_has_exactly_one_message_and_one_obligation() -> None:
    """A policy pack rewords by rule ID (G25): an ID shared by two messages would reword both."""
    meanings: dict[str, set[tuple[str, str]]] = {}
    for row in rule_table():
        meanings.setdefault(row.rule_id, set()).add((row.message, row.obligation))
    shared = {rule_id: sorted(m) for rule_id, m in meanings.items() if len(m) > 1}
    assert shared == {}


def test_a_required_field_without_its_own_id_is_named_by_form_and_field() -> None:
    ids = {(row.form, row.field): row.rule_id for row in rule_table() if ".required." in row.rule_id}
    assert ids[("referral", "children[].given_name")] == "DQ.required.referral.children.given_name"
    assert ids[("referral", "received_on")] == "DQ.required.referral.received_on"


def test_explicit_rule_ids_are_kept() -> None:
    ids = {(row.form, row.field, row.rule_id) for row in rule_table()}
    assert ("referral", "not_discussed_reason", "G2.reason") in ids
    assert ("decision", "threshold_with", "G24.with") in ids
