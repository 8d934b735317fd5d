"""Which fields are shown ("show when") for a set of values: the one answer the validator and GUI share.

A field's condition may depend on a field that is itself hidden. If two readers decided that
differently, the form view would keep showing (and marking as required) a field whose value the
validator then silently drops. So the decision is made here, once, and both the validator
(``ehdesk.forms.validate``) and the form view (``ehdesk.gui.formview``) call it.

The rule: fields are decided in declaration order against the group's values over the outer scope
(``chain(item, root)`` inside a repeating-group item). A hidden field's value leaves the scope, so a
later field that depends on it sees it as unanswered; inside an item it is masked with ``None`` so it
does not fall back to a record value of the same name. A condition that cannot be evaluated (odd
input) counts as not holding. Nothing here imports Qt.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ehdesk.forms.conditions import Condition, Scope, chain
from ehdesk.forms.model import Field, Prompt, Repeat

_NO_OUTER: Mapping[str, Any] = {}


def holds(condition: Condition | None, scope: Scope) -> bool:
    """Whether ``condition`` holds; no condition always holds, one that raises does not."""
    if condition is None:
        return True
    try:
        return bool(condition(scope))
    except Exception:
        return False


@dataclass(frozen=True)
class Relevance:
    """The outcome for one group of fields.

    ``shown`` names the fields (prompts included) that are shown; ``scope`` is what conditions of
    this group see once hidden fields are taken out, and so what "required when" and rule conditions
    must be judged against (and what a repeating group's items see as their outer scope).
    """

    shown: frozenset[str]
    scope: Mapping[str, Any]

    def is_shown(self, field: Field) -> bool:
        return field.name in self.shown

    def is_required(self, field: Field) -> bool:
        """True when the field is shown and must be filled in now (its required marker shows)."""
        req = field.required
        return req is not None and self.is_shown(field) and holds(req.when, self.scope)


def relevance(
    fields: Iterable[Field], values: Mapping[str, Any], outer: Mapping[str, Any] = _NO_OUTER
) -> Relevance:
    """Decide which of ``fields`` are shown, given the group's ``values`` over the ``outer`` scope."""
    scope = chain(values, outer)
    shown: set[str] = set()
    for field in fields:
        if holds(field.show_when, scope):
            shown.add(field.name)
            continue
        scope.pop(field.name, None)
        if field.name in outer:  # an item's hidden field must not fall back to the record's value
            scope[field.name] = None
    return Relevance(frozenset(shown), scope)


def relevant_values(
    fields: Iterable[Field], values: Mapping[str, Any], outer: Mapping[str, Any] = _NO_OUTER
) -> dict[str, Any]:
    """``values`` without the answers to fields that are not shown (recursing into repeating groups).

    This is what the form view saves: an answer typed and then made irrelevant is not stored, while
    the draft (which keeps everything) can still bring it back if the user switches back.
    """
    group = tuple(fields)
    decided = relevance(group, values, outer)
    kept: dict[str, Any] = {}
    for field in group:
        if isinstance(field, Prompt) or field.name not in values or not decided.is_shown(field):
            continue
        value = values[field.name]
        if isinstance(field, Repeat) and isinstance(value, list):
            value = [
                relevant_values(field.fields, item, decided.scope)
                for item in value
                if isinstance(item, Mapping)
            ]
        kept[field.name] = value
    return kept
