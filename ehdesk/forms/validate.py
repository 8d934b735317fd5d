"""The validator: one function that reads a definition and checks a record against it.

It is the only reader of the rules, so every reader of a definition (GUI, CLI, services) gets the
same answer. It never raises: a record may come from a half-typed form or from a JSON file of unknown
origin, and the user always gets a list of problems plus everything they typed back.

Order of work for each group of fields (the record itself, then each item of a repeating group):
clean every value; decide which fields are shown (``ehdesk.forms.relevance``, the same function the
form view calls, so what the user sees is what is checked and kept); drop hidden values; then check
what is shown.
Inside a repeating group the scope is the item's values over the record's (``chain(item, root)``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from ehdesk.forms import builtin
from ehdesk.forms.builtin import BuiltinRule
from ehdesk.forms.conditions import Scope, is_blank
from ehdesk.forms.kinds import clean_field, has_control_characters, kind_of
from ehdesk.forms.model import (
    Field,
    FormDefinition,
    Problem,
    Prompt,
    Repeat,
    Rule,
    Severity,
    ValidationContext,
    ValidationResult,
)
from ehdesk.forms.relevance import holds, relevance
from ehdesk.forms.validators import max_length_message


def validate(
    form: FormDefinition, raw: Mapping[str, Any], ctx: ValidationContext | None = None
) -> ValidationResult:
    """Clean and check ``raw`` against ``form``; never raises."""
    context = ctx if ctx is not None else ValidationContext()
    try:
        return _Run(form, context).record(raw)
    except Exception:  # a bug must not cost the user their typing
        values = dict(raw) if isinstance(raw, Mapping) else {}
        return ValidationResult(values, [_builtin_problem("", builtin.INTERNAL)])


def _builtin_problem(path: str, rule: BuiltinRule, message: str | None = None) -> Problem:
    return Problem(path, rule.id, rule.obligation, Severity.ERROR, message or rule.message, rule.why)


def _path(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


# What is fixed per definition is worked out once per form and per group of fields, not per record
# (issue 18: ``ehdesk demo`` validates thousands of referrals). Keyed by id, with the object held so
# its id is never reused; definitions are few, so the bound only guards against forms made on the fly.
_CACHE_LIMIT = 512
_FORM_FIELDS: dict[int, tuple[FormDefinition, tuple[Field, ...]]] = {}
_GROUP_INPUTS: dict[int, tuple[Sequence[Field], tuple[Field, ...], frozenset[str]]] = {}


def _form_fields(form: FormDefinition) -> tuple[Field, ...]:
    """The form's top-level fields, as one tuple that stays the same for the form."""
    held = _FORM_FIELDS.get(id(form))
    if held is None or held[0] is not form:
        if len(_FORM_FIELDS) >= _CACHE_LIMIT:
            _FORM_FIELDS.clear()
        held = _FORM_FIELDS[id(form)] = (form, tuple(form.fields()))
    return held[1]


def _group_inputs(fields: Sequence[Field]) -> tuple[tuple[Field, ...], frozenset[str]]:
    """A group's fields that hold a value (prompts left out), and their names."""
    held = _GROUP_INPUTS.get(id(fields))
    if held is None or held[0] is not fields:
        if len(_GROUP_INPUTS) >= _CACHE_LIMIT:
            _GROUP_INPUTS.clear()
        inputs = tuple(f for f in fields if not isinstance(f, Prompt))
        held = _GROUP_INPUTS[id(fields)] = (fields, inputs, frozenset(f.name for f in inputs))
    return held[1], held[2]


