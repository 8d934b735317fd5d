"""The G18 reassurance, asked the same way wherever a family hears about sharing (shares, objections).

One definition of the prompt and its two rules, so the rule IDs ``G18.answer`` and ``G18.reassure``
always mean one thing with one message, whichever form they appear on.
"""

from __future__ import annotations

from typing import Any

from ehdesk.forms.conditions import Scope
from ehdesk.forms.model import Prompt, Required, Rule, Severity, ValidationContext, YesNo
from ehdesk.forms.obligation import Obligation

WHY = "Families are reassured that only relevant, proportionate information goes to agencies that need it."


def _reassured(value: Any, _scope: Scope, _ctx: ValidationContext) -> bool:
    return value is not False


REASSURANCE_FIELDS = (
    Prompt(
        name="reassurance_text",
        label="What to tell the family",
        policy_key="reassurance",
        obligations=(Obligation.G18,),
    ),
    YesNo(
        name="reassurance_given",
        label="Was the family given this reassurance?",
        obligations=(Obligation.G18,),
        required=Required(
            id="G18.answer",
            obligation=Obligation.G18,
            message="Say whether the family was reassured about how their information is shared "
            "— guidance G18",
            why=WHY + " The record shows it was said.",
        ),
        rules=(
            Rule(
                id="G18.reassure",
                obligation=Obligation.G18,
                severity=Severity.WARNING,
                check=_reassured,
                message="The family was not reassured: give them the reassurance when you next speak, "
                "or confirm why not — guidance G18",
                why=WHY,
            ),
        ),
    ),
)
