"""Turning what was typed (or arrived as JSON) into clean values, one function per field type.

Each cleaner returns ``(value, ok)``. When ``ok`` is false the value is exactly what came in, so the
record keeps what the user typed and the validator reports a type problem instead of losing it.
Cleaners never raise: any input, of any type, gets an answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from ehdesk.forms.model import (
    Checkbox,
    Choice,
    ChoiceList,
    DateField,
    Field,
    MultiChoice,
    PersonPicker,
    Prompt,
    Repeat,
    ValidationContext,
    YesNo,
)

Cleaned = tuple[Any, bool]

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})


def clean_text(value: Any) -> Cleaned:
    """Trim the ends (never the middle: names like "Zoë Ó Briain" pass through untouched)."""
    if value is None:
        return None, True
    if isinstance(value, str):
        stripped = value.strip()
        return (stripped or None), True
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value), True
    return value, False


def parse_date(text: str) -> date | None:
    """ISO ``YYYY-MM-DD`` or UK ``DD/MM/YYYY`` (``.`` and ``-`` separators also accepted)."""
    iso = _ISO.match(text)
    parts: tuple[int, int, int] | None = None
    if iso:
        parts = (int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    else:
        uk = _UK.match(text)
        if uk:
            parts = (int(uk.group(3)), int(uk.group(2)), int(uk.group(1)))
    if parts is None:
        return None
    try:
        return date(*parts)
    except ValueError:
        return None


def clean_date(value: Any) -> Cleaned:
    if value is None:
        return None, True
    if isinstance(value, datetime):
        return value.date().isoformat(), True
    if isinstance(value, date):
        return value.isoformat(), True
    if isinstance(value, str):
        stripped = value.strip()
        if not stripped:
            return None, True
        parsed = parse_date(stripped)
        return (parsed.isoformat(), True) if parsed else (value, False)
    return value, False


def clean_yes_no(value: Any) -> Cleaned:
    if value is None or isinstance(value, bool):
        return value, True
    if isinstance(value, int) and value in (0, 1):
        return bool(value), True
    if isinstance(value, str):
        word = value.strip().lower()
        if not word:
            return None, True
        if word in _YES:
            return True, True
        if word in _NO:
            return False, True
    return value, False


def clean_checkbox(value: Any) -> Cleaned:
    """A box is ticked or not: an untouched box is ``False``, not "unanswered"."""
    cleaned, ok = clean_yes_no(value)
    if ok and cleaned is None:
        return False, True
    return cleaned, ok


def _match_choice(choices: ChoiceList, value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text in choices.values():
        return text
    folded = text.casefold()
    for option in choices.options:
        if folded in (option.value.casefold(), option.label.casefold()):
            return option.value
    return None


def clean_choice(choices: ChoiceList, value: Any) -> Cleaned:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, True
    matched = _match_choice(choices, value)
    return (matched, True) if matched is not None else (value, False)


def clean_multi_choice(choices: ChoiceList, value: Any) -> Cleaned:
    if value is None:
        return [], True
    items: list[Any]
    if isinstance(value, str):
        items = [value] if value.strip() else []
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        return value, False
    picked: list[str] = []
    for item in items:
        matched = _match_choice(choices, item)
        if matched is None:
            return value, False
        if matched not in picked:
            picked.append(matched)
    return picked, True


def clean_person(value: Any, ctx: ValidationContext) -> Cleaned:
    cleaned, ok = clean_text(value)
    if ok and cleaned is not None and ctx.people and cleaned not in ctx.people:
        return value, False
    return cleaned, ok


def clean_repeat(value: Any) -> Cleaned:
    """The list shape only; each item's fields are cleaned when the item is walked."""
    if value is None:
        return [], True
    if isinstance(value, list | tuple):
        return list(value), True
    return value, False


def clean_field(f: Field, value: Any, ctx: ValidationContext) -> Cleaned:
    """Dispatch on the field's type (order matters: ``Checkbox`` before ``YesNo``-like handling)."""
    if isinstance(f, Prompt):
        return None, True
    if isinstance(f, Repeat):
        return clean_repeat(value)
    if isinstance(f, DateField):
        return clean_date(value)
    if isinstance(f, Checkbox):
        return clean_checkbox(value)
    if isinstance(f, YesNo):
        return clean_yes_no(value)
    if isinstance(f, MultiChoice):
        return clean_multi_choice(f.choices, value)
    if isinstance(f, Choice):
        return clean_choice(f.choices, value)
    if isinstance(f, PersonPicker):
        return clean_person(value, ctx)
    return clean_text(value)


def is_mapping(value: Any) -> bool:
    return isinstance(value, Mapping)
