"""Which fields are relevant ("show when") for a set of values, without Qt.

The view hides what is not relevant as the user types; on save only relevant values are sent, so an
answer typed and then made irrelevant (a reason for "no" after switching to "yes") is not stored.
Drafts keep everything, so switching back restores what was typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ehdesk.forms.conditions import Scope, chain
from ehdesk.forms.model import Field, Prompt, Repeat


def is_relevant(field: Field, scope: Scope) -> bool:
    return field.show_when is None or bool(field.show_when(scope))


def is_required_now(field: Field, scope: Scope) -> bool:
    """True when the field's required marker should show: always-required, or its condition holds."""
    if field.required is None:
        return False
    return field.required.when is None or bool(field.required.when(scope))


def relevant_values(fields: Iterable[Field], values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` without the answers to fields that are not relevant (recursing into repeats)."""
    return _prune(tuple(fields), values, values)


def _prune(fields: tuple[Field, ...], values: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any]:
    scope = chain(values, root) if values is not root else dict(root)
    kept: dict[str, Any] = {}
    for field in fields:
        if isinstance(field, Prompt) or field.name not in values or not is_relevant(field, scope):
            continue
        value = values[field.name]
        if isinstance(field, Repeat) and isinstance(value, list):
            value = [_prune(field.fields, item, root) for item in value if isinstance(item, Mapping)]
        kept[field.name] = value
    return kept
