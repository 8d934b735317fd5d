"""JSON Schema (draft 2020-12) from a form definition, for records that arrive from other systems.

The schema describes the shape (types, enums, titles, unconditional required fields, arrays of objects
for repeating groups). Conditional rules and guidance checks are the validator's job and are not
repeated here; ``ehdesk validate`` applies them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ehdesk.forms.model import (
    Checkbox,
    Choice,
    DateField,
    Field,
    FormDefinition,
    LongText,
    MultiChoice,
    Prompt,
    Repeat,
    Text,
    YesNo,
)

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _describe(f: Field) -> dict[str, Any]:
    out: dict[str, Any] = {"title": f.label}
    notes = [f.help] if f.help else []
    if f.show_when is not None:
        notes.append(f"Only when {f.show_when.describe()}.")
    if f.required is not None and f.required.when is not None:
        notes.append(f"Required when {f.required.when.describe()}.")
    if f.obligations:
        notes.append(f"Guidance: {', '.join(f.obligations)}.")
    if notes:
        out["description"] = " ".join(notes)
    return out


def field_schema(f: Field) -> dict[str, Any]:
    out = _describe(f)
    if isinstance(f, Repeat):
        out["type"] = "array"
        out["items"] = object_schema(f.fields)
        if f.min_items:
            out["minItems"] = f.min_items
        if f.max_items is not None:
            out["maxItems"] = f.max_items
    elif isinstance(f, DateField):
        out["type"] = ["string", "null"]
        out["format"] = "date"
    elif isinstance(f, YesNo | Checkbox):
        out["type"] = ["boolean", "null"]
    elif isinstance(f, MultiChoice):
        out["type"] = "array"
        out["items"] = {"enum": list(f.choices.values())}
        out["uniqueItems"] = True
    elif isinstance(f, Choice):
        out["enum"] = [*f.choices.values(), None]
    else:
        out["type"] = ["string", "null"]
        if isinstance(f, Text | LongText):
            out["maxLength"] = f.max_length
    return out


def object_schema(fields: Iterable[Field]) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    required: list[str] = []
    for f in fields:
        if isinstance(f, Prompt):
            continue
        properties[f.name] = field_schema(f)
        if f.required is not None and f.required.when is None and f.show_when is None:
            required.append(f.name)
    out: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        out["required"] = required
    return out


def json_schema(form: FormDefinition) -> dict[str, Any]:
    return {
        "$schema": DIALECT,
        "$id": f"urn:ehdesk:form:{form.id}:v{form.version}",
        "title": form.title,
        "description": form.description,
        **object_schema(form.fields()),
    }
