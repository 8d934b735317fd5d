"""A family's objection to sharing with a particular agency (G8, G17, G18).

The register of objections feeds ``ValidationContext.objected_agencies`` so the share form can insist
on a "worried about the child" justification (G8). The record itself captures the family's reasons
and the barriers explored with them (G17) and the reassurance given (G18).
"""

from __future__ import annotations

from typing import Any

from ehdesk.forms import validators as v
from ehdesk.forms.conditions import Scope
from ehdesk.forms.model import (
    AgencyPicker,
    DateField,
    FormDefinition,
    LongText,
    PersonPicker,
    Prompt,
    Required,
    Rule,
    Section,
    Severity,
    ValidationContext,
    YesNo,
)


def _reassured(value: Any, _scope: Scope, _ctx: ValidationContext) -> bool:
    return value is not False


FORM = FormDefinition(
    id="objection",
    title="Objection to sharing with an agency",
    version=1,
    description="A family's wish that we do not share with a particular agency, and what was explored.",
    obligations=("G8", "G17", "G18"),
    sections=(
        Section(
            "The objection",
            (
                AgencyPicker(
                    name="agency",
                    label="Agency the family does not want us to share with",
                    obligations=("G8", "G17"),
                    required=Required(
                        id="G8.agency",
                        obligation="G8",
                        message="Pick the agency the family objects to — guidance G8",
                        why="Future shares with this agency are checked against the objection.",
                    ),
                ),
                DateField(
                    name="recorded_on",
                    label="Date raised",
                    required=Required(obligation="DQ", message="Enter the date the family raised this"),
                    rules=(v.not_future_rule("DQ.recorded-not-future", "The date raised"),),
                ),
                PersonPicker(name="raised_by", label="Raised by"),
                LongText(
                    name="family_reasons",
                    label="The family's reasons",
                    obligations=("G8", "G17"),
                    required=Required(
                        id="G17.reasons",
                        obligation="G17",
                        message="Write down why the family does not want us to share with this agency "
                        "— guidance G17",
                        why="Understanding the family's reasons is the first step in working with them.",
                    ),
                ),
                LongText(
                    name="barriers_explored",
                    label="Barriers explored with the family",
                    obligations=("G17",),
                    required=Required(
                        id="G17.barriers",
                        obligation="G17",
                        message="Record the barriers you explored with the family — guidance G17",
                        why="A worry about a particular agency is explored with the family, not just noted.",
                    ),
                ),
            ),
        ),
        Section(
            "Reassurance",
            (
                Prompt(
                    name="reassurance_text",
                    label="What to tell the family",
                    policy_key="reassurance",
                    obligations=("G18",),
                ),
                YesNo(
                    name="reassurance_given",
                    label="Was the family given this reassurance?",
                    obligations=("G18",),
                    required=Required(
                        id="G18.answer",
                        obligation="G18",
                        message="Say whether the family was reassured about how their information is "
                        "shared — guidance G18",
                        why="The record shows the family heard that only relevant, proportionate "
                        "information goes to agencies that need it.",
                    ),
                    rules=(
                        Rule(
                            id="G18.reassure",
                            obligation="G18",
                            severity=Severity.WARNING,
                            check=_reassured,
                            message="The family was not reassured: give them the reassurance when you "
                            "next speak, or confirm why not — guidance G18",
                            why="Families are reassured that only relevant, proportionate information "
                            "goes to agencies that need it.",
                        ),
                    ),
                ),
                LongText(name="family_response", label="How the family responded"),
            ),
        ),
    ),
)
