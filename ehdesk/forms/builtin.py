"""The validator's own rules (required, type, length, repeat size), registered like any other rule.

Declared rules live on the fields of a definition; these are the ones the validator applies to every
field of a given type. Registering them here gives each an ID and a message, so ``ehdesk rules`` lists
them and every problem the validator reports can be traced to a row of the rule table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ehdesk.forms.model import Field, Required
from ehdesk.forms.obligation import Obligation
from ehdesk.forms.validators import max_length_message


@dataclass(frozen=True)
class BuiltinRule:
    id: str
    obligation: Obligation
    message: str
    why: str


_INDEX = re.compile(r"\[\d*\]")


def _b(rule_id: str, message: str, why: str) -> BuiltinRule:
    return BuiltinRule(rule_id, Obligation.DQ, message, why)


# The template of every "fill this in" rule. No problem carries its ID: each required field gets its
# own (``required_id``), because each says what to fill in its own words.
REQUIRED = _b("DQ.required", "Fill this in", "The record is incomplete without it.")
TYPE_TEXT = _b("DQ.type-text", "Enter text here", "This field holds words or numbers typed as text.")
TYPE_DATE = _b(
    "DQ.type-date",
    "Enter a real date as DD/MM/YYYY (for example 31/01/2025)",
    "Dates drive ages, timescales and reports, so they must be real calendar dates.",
)
TYPE_YESNO = _b("DQ.type-yesno", "Answer yes or no", "The answer is recorded as yes or no.")
TYPE_CHECKBOX = _b("DQ.type-checkbox", "Tick the box or leave it clear", "The box is ticked or it is not.")
TYPE_CHOICE = _b(
    "DQ.type-choice", "Pick one of the listed options", "Only the listed options can be recorded."
)
TYPE_MULTICHOICE = _b(
    "DQ.type-multichoice",
    "Pick only from the listed options",
    "Only the listed options can be recorded.",
)
TYPE_PERSON = _b(
    "DQ.type-person",
    "Pick a person who belongs to this family",
    "The record must point at someone on the family's casefile.",
)
TYPE_REPEAT = _b(
    "DQ.type-repeat",
    "Enter each entry of this list with its own fields",
    "A list such as the children holds one set of answers per person or agency.",
)
TYPE_RECORD = _b(
    "DQ.type-record",
    "Provide the record as a set of named fields",
    "A record is a set of named answers; anything else cannot be read.",
)
MAX_LENGTH = _b("DQ.max-length", "Shorten this text", "Very long entries do not fit the record or the PDF.")
MIN_ITEMS = _b("DQ.min-items", "Add at least one entry", "The form needs at least this many entries.")
MAX_ITEMS = _b("DQ.max-items", "Remove entries beyond the limit", "The form holds at most this many entries.")
UNKNOWN_FIELD = _b(
    "DQ.unknown-field",
    "This form has no such field: rename it to one of the form's fields or remove it",
    "A value under a name the form does not know would be dropped without anyone noticing.",
)
CONTROL_CHARACTERS = _b(
    "DQ.control-characters",
    "Remove the hidden control characters from this text (they often come from copying and pasting); "
    "retype the text if you cannot see them",
    "Invisible characters cannot be printed or searched, and some databases refuse them.",
)
CHECK_FAILED = _b(
    "DQ.check-failed",
    "This value could not be checked: correct it and try again",
    "A rule could not read the value; it is kept as typed until it is corrected.",
)
INTERNAL = _b(
    "DQ.internal",
    "The record could not be checked: report this to the system administrator",
    "Something unexpected happened while checking; nothing typed has been lost.",
)

BUILTINS: dict[str, BuiltinRule] = {
    b.id: b
    for b in (
        REQUIRED,
        TYPE_TEXT,
        TYPE_DATE,
        TYPE_YESNO,
        TYPE_CHECKBOX,
        TYPE_CHOICE,
        TYPE_MULTICHOICE,
        TYPE_PERSON,
        TYPE_REPEAT,
        TYPE_RECORD,
        MAX_LENGTH,
        MIN_ITEMS,
        MAX_ITEMS,
        UNKNOWN_FIELD,
        CONTROL_CHARACTERS,
        CHECK_FAILED,
        INTERNAL,
    )
}

#: Rules the validator applies to the whole record or only when a declared check misbehaves; they are
#: not attached to a field type, so the rule table lists them once, under form "*".
RECORD_RULES: tuple[BuiltinRule, ...] = (
    TYPE_RECORD,
    UNKNOWN_FIELD,
    CONTROL_CHARACTERS,
    CHECK_FAILED,
    INTERNAL,
)


def type_rule_for(f: Field) -> BuiltinRule | None:
    """The type rule that guards a field's values (its kind's, ``ehdesk.forms.kinds``); ``None`` for
    prompts, which hold no value."""
    from ehdesk.forms.kinds import kind_of  # the kind table reads this module's rules

    return kind_of(f).type_rule


def field_key(path: str) -> str:
    """A field's path without item indexes: ``children[1].given_name`` and ``children[].given_name``
    both become ``children.given_name``, so the validator and the rule table name a field alike."""
    return _INDEX.sub("", path)


def required_id(req: Required, form_id: str, path: str) -> str:
    """A required rule's ID: its own, or one made from its obligation, form and field.

    Each field's "fill this in" message is its own ("Enter the child's given name"), and a policy
    pack rewords messages by rule ID (G25). A shared ``DQ.required`` would let one rewording land on
    every required field, so an ID is made per field: ``DQ.required.referral.children.given_name``.
    """
    if req.id:
        return req.id
    return f"{req.obligation}.required.{form_id}.{field_key(path)}"


def max_length_rule(limit: int) -> BuiltinRule:
    """The length rule for one limit: ``DQ.max-length.200``.

    Its message names the limit, so each limit has its own ID (one rewording cannot say "200
    characters" beside a 5000-character field); fields sharing a limit share the message and the ID.
    """
    return BuiltinRule(
        f"{MAX_LENGTH.id}.{limit}", MAX_LENGTH.obligation, max_length_message(limit), MAX_LENGTH.why
    )


def max_items_rule(limit: int) -> BuiltinRule:
    """The size rule for one list limit: ``DQ.max-items.50`` (one ID per limit, as for lengths)."""
    return BuiltinRule(
        f"{MAX_ITEMS.id}.{limit}", MAX_ITEMS.obligation, f"Keep to {limit} entries or fewer", MAX_ITEMS.why
    )


def max_length_of(f: Field) -> int | None:
    """The longest text a field holds (its kind's, ``ehdesk.forms.kinds``); ``None`` when not text."""
    from ehdesk.forms.kinds import kind_of  # the kind table reads this module's rules

    return kind_of(f).max_length(f)
