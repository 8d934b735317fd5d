"""The field-kind table: everything ehdesk knows about one type of field, in one entry.

Each kind of field (text, date, yes/no, postcode …) has a cleaner, the built-in type rule that guards
it, its length limit, its JSON Schema and the text a printed record shows for a value (the PDF hook).
They live together so that a new field type is one entry here (and one widget in the form view's
table, ``ehdesk.gui.formview.registry``), never a branch in four readers. The validator, the rule
table, the JSON Schema exporter and the PDF builders look a field up with :func:`kind_of`, which walks
the field's class hierarchy, so a subclass of ``Text`` behaves as text unless it has its own entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import Any

from ehdesk.forms import builtin, cleaning
from ehdesk.forms.builtin import BuiltinRule
from ehdesk.forms.dates import long_date
from ehdesk.forms.model import (
    NOT_STATED,
    NOT_STATED_LABEL,
    AgencyPicker,
    Checkbox,
    Choice,
    DateField,
    Field,
    LongText,
    MultiChoice,
    NhsNumber,
    PersonPicker,
    Postcode,
    Prompt,
    Repeat,
    Text,
    ValidationContext,
    YesNo,
)

Cleaner = Callable[[Field, Any, ValidationContext], cleaning.Cleaned]
People = Mapping[str, str]
Schema = dict[str, Any]

#: Characters no text of a record may hold: C0 and C1 controls other than tab, line feed and carriage
#: return (NUL, BEL, ESC …) and lone UTF-16 surrogates. They print as nothing, break searching, and
#: PostgreSQL refuses a NUL outright, so the validator refuses them beside the field instead.
_CONTROL_CLASS = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\ud800-\\udfff"
CONTROL_CHARACTERS = re.compile(f"[{_CONTROL_CLASS}]")
#: The same refusal as a JSON Schema ``pattern``.
NO_CONTROL_PATTERN = f"^[^{_CONTROL_CLASS}]*$"
#: A value the validator counts as "nothing entered" (``ehdesk.forms.conditions.is_blank``).
BLANK_SCHEMA: Schema = {
    "anyOf": [
        {"type": "null"},
        {"type": "string", "pattern": "^\\s*$"},
        {"type": "array", "maxItems": 0},
    ]
}
PICKER_LENGTH = 200


def has_control_characters(value: Any) -> bool:
    return isinstance(value, str) and CONTROL_CHARACTERS.search(value) is not None


@dataclass(frozen=True, kw_only=True)
class FieldKind:
    """One kind of field, as every reader of a definition needs it.

    ``free_text`` kinds hold typed text, so the validator refuses control characters in them.
    ``display`` is what a printed record (PDF) shows for a cleaned value; its third argument names the
    record's people by id, for a person picker's answer.
    """

    clean: Cleaner
    type_rule: BuiltinRule | None
    schema: Callable[[Field], Schema]
    display: Callable[[Field, Any, People], str]
    max_length: Callable[[Field], int | None] = lambda _f: None
    free_text: bool = False


# --- the pieces each kind is built from -----------------------------------------------------------


def _text_length(f: Field) -> int | None:
    return f.max_length if isinstance(f, Text | LongText) else PICKER_LENGTH


def _text_schema(f: Field) -> Schema:
    out: Schema = {"type": ["string", "null"], "pattern": NO_CONTROL_PATTERN}
    limit = _text_length(f)
    if limit is not None:
        out["maxLength"] = limit
    return out


def _as_text(_f: Field, value: Any, _people: People) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


def _person_text(_f: Field, value: Any, people: People) -> str:
    """A person picked from the record's people, by name (their id if the record no longer names them)."""
    return "" if value is None else people.get(str(value), str(value))


def _date_schema(_f: Field) -> Schema:
    return {
        "type": ["string", "null"],
        "anyOf": [{"type": "null"}, {"pattern": "^\\s*$"}, {"format": "date"}],
    }


def _date_text(_f: Field, value: Any, _people: People) -> str:
    return long_date(value)  # "12 March 2025": no day-or-month doubt for any reader


def _clean_yes_no(f: Field, value: Any, _ctx: ValidationContext) -> cleaning.Cleaned:
    return cleaning.clean_yes_no(value, not_stated=isinstance(f, YesNo) and f.not_stated)


def _yes_no_schema(f: Field) -> Schema:
    if isinstance(f, YesNo) and f.not_stated:
        return {"type": ["boolean", "string", "null"], "enum": [True, False, None, NOT_STATED]}
    return {"type": ["boolean", "null"]}


def _yes_no_text(_f: Field, value: Any, _people: People) -> str:
    if value is True or value is False:
        return "Yes" if value else "No"
    if value == NOT_STATED:
        return NOT_STATED_LABEL
    return "" if value is None else str(value)


def _choices(f: Field) -> tuple[str, ...]:
    return f.choices.values() if isinstance(f, Choice | MultiChoice) else ()


def _choice_text(f: Field, value: Any, people: People) -> str:
    if isinstance(f, Choice | MultiChoice) and isinstance(value, str):
        return f.choices.label_for(value)
    return _as_text(f, value, people)


def _clean_choice(f: Field, value: Any, _ctx: ValidationContext) -> cleaning.Cleaned:
    assert isinstance(f, Choice)
    return cleaning.clean_choice(f.choices, value)


