"""Turning what was typed (or arrived as JSON) into clean values, one function per field type.

Which cleaner a field gets is decided by the field-kind table (``ehdesk.forms.kinds``), not here.

Each cleaner returns ``(value, ok)``. When ``ok`` is false the value is exactly what came in, so the
record keeps what the user typed and the validator reports a type problem instead of losing it.
Cleaners never raise: any input, of any type, gets an answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from ehdesk.forms.dates import parse_date as parse_date  # the one date parser; re-exported for readers
from ehdesk.forms.model import NOT_STATED, ChoiceList, ValidationContext
from ehdesk.text import nhs_digits, tidy_postcode

Cleaned = tuple[Any, bool]

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


def clean_date(value: Any, ctx: ValidationContext, *, past: bool = False) -> Cleaned:
    """Any way an admin writes a date (``ehdesk.forms.dates``) becomes ISO 8601 text."""
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
        parsed = parse_date(stripped, ctx.today, past=past)
        return (parsed.isoformat(), True) if parsed else (value, False)
    return value, False


def clean_yes_no(value: Any, *, not_stated: bool = False) -> Cleaned:
    """True, False or ``None``; with ``not_stated``, also :data:`NOT_STATED` ("not stated" as typed)."""
    if value is None or isinstance(value, bool):
        return value, True
    if not_stated and isinstance(value, str) and "_".join(value.strip().lower().split()) == NOT_STATED:
        return NOT_STATED, True
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
    if len(items) > len(choices.options):  # a list is bounded: no more picks than there are options
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


def clean_postcode(value: Any) -> Cleaned:
    """Text tidied to the printed form of a postcode, so every reader sees one spelling of it."""
    cleaned, ok = clean_text(value)
    return (tidy_postcode(cleaned), True) if ok and isinstance(cleaned, str) else (cleaned, ok)


def clean_nhs_number(value: Any) -> Cleaned:
    """Text reduced to the NHS number's digits when it holds only digits and separators."""
    cleaned, ok = clean_text(value)
    return (nhs_digits(cleaned), True) if ok and isinstance(cleaned, str) else (cleaned, ok)


def clean_repeat(value: Any) -> Cleaned:
    """The list shape only; each item's fields are cleaned when the item is walked."""
    if value is None:
        return [], True
    if isinstance(value, list | tuple):
        return list(value), True
    return value, False


def is_mapping(value: Any) -> bool:
    return isinstance(value, Mapping)
