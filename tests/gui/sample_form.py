"""A small test-only form that uses every field type, so the form view is tested apart from any real form."""

from __future__ import annotations

from typing import Any

from ehdesk.forms.choices import choice_list
from ehdesk.forms.conditions import IsNo, IsYes, Scope, is_blank
from ehdesk.forms.model import (
    AgencyPicker,
    Checkbox,
    Choice,
    DateField,
    FormDefinition,
    LongText,
    MultiChoice,
    PersonPicker,
    Problem,
    Prompt,
    Repeat,
    Required,
    Rule,
    Section,
    Severity,
    Text,
    ValidationContext,
    ValidationResult,
    YesNo,
)

COLOURS = choice_list("colours", ("red", "Red"), ("green", "Green"), ("blue", "Blue"))


def _filled(value: Any, _scope: Scope, _ctx: ValidationContext) -> bool:
    return not is_blank(value)


REASON_RULE = Rule(
    id="T2.reason",
    obligation="G2",
    when=IsNo("talked"),
    check=_filled,
    message="Say why you did not talk to them",
    why="The reason must be on the record.",
)

SAMPLE = FormDefinition(
    id="sample",
    title="Sample form",
    version=1,
    sections=(
        Section(
            "Basics",
            (
                Text(name="name", label="Name", required=Required(obligation="DQ", message="Enter a name")),
                DateField(name="seen_on", label="Seen on"),
                Choice(name="colour", label="Colour", choices=COLOURS),
                MultiChoice(name="likes", label="Likes", choices=COLOURS),
                Checkbox(name="agree", label="I agree"),
                AgencyPicker(name="agency", label="Agency"),
                PersonPicker(name="who", label="Who"),
                Prompt(name="note", label="Read this", policy_key="script"),
            ),
        ),
        Section(
            "Talking",
            (
                YesNo(name="talked", label="Talked to them?"),
                LongText(name="why_not", label="Why not?", show_when=IsNo("talked"), rules=(REASON_RULE,)),
                Repeat(
                    name="kids",
                    label="Children",
                    item_label="child",
                    min_items=1,
                    fields=(
                        Text(name="given_name", label="Given name"),
                        YesNo(name="unborn", label="Unborn?"),
                        DateField(name="due", label="Due", show_when=IsYes("unborn")),
                    ),
                ),
            ),
        ),
    ),
)


def sample_validator(values: dict[str, Any]) -> ValidationResult:
    """Enough of a validator to drive the view: the required name and the G2-style reason rule."""
    problems = []
    if is_blank(values.get("name")):
        problems.append(Problem("name", "DQ.name", "DQ", Severity.ERROR, "Enter a name"))
    if values.get("talked") is False and is_blank(values.get("why_not")):
        problems.append(
            Problem("why_not", "T2.reason", "G2", Severity.ERROR, REASON_RULE.message, REASON_RULE.why)
        )
    for index, kid in enumerate(values.get("kids") or []):
        if kid.get("unborn") is True and is_blank(kid.get("due")):
            problems.append(
                Problem(f"kids[{index}].due", "T.due", "DQ", Severity.WARNING, "Give the due date")
            )
    return ValidationResult(values, problems)
