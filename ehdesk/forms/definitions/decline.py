"""A family declining Early Help (G20).

Early Help is voluntary. When a family says no, the worker takes it to their line manager promptly for
direction; the manager's decision (``decision`` form, G21–G24) follows and stays pending until signed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ehdesk.forms import validators as v
from ehdesk.forms.conditions import Scope
from ehdesk.forms.model import (
    DateField,
    FormDefinition,
    LongText,
    PersonPicker,
    Required,
    Rule,
    Section,
    Severity,
    Text,
    ValidationContext,
)
from ehdesk.forms.obligation import Obligation

#: How soon "at the earliest opportunity" is expected to be, before we ask the worker to confirm.
PROMPT_DISCUSSION_WITHIN = timedelta(days=7)


def _adult(value: Any, _scope: Scope, ctx: ValidationContext) -> bool:
    """The person who declined is one of the family's parents or carers (passes when the family's
    people are not known, as for a record checked on its own with ``ehdesk validate``)."""
    return ctx.adults is None or value in ctx.adults


def _prompt_discussion(value: Any, scope: Scope, _ctx: ValidationContext) -> bool:
    discussed, declined = v.as_date(value), v.as_date(scope.get("declined_on"))
    return discussed is None or declined is None or discussed - declined <= PROMPT_DISCUSSION_WITHIN


FORM = FormDefinition(
    id="decline",
    title="Family declined Early Help",
    version=1,
    description="A family's decision not to work with Early Help, and the discussion with a manager.",
    obligations=(Obligation.G20,),
    sections=(
        Section(
            "The decline",
            (
                DateField(
                    name="declined_on",
                    label="Date the family declined",
                    required=Required(obligation=Obligation.DQ, message="Enter the date the family declined"),
                    rules=(v.not_future_rule("DQ.declined-not-future", "The date declined"),),
                ),
                PersonPicker(
                    name="declined_by",
                    label="Who declined",
                    help="The parent or carer who said no; the children are not listed.",
                    adults_only=True,
                    obligations=(Obligation.G20,),
                    rules=(
                        Rule(
                            id="G20.declined-by-adult",
                            obligation=Obligation.G20,
                            check=_adult,
                            message="Pick the parent or carer who declined: a child cannot decline "
                            "Early Help for the family (if a child said no, write it in the family's "
                            "reasons) — guidance G20",
                            why="Early Help is voluntary for the family, so declining it is the decision "
                            "of a parent or carer; the manager's direction depends on who declined.",
                        ),
                    ),
                ),
                LongText(
                    name="reasons",
                    label="The family's reasons",
                    obligations=(Obligation.G20,),
                    required=Required(
                        id="G20.reasons",
                        obligation=Obligation.G20,
                        message="Record the reasons the family gave for declining — guidance G20",
                        why="The manager needs the family's reasons to give direction on the case.",
                    ),
                ),
            ),
        ),
        Section(
            "Discussion with the line manager",
            (
                Text(
                    name="line_manager",
                    label="Line manager",
                    obligations=(Obligation.G20,),
                    required=Required(
                        id="G20.manager",
                        obligation=Obligation.G20,
                        message="Enter the line manager you discussed the decline with — guidance G20",
                        why="A decline is discussed with the line manager for direction on the case.",
                    ),
                ),
                DateField(
                    name="discussed_on",
                    label="Date discussed with the manager",
                    obligations=(Obligation.G20,),
                    required=Required(
                        id="G20.discussed-on",
                        obligation=Obligation.G20,
                        message="Enter the date you discussed the decline with your line manager "
                        "— guidance G20",
                        why="The discussion should happen at the earliest opportunity; the date shows it.",
                    ),
                    rules=(
                        v.not_future_rule("DQ.discussed-not-future", "The date discussed"),
                        v.not_before_rule(
                            "DQ.discussed-after-decline",
                            "declined_on",
                            "The discussion date is before the family declined: check both dates",
                            why="A decline cannot be discussed before it happened.",
                        ),
                        Rule(
                            id="G20.earliest",
                            obligation=Obligation.G20,
                            severity=Severity.WARNING,
                            check=_prompt_discussion,
                            message="The decline was discussed more than a week after it happened: "
                            "confirm the dates — guidance G20 asks for the earliest opportunity",
                            why="A decline is taken to the line manager at the earliest opportunity.",
                        ),
                    ),
                ),
                LongText(name="direction", label="Manager's direction (if already given)"),
            ),
        ),
    ),
)
