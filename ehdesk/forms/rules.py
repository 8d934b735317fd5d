"""The rule table: every rule of every form, built-ins included, as rows a person can read.

``ehdesk rules`` prints it, the coverage report reads it, and the tests walk it to prove each rule has an
input that triggers it and one that passes. Fields inside a repeating group are named like
``children[].birth_date``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ehdesk.forms import builtin
from ehdesk.forms.model import Field, FormDefinition, Prompt, Repeat, Rule, Severity
from ehdesk.forms.obligation import Obligation
from ehdesk.forms.registry import FORMS
from ehdesk.forms.validate import min_items_message


@dataclass(frozen=True)
class RuleRow:
    rule_id: str
    obligation: Obligation
    form: str
    field: str
    severity: Severity
    message: str
    when: str = ""
    why: str = ""
    builtin: bool = False


def _row_for_rule(form: FormDefinition, path: str, rule: Rule) -> RuleRow:
    return RuleRow(
        rule.id,
        rule.obligation,
        form.id,
        path,
        rule.severity,
        rule.message,
        rule.when.describe() if rule.when else "",
        rule.why,
    )


def _builtin_row(form: str, path: str, rule: builtin.BuiltinRule, message: str | None = None) -> RuleRow:
    return RuleRow(
        rule.id, rule.obligation, form, path, Severity.ERROR, message or rule.message, "", rule.why, True
    )


def _field_rows(form: FormDefinition, f: Field, path: str) -> Iterator[RuleRow]:
    if isinstance(f, Prompt):
        return
    type_rule = builtin.type_rule_for(f)
    if type_rule is not None:
        yield _builtin_row(form.id, path, type_rule)
    if f.required is not None:
        req = f.required
        yield RuleRow(
            builtin.required_id(req, form.id, path),
            req.obligation,
            form.id,
            path,
            Severity.ERROR,
            req.message,
            req.when.describe() if req.when else "",
            req.why or builtin.REQUIRED.why,
            req.id is None,
        )
    limit = builtin.max_length_of(f)
    if limit is not None:
        yield _builtin_row(form.id, path, builtin.max_length_rule(limit))
    if isinstance(f, Repeat):
        if f.min_items:
            yield _builtin_row(form.id, path, builtin.MIN_ITEMS, min_items_message(f))
        yield _builtin_row(form.id, path, builtin.max_items_rule(f.max_items))
    for rule in f.rules:
        yield _row_for_rule(form, path, rule)
    if isinstance(f, Repeat):
        for sub in f.fields:
            yield from _field_rows(form, sub, f"{path}[].{sub.name}")


def form_rule_rows(form: FormDefinition) -> list[RuleRow]:
    rows: list[RuleRow] = []
    for f in form.fields():
        rows.extend(_field_rows(form, f, f.name))
    rows.extend(_row_for_rule(form, rule.field or "", rule) for rule in form.rules)
    return rows


def rule_table(forms: Iterable[FormDefinition] | None = None) -> list[RuleRow]:
    """Every rule of every form (the registry's by default), then the record-wide built-ins."""
    if forms is None:
        forms = FORMS.values()
    rows: list[RuleRow] = []
    for form in forms:
        rows.extend(form_rule_rows(form))
    rows.extend(_builtin_row("*", "", rule) for rule in builtin.RECORD_RULES)
    return rows
