"""JSON Schema (draft 2020-12) from a form definition, for records that arrive from other systems.

The schema says what the validator enforces about a record's shape, so another system can check a
record before sending it and get the same verdict as ``ehdesk validate``: the type of each field (from
the field-kind table, ``ehdesk.forms.kinds``), the text limits and the refusal of control characters,
the fields that must be filled in (a blank answer counts as missing, as in the validator), the size of
every list, no keys the form does not have, and the conditional parts as ``if``/``then``: a field that
is only shown when another answer holds is only checked then, and "required when" is required then.
Guidance checks that need more than the record's shape (a postcode's format, a check digit, the
family's objection register) are the validator's alone; the descriptions name them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ehdesk.forms.kinds import BLANK_SCHEMA, kind_of
from ehdesk.forms.model import Field, FormDefinition, Prompt, Repeat

DIALECT = "https://json-schema.org/draft/2020-12/schema"

Schema = dict[str, Any]
_ALWAYS: Schema = {}


def _describe(f: Field) -> Schema:
    out: Schema = {"title": f.label}
    notes = [f.help] if f.help else []
    if f.show_when is not None:
        notes.append(f"Only when {f.show_when.describe()}.")
    if f.required is not None and f.required.when is not None:
        notes.append(f"Required when {f.required.when.describe()}.")
    if f.rules:
        notes.append(f"Also checked by ehdesk: {', '.join(rule.id for rule in f.rules)}.")
    if f.obligations:
        notes.append(f"Guidance: {', '.join(f.obligations)}.")
    if notes:
        out["description"] = " ".join(notes)
    return out


def field_schema(f: Field) -> Schema:
    """A field's value as JSON Schema: its kind's type, with its title and notes."""
    return {**_describe(f), **kind_of(f).schema(f)}


class _Group:
    """One object of the schema (the record, or an item of a repeating group) and its conditions."""

    def __init__(self, fields: Iterable[Field]) -> None:
        self.fields = [f for f in fields if not isinstance(f, Prompt)]
        self.by_name = {f.name: f for f in self.fields}

    def visible(self, name: str) -> Schema | None:
        """ "``name`` is shown" as a schema; ``{}`` when it always is, ``None`` when it cannot be said."""
        f = self.by_name[name]
        if f.show_when is None:
            return _ALWAYS
        return f.show_when.schema(self.leaf)

    def leaf(self, name: str, value: Schema) -> Schema | None:
        """ "``name`` is shown and its value matches ``value``": a hidden answer leaves the scope."""
        if name not in self.by_name:
            return None  # a condition on the record seen from inside an item: the validator's alone
        shown = self.visible(name)
        if shown is None:
            return None
        node: Schema = {"properties": {name: value}, "required": [name]}
        return node if shown is _ALWAYS else {"allOf": [shown, node]}

    def schema(self) -> Schema:
        properties: Schema = {}
        required: list[str] = []
        conditional: list[Schema] = []
        for f in self.fields:
            typed = field_schema(f)
            shown = self.visible(f.name)
            if shown is _ALWAYS:
                properties[f.name] = typed
                if _required_always(f):
                    properties[f.name] = {**typed, "not": BLANK_SCHEMA}
                    required.append(f.name)
            else:
                properties[f.name] = _describe(f)  # anything may sit in a hidden field: it is dropped
                if shown is not None:
                    conditional.append({"if": shown, "then": {"properties": {f.name: typed}}})
            when = self._required_when(f, shown)
            if when is not None:
                conditional.append(
                    {
                        "if": when,
                        "then": {"required": [f.name], "properties": {f.name: {"not": BLANK_SCHEMA}}},
                    }
                )
        out: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
        if required:
            out["required"] = required
        if conditional:
            out["allOf"] = conditional
        return out

    def _required_when(self, f: Field, shown: Schema | None) -> Schema | None:
        """When ``f`` must be filled in, unless that is always (then it is in ``required``)."""
        if not _must_fill(f) or (shown is _ALWAYS and _required_always(f)) or shown is None:
            return None
        parts = [] if shown is _ALWAYS else [shown]
        req_when = f.required.when if f.required is not None else None
        if req_when is not None:
            condition = req_when.schema(self.leaf)
            if condition is None:
                return None
            parts.append(condition)
        return parts[0] if len(parts) == 1 else {"allOf": parts}


def _must_fill(f: Field) -> bool:
    """A required field, or a list that needs at least one entry (an absent list has none)."""
    return f.required is not None or (isinstance(f, Repeat) and f.min_items > 0)


def _required_always(f: Field) -> bool:
    if isinstance(f, Repeat) and f.min_items > 0 and f.required is None:
        return True
    return f.required is not None and f.required.when is None


def object_schema(fields: Iterable[Field]) -> Schema:
    return _Group(fields).schema()


def json_schema(form: FormDefinition) -> Schema:
    return {
        "$schema": DIALECT,
        "$id": f"urn:ehdesk:form:{form.id}:v{form.version}",
        "title": form.title,
        "description": form.description,
        **object_schema(form.fields()),
    }
