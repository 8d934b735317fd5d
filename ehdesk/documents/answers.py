"""A stored value as a person reads it: "Yes", "12 March 2025", a choice's label, a person's name.

The builders know no field by name and no field type either: each field's kind says how its value is
written out (``ehdesk.forms.kinds``, the field-kind table's display hook), so a new kind of field
prints without a branch here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ehdesk.forms.dates import long_date
from ehdesk.forms.kinds import display_value
from ehdesk.forms.model import Field

__all__ = ["answer_text", "is_blank", "long_date"]


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple | dict) and not value)


def answer_text(field: Field, value: Any, people: Mapping[str, str]) -> str:
    """The printed answer for ``value`` of ``field`` (never empty for a non-blank value)."""
    return display_value(field, value, people) or str(value)
