"""The vocabulary of form definitions: field types, rules and problems.

A form is typed, immutable data. Four readers walk it: the validator (``ehdesk.forms.validate``), the
storage mapping (``ehdesk.storage.mapping``), the Qt form view (``ehdesk.gui.formview``, which looks each
field's type up in a table of widget classes) and the PDF builders (``ehdesk.pdf``). None of them knows a
field by name; everything they need is declared here. Nothing in this module imports Qt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from ehdesk.forms.conditions import Condition, Scope
from ehdesk.forms.obligation import Obligation


class Severity(StrEnum):
    """An error blocks saving; a warning asks the user to confirm before saving."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class ValidationContext:
    """What a rule may know beyond the record itself.

    ``objected_agencies`` comes from the family's objection register (G8); ``today`` is injected so
    date rules are testable; ``people`` maps person keys to display names for the person picker;
    ``adults`` holds the keys of the family's parents and carers (``None`` when no family is known), for
    a question only an adult can answer for the family; ``messages`` holds the policy pack's own wording
    for rules it rewords (G25).
    """

    today: date = field(default_factory=date.today)
    objected_agencies: frozenset[str] = frozenset()
    people: Mapping[str, str] = field(default_factory=dict)
    adults: frozenset[str] | None = None
    agencies: tuple[str, ...] = ()
    messages: Mapping[str, str] = field(default_factory=dict)  # rule ID -> the authority's wording (G25)
    #: the data items the family's record actually holds (G7); ``None`` when not known (no family)
    data_items: frozenset[str] | None = None


# A check answers "does this value pass?"; it sees the field's cleaned value, the scope it lives in
# (its repeating-group item over the record) and the context. It never raises for bad input: the
# validator turns an exception into a problem, but a well-written check returns False instead.
Check = Callable[[Any, Scope, ValidationContext], bool]

#: The stored answer for a question the paper leaves blank and the guidance does not make the referrer's
#: duty (see ``YesNo.not_stated``): kept apart from "unanswered" so the record says the admin looked.
NOT_STATED = "not_stated"
NOT_STATED_LABEL = "Not stated on the referral"


def cite(value: object) -> Obligation:
    """``value`` as an :class:`Obligation`; a mistyped ID ("G26", "g2") raises ``ValueError`` naming it."""
    if isinstance(value, Obligation):
        return value
    try:
        return Obligation(str(value))
    except ValueError:
        known = ", ".join(o.value for o in Obligation)
        raise ValueError(f"{value!r} is not a guidance ID: use one of {known}") from None