class _Run:
    def __init__(self, form: FormDefinition, ctx: ValidationContext) -> None:
        self.form = form
        self.ctx = ctx
        self.problems: list[Problem] = []

    def record(self, raw: Any) -> ValidationResult:
        if not isinstance(raw, Mapping):
            return ValidationResult({}, [_builtin_problem("", builtin.TYPE_RECORD)])
        fields = _form_fields(self.form)
        values = self.group(fields, raw, "", {})
        for rule in self.form.rules:
            self.form_rule(rule, values, fields)
        return ValidationResult(values, [self.worded(p) for p in self.problems])

    def worded(self, problem: Problem) -> Problem:
        """The authority's own wording for the rule, when its policy pack rewords it (G25)."""
        own = self.ctx.messages.get(problem.rule_id)
        return replace(problem, message=own) if own else problem

    # -- one group of fields ------------------------------------------------------------------------

    def group(
        self, fields: Sequence[Field], raw: Mapping[Any, Any], prefix: str, outer: Mapping[str, Any]
    ) -> dict[str, Any]:
        cleaned: dict[str, Any] = {}
        type_ok: dict[str, bool] = {}
        inputs, known = _group_inputs(fields)
        self.unknown_keys(known, raw, prefix)
        for f in inputs:
            cleaned[f.name], type_ok[f.name] = clean_field(f, raw.get(f.name), self.ctx)

        decided = relevance(fields, cleaned, outer)  # the same answer the form view shows
        scope = dict(decided.scope)
        shown = [f for f in fields if decided.is_shown(f)]
        for f in fields:
            if not decided.is_shown(f):
                cleaned.pop(f.name, None)

        for f in shown:
            if isinstance(f, Prompt):
                continue
            path = _path(prefix, f.name)
            if isinstance(f, Repeat) and type_ok[f.name]:
                cleaned[f.name] = self.repeat(f, cleaned[f.name], path, scope)
                scope[f.name] = cleaned[f.name]
            self.check_field(f, cleaned[f.name], type_ok[f.name], path, scope)
        return cleaned

    def unknown_keys(self, known: frozenset[str], raw: Mapping[Any, Any], prefix: str) -> None:
        """A key the form does not have is refused by name ("post_code"), never dropped unseen."""
        for key in raw:
            if key not in known:
                name = key if isinstance(key, str) else repr(key)
                message = f"{builtin.UNKNOWN_FIELD.message} (found '{name}')"
                self.problems.append(_builtin_problem(_path(prefix, name), builtin.UNKNOWN_FIELD, message))

    def repeat(self, f: Repeat, items: list[Any], path: str, scope: Mapping[str, Any]) -> list[Any]:
        if len(items) > f.max_items:  # too long to walk: say so once and keep the list as received
            return items
        out: list[Any] = []
        for index, item in enumerate(items):
            item_path = f"{path}[{index}]"
            if not isinstance(item, Mapping):
                self.problems.append(_builtin_problem(item_path, builtin.TYPE_REPEAT))
                out.append(item)
                continue
            out.append(self.group(f.fields, item, item_path, scope))
        return out

    # -- checks -------------------------------------------------------------------------------------

    def check_field(self, f: Field, value: Any, type_ok: bool, path: str, scope: Scope) -> None:
        kind = kind_of(f)
        if not type_ok:
            type_rule = kind.type_rule or builtin.TYPE_TEXT
            self.problems.append(_builtin_problem(path, type_rule))
            return
        if kind.free_text and has_control_characters(value):
            self.problems.append(_builtin_problem(path, builtin.CONTROL_CHARACTERS))
            return
        req = f.required
        if req is not None and is_blank(value) and holds(req.when, scope):
            self.problems.append(
                Problem(
                    path,
                    builtin.required_id(req, self.form.id, path),
                    req.obligation,
                    Severity.ERROR,
                    req.message,
                    req.why or builtin.REQUIRED.why,
                )
            )
            return
        limit = kind.max_length(f)
        if limit is not None and isinstance(value, str) and len(value) > limit:
            message = f"{max_length_message(limit)} (it has {len(value)})"
            self.problems.append(_builtin_problem(path, builtin.max_length_rule(limit), message))
            return
        if isinstance(f, Repeat) and isinstance(value, list):
            self.check_size(f, value, path)
        if is_blank(value):
            return
        for rule in f.rules:
            self.apply(rule, value, scope, path)

    def check_size(self, f: Repeat, items: list[Any], path: str) -> None:
        if len(items) < f.min_items:
            self.problems.append(_builtin_problem(path, builtin.MIN_ITEMS, min_items_message(f)))
        if len(items) > f.max_items:
            rule = builtin.max_items_rule(f.max_items)
            self.problems.append(_builtin_problem(path, rule, max_items_message(f)))

    def apply(self, rule: Rule, value: Any, scope: Scope, path: str) -> None:
        if not holds(rule.when, scope):
            return
        try:
            passed = bool(rule.check(value, scope, self.ctx))
        except Exception:
            self.problems.append(_builtin_problem(path, builtin.CHECK_FAILED))
            return
        if not passed:
            self.problems.append(
                Problem(path, rule.id, rule.obligation, rule.severity, rule.message, rule.why)
            )

    def form_rule(self, rule: Rule, values: Mapping[str, Any], fields: Sequence[Field]) -> None:
        """Cross-field rules see the whole record; a rule about a hidden field does not apply."""
        hidden = rule.field is not None and rule.field not in values
        if hidden and any(f.name == rule.field for f in fields):
            return
        self.apply(rule, values.get(rule.field) if rule.field else None, values, rule.field or "")


def min_items_message(f: Repeat) -> str:
    n = f.min_items
    return f"Add at least one {f.item_label}" if n == 1 else f"Add at least {n} {f.item_label}s"


def max_items_message(f: Repeat) -> str:
    return builtin.max_items_rule(f.max_items).message
