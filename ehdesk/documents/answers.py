"""A stored value as a person reads it: "Yes", "12 March 2025", a choice's label, a person's name.

The builder knows no field by name; it asks here how a value of a field's type is written out.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ehdesk.forms.model import Checkbox, Choice, DateField, Field, MultiChoice, PersonPicker, YesNo


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple | dict) and not value)


def long_date(value: Any) -> str:
    """ISO text or a date as "12 March 2025"; anything else as typed."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def answer_text(field: Field, value: Any, people: Mapping[str, str]) -> str:
    """The printed answer for ``value`` of ``field`` (never empty for a non-blank value)."""
    if isinstance(field, YesNo):
        return "Yes" if value is True else "No" if value is False else str(value)
    if isinstance(field, Checkbox):
        return "Yes, confirmed" if value is True else "Not confirmed"
    if isinstance(field, Choice):
        return field.choices.label_for(str(value))
    if isinstance(field, MultiChoice):
        items = value if isinstance(value, list | tuple) else [value]
        return "\n".join(f"• {field.choices.label_for(str(item))}" for item in items)
    if isinstance(field, DateField):
        return long_date(value)
    if isinstance(field, PersonPicker):
        return people.get(str(value), str(value))
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)