def _cite_all(values: tuple[object, ...]) -> tuple[Obligation, ...]:
    return tuple(cite(v) for v in values)


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One guidance rule as data: its ID, the obligation it serves, when it applies and what to say.

    ``obligation`` is a guidance ID (``G1``..``G25``) or ``DQ`` for a data-quality rule that keeps the
    record accurate (a valid postcode, a real NHS number) without serving a single obligation.
    The message tells the user what to do, in ehdesk's own words.
    """

    id: str
    obligation: Obligation
    message: str
    check: Check
    when: Condition | None = None
    severity: Severity = Severity.ERROR
    why: str = ""
    field: str | None = None  # for form-level rules: the field the message is shown beside

    def __post_init__(self) -> None:
        object.__setattr__(self, "obligation", cite(self.obligation))


@dataclass(frozen=True, kw_only=True)
class Required:
    """A field must be filled in (always, or when ``when`` holds)."""

    obligation: Obligation
    message: str
    when: Condition | None = None
    id: str | None = None
    why: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "obligation", cite(self.obligation))


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class ChoiceList:
    """A reusable list of choices (XLSForm keeps these apart from the questions; so do we)."""

    name: str
    options: tuple[Option, ...]

    def values(self) -> tuple[str, ...]:
        return tuple(o.value for o in self.options)

    def label_for(self, value: str) -> str:
        for option in self.options:
            if option.value == value:
                return option.label
        return value


@dataclass(frozen=True, kw_only=True)
class Field:
    """What every field has. Subclasses add what their type needs."""

    name: str
    label: str
    help: str = ""
    placeholder: str = ""
    required: Required | None = None
    show_when: Condition | None = None
    rules: tuple[Rule, ...] = ()
    obligations: tuple[Obligation, ...] = ()  # guidance IDs this field serves (coverage and the PDF)

    def __post_init__(self) -> None:
        object.__setattr__(self, "obligations", _cite_all(self.obligations))

    @property
    def type_name(self) -> str:
        return type(self).__name__


@dataclass(frozen=True, kw_only=True)
class Text(Field):
    max_length: int = 200


@dataclass(frozen=True, kw_only=True)
class LongText(Field):
    max_length: int = 5000


@dataclass(frozen=True, kw_only=True)
class Postcode(Text):
    """A UK postcode, tidied when cleaned ("ls62ab" → "LS6 2AB") so storage, search and the duplicate
    check all see one spelling of it (``ehdesk.text.tidy_postcode``)."""

    max_length: int = 10


@dataclass(frozen=True, kw_only=True)
class NhsNumber(Text):
    """An NHS number, kept as its ten digits whatever separators were typed ("943-476-59-19" →
    "9434765919", ``ehdesk.text.nhs_digits``); the check digit is a declared rule."""

    max_length: int = 14


@dataclass(frozen=True, kw_only=True)
class DateField(Field):
    """A calendar date, typed as admins write it (2/8/25, 02.08.2025, 2 Aug 2025) and stored as ISO 8601.

    ``past`` marks a date that cannot be after today (a birth date, the day a referral arrived): a
    two-digit year is then read as the latest year that is not in the future ("2/8/40" is 1940).
    """

    past: bool = False


@dataclass(frozen=True, kw_only=True)
class Choice(Field):
    choices: ChoiceList


@dataclass(frozen=True, kw_only=True)
class MultiChoice(Field):
    choices: ChoiceList


@dataclass(frozen=True, kw_only=True)
class YesNo(Field):
    """Stored as True/False; ``None`` until answered.

    ``not_stated`` offers a third answer, :data:`NOT_STATED`, for a question the paper may leave blank
    because the guidance does not make it the referrer's duty: the admin records what the paper says
    instead of inventing a yes or no, and a required answer is satisfied by it.
    """

    not_stated: bool = False


@dataclass(frozen=True, kw_only=True)
class Checkbox(Field):
    """A statement the user affirms by ticking it (G15's tests); stored as True/False."""


@dataclass(frozen=True, kw_only=True)
class AgencyPicker(Field):
    """An agency from the authority's list (policy pack), or another typed by the user."""


@dataclass(frozen=True, kw_only=True)
class PersonPicker(Field):
    """A person of the family (a key from ``ValidationContext.people``).

    ``adults_only`` offers only the parents and carers (``ValidationContext.adults``): who declined a
    voluntary service is a grown-up's answer, not a child's. The picker leaves the children out; a rule
    on the field refuses one that arrives anyway (an import, an old draft), citing its obligation.
    """

    adults_only: bool = False


@dataclass(frozen=True, kw_only=True)
class Prompt(Field):
    """Text shown to the worker, not an input: a script or reminder from the policy pack.

    ``policy_key`` names the policy-pack entry whose text is shown; ``label`` is the heading.
    """

    policy_key: str = ""


@dataclass(frozen=True, kw_only=True)
class Repeat(Field):
    """A repeating group: children, carers, agencies involved. The value is a list of dicts."""

    fields: tuple[Field, ...]
    item_label: str = "item"
    min_items: int = 0
    max_items: int = 50  # every list is bounded: a record from elsewhere cannot hold a million children


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[Field, ...]
    help: str = ""


@dataclass(frozen=True, kw_only=True)
class FormDefinition:
    """One form, declared once."""

    id: str
    title: str
    version: int
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...] = ()  # form-level (cross-field) rules; each names the field it speaks to
    description: str = ""
    obligations: tuple[Obligation, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "obligations", _cite_all(self.obligations))

    def fields(self) -> Iterator[Field]:
        """Top-level fields in order (repeating groups appear once; walk ``Repeat.fields`` for items)."""
        for section in self.sections:
            yield from section.fields

    def field(self, name: str) -> Field:
        for f in self.fields():
            if f.name == name:
                return f
        raise KeyError(name)

    def input_fields(self) -> Iterator[Field]:
        """Fields that hold a value (prompts excluded)."""
        return (f for f in self.fields() if not isinstance(f, Prompt))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a record, as the user sees it beside a field."""

    path: str  # "children[0].birth_date" or "postcode"
    rule_id: str
    obligation: Obligation
    severity: Severity
    message: str
    why: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "obligation", cite(self.obligation))

    def line(self) -> str:
        return f"{self.path}: {self.rule_id} [{self.obligation}] {self.message}"

    @property
    def cited_message(self) -> str:
        """The message as a user reads it, citing its obligation exactly once.

        Guidance messages usually end "— guidance G2" already; data-quality checks (``DQ``) cite none,
        because "DQ" means nothing to the person typing.
        """
        if not self.obligation.is_guidance or self.obligation in self.message:
            return self.message
        return f"{self.message} — guidance {self.obligation}"


@dataclass
class ValidationResult:
    values: dict[str, Any]
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors
