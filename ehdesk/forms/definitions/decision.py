"""A manager's decision, signed and locked by the decision service (G19, G21–G24).

Every decision sets out what was decided, why and when (G19). When the subject is a family's decline
of Early Help, the manager also answers the case-progression questions: can the existing network meet
the needs (G21), who must be told of closure and when they were told (G22), does the decline raise
concerns for the children (G23), and is a threshold discussion needed, with whom and when (G24).
"""

from __future__ import annotations

from typing import Any

from ehdesk.forms import validators as v
from ehdesk.forms.choices import DECISION_SUBJECT
from ehdesk.forms.conditions import Equals, IsYes, Scope
from ehdesk.forms.model import (
    AgencyPicker,
    Choice,
    DateField,
    FormDefinition,
    LongText,
    Repeat,
    Required,
    Rule,
    Section,
    Severity,
    Text,
    ValidationContext,
    YesNo,
)
from ehdesk.forms.obligation import Obligation

DECLINE = Equals("subject", "decline")


def _threshold_considered(value: Any, _scope: Scope, _ctx: ValidationContext) -> bool:
    return value is not False


CLOSURE_CONTACT_FIELDS = (
    Text(
        name="who",
        label="Person or team",
        obligations=(Obligation.G22,),
        required=Required(
            id="G22.who",
            obligation=Obligation.G22,
            message="Enter who needs to be told of the closure — guidance G22",
            why="Everyone supporting the family should know Early Help has closed.",
        ),
    ),
    AgencyPicker(name="agency", label="Agency", obligations=(Obligation.G22,)),
    DateField(
        name="told_on",
        label="Date told",
        help="Leave blank while they are still to be told; mark them told once the closure letter is sent",
        obligations=(Obligation.G22,),
        # not required: a contact still to be told stays pending (never a made-up date) until marked told
        rules=(v.not_future_rule("DQ.told-not-future", "The date told"),),
    ),
)

FORM = FormDefinition(
    id="decision",
    title="Management decision",
    version=1,
    description="A manager's recorded decision, signed and locked once saved.",
    obligations=(Obligation.G19, Obligation.G21, Obligation.G22, Obligation.G23, Obligation.G24),
    sections=(
        Section(
            "Decision",
            (
                Choice(
                    name="subject",
                    label="What the decision is about",
                    choices=DECISION_SUBJECT,
                    obligations=(Obligation.G19,),
                    required=Required(
                        id="G19.subject",
                        obligation=Obligation.G19,
                        message="Say what the decision is about — guidance G19",
                        why="Management oversight on the casefile names what was decided.",
                    ),
                ),
                LongText(
                    name="decision",
                    label="Decision",
                    obligations=(Obligation.G19,),
                    required=Required(
                        id="G19.decision",
                        obligation=Obligation.G19,
                        message="Write the decision — guidance G19",
                        why="Management oversight on the casefile sets out the decision clearly.",
                    ),
                ),
                LongText(
                    name="rationale",
                    label="Rationale",
                    obligations=(Obligation.G19,),
                    required=Required(
                        id="G19.rationale",
                        obligation=Obligation.G19,
                        message="Explain the reasons for the decision — guidance G19",
                        why="The casefile shows how the decision was reached, not only what it was.",
                    ),
                ),
                DateField(
                    name="decided_on",
                    label="Date of decision",
                    obligations=(Obligation.G19,),
                    required=Required(
                        id="G19.date",
                        obligation=Obligation.G19,
                        message="Enter the date of the decision — guidance G19",
                        why="Oversight is dated so the casefile shows when direction was given.",
                    ),
                    rules=(v.not_future_rule("DQ.decided-not-future", "The decision date"),),
                ),
            ),
        ),
        Section(
            "After a family declines",
            (
                LongText(
                    name="existing_network",
                    label="How can the existing network meet the family's needs?",
                    show_when=DECLINE,
                    obligations=(Obligation.G21,),
                    required=Required(
                        id="G21.network",
                        obligation=Obligation.G21,
                        when=DECLINE,
                        message="Say how the family's needs can be met by the support already around "
                        "them — guidance G21",
                        why="Closing Early Help should not leave needs unmet.",
                    ),
                ),
                Repeat(
                    name="closure_contacts",
                    label="Who needs to be told of the closure",
                    item_label="contact",
                    fields=CLOSURE_CONTACT_FIELDS,
                    show_when=DECLINE,
                    obligations=(Obligation.G22,),
                    required=Required(
                        id="G22.contacts",
                        obligation=Obligation.G22,
                        when=DECLINE,
                        message="List who needs to be told that Early Help is closing — guidance G22",
                        why="Agencies and people supporting the family must know when Early Help closes.",
                    ),
                ),
                YesNo(
                    name="concerns_raised",
                    label="Does the decline raise concerns for the child(ren)?",
                    show_when=DECLINE,
                    obligations=(Obligation.G23,),
                    required=Required(
                        id="G23.answer",
                        obligation=Obligation.G23,
                        when=DECLINE,
                        message="Say whether the family's decline raises concerns for the children "
                        "— guidance G23",
                        why="A decline can itself be a sign that a child needs more help.",
                    ),
                ),
                LongText(
                    name="concerns_reasoning",
                    label="Reasoning",
                    show_when=DECLINE,
                    obligations=(Obligation.G23,),
                    required=Required(
                        id="G23.reasoning",
                        obligation=Obligation.G23,
                        when=DECLINE,
                        message="Explain why the decline does or does not raise concerns — guidance G23",
                        why="The casefile shows how the concern question was weighed.",
                    ),
                ),
                YesNo(
                    name="threshold_needed",
                    label="Is a threshold discussion needed?",
                    help="A discussion about stepping up to children's social care",
                    show_when=DECLINE,
                    obligations=(Obligation.G24,),
                    required=Required(
                        id="G24.answer",
                        obligation=Obligation.G24,
                        when=DECLINE,
                        message="Say whether a threshold discussion is needed — guidance G24",
                        why="Concerns after a decline may call for a step up to children's social care.",
                    ),
                    rules=(
                        Rule(
                            id="G24.after-concerns",
                            obligation=Obligation.G24,
                            severity=Severity.WARNING,
                            when=IsYes("concerns_raised"),
                            check=_threshold_considered,
                            message="You recorded concerns for the children but no threshold discussion: "
                            "confirm this is the decision — guidance G24",
                            why="Concerns raised by a decline usually lead to a threshold discussion.",
                        ),
                    ),
                ),
                DateField(
                    name="threshold_on",
                    label="When the threshold discussion took (or will take) place",
                    show_when=IsYes("threshold_needed"),
                    obligations=(Obligation.G24,),
                    required=Required(
                        id="G24.when",
                        obligation=Obligation.G24,
                        when=IsYes("threshold_needed"),
                        message="Enter when the threshold discussion happens — guidance G24",
                        why="A needed threshold discussion is recorded with its date.",
                    ),
                ),
                Text(
                    name="threshold_with",
                    label="With whom",
                    show_when=IsYes("threshold_needed"),
                    obligations=(Obligation.G24,),
                    required=Required(
                        id="G24.with",
                        obligation=Obligation.G24,
                        when=IsYes("threshold_needed"),
                        message="Enter who the threshold discussion is with — guidance G24",
                        why="A needed threshold discussion is recorded with the person or team.",
                    ),
                ),
            ),
        ),
    ),
)