def _clean_multi(f: Field, value: Any, _ctx: ValidationContext) -> cleaning.Cleaned:
    assert isinstance(f, MultiChoice)
    return cleaning.clean_multi_choice(f.choices, value)


def _multi_schema(f: Field) -> Schema:
    values = list(_choices(f))
    return {"type": ["array", "null"], "items": {"enum": values}, "maxItems": len(values)}


def _multi_text(f: Field, value: Any, people: People) -> str:
    """One bulleted line per choice made."""
    items = value if isinstance(value, list | tuple) else [] if value is None else [value]
    return "\n".join(f"• {_choice_text(f, item, people)}" for item in items)


def _repeat_schema(f: Field) -> Schema:
    from ehdesk.forms.schema import object_schema  # the schema module walks a group's fields

    assert isinstance(f, Repeat)
    out: Schema = {
        "type": "array" if f.min_items else ["array", "null"],
        "items": object_schema(f.fields),
        "maxItems": f.max_items,
    }
    if f.min_items:
        out["minItems"] = f.min_items
    return out


def _repeat_text(f: Field, value: Any, _people: People) -> str:
    count = len(value) if isinstance(value, list) else 0
    label = f.item_label if isinstance(f, Repeat) else "item"
    return f"{count} {label}{'' if count == 1 else 's'}"


def _on_value(clean: Callable[[Any], cleaning.Cleaned]) -> Cleaner:
    """A cleaner that needs only the value (not the field or the context)."""
    return lambda _f, value, _ctx: clean(value)


#: Typed text; the postcode, NHS number and person picker are text cleaned their own way.
TEXT = FieldKind(
    clean=_on_value(cleaning.clean_text),
    type_rule=builtin.TYPE_TEXT,
    schema=_text_schema,
    display=_as_text,
    max_length=_text_length,
    free_text=True,
)

KINDS: Mapping[type[Field], FieldKind] = MappingProxyType(
    {
        Text: TEXT,
        LongText: TEXT,
        AgencyPicker: TEXT,
        Postcode: replace(TEXT, clean=_on_value(cleaning.clean_postcode)),
        NhsNumber: replace(TEXT, clean=_on_value(cleaning.clean_nhs_number)),
        PersonPicker: replace(
            TEXT,
            clean=lambda _f, value, ctx: cleaning.clean_person(value, ctx),
            type_rule=builtin.TYPE_PERSON,
            display=_person_text,
        ),
        DateField: FieldKind(
            clean=lambda f, value, ctx: cleaning.clean_date(
                value, ctx, past=isinstance(f, DateField) and f.past
            ),
            type_rule=builtin.TYPE_DATE,
            schema=_date_schema,
            display=_date_text,
        ),
        YesNo: FieldKind(
            clean=_clean_yes_no,
            type_rule=builtin.TYPE_YESNO,
            schema=_yes_no_schema,
            display=_yes_no_text,
        ),
        Checkbox: FieldKind(
            clean=_on_value(cleaning.clean_checkbox),
            type_rule=builtin.TYPE_CHECKBOX,
            schema=lambda _f: {"type": ["boolean", "null"]},
            display=lambda _f, value, _people: "Yes, confirmed" if value is True else "Not confirmed",
        ),
        Choice: FieldKind(
            clean=_clean_choice,
            type_rule=builtin.TYPE_CHOICE,
            schema=lambda f: {"enum": [*_choices(f), None]},
            display=_choice_text,
        ),
        MultiChoice: FieldKind(
            clean=_clean_multi,
            type_rule=builtin.TYPE_MULTICHOICE,
            schema=_multi_schema,
            display=_multi_text,
        ),
        Repeat: FieldKind(
            clean=_on_value(cleaning.clean_repeat),
            type_rule=builtin.TYPE_REPEAT,
            schema=_repeat_schema,
            display=_repeat_text,
        ),
        Prompt: FieldKind(
            clean=lambda _f, _value, _ctx: (None, True),
            type_rule=None,
            schema=lambda _f: {},
            display=lambda _f, _value, _people: "",
        ),
    }
)


_KIND_OF_CLASS: dict[type[Field], FieldKind] = {}
""":func:`kind_of`'s answers by class: the table is fixed, and the validator asks several times for
every field of every record (issue 18)."""


def kind_of(f: Field) -> FieldKind:
    """The entry for ``f``'s class or its nearest ancestor in the table."""
    cls = type(f)
    found = _KIND_OF_CLASS.get(cls)
    if found is not None:
        return found
    for ancestor in cls.__mro__:
        found = KINDS.get(ancestor)
        if found is not None:
            _KIND_OF_CLASS[cls] = found
            return found
    raise LookupError(f"No field kind for {cls.__name__} (field {f.name!r}): add it to KINDS")


def clean_field(f: Field, value: Any, ctx: ValidationContext) -> cleaning.Cleaned:
    return kind_of(f).clean(f, value, ctx)


def display_value(f: Field, value: Any, people: People | None = None) -> str:
    """The text a printed record shows for a cleaned value (the PDF builders' hook); ``people`` names
    the record's people by id, for a person picker's answer."""
    return kind_of(f).display(f, value, people or {})
