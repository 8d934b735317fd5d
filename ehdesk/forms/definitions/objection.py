"""A family's objection to sharing with a particular agency (G8, G17, G18).

The register of objections feeds ``ValidationContext.objected_agencies`` so the share form can insist
on a "worried about the child" justification (G8). The record itself captures the family's reasons
and the barriers explored with them (G17) and the reassurance given (G18).
"""

from __future__ import annotations

from ehdesk.forms import validators as v
from ehdesk.forms.definitions.reassurance import REASSURANCE_FIELDS
from ehdesk.forms.model import (
    AgencyPicker,
    DateField,
    FormDefinition,
    LongText,
    PersonPicker,
    Required,
    Section,
)
from ehdesk.forms.obligation import Obligation

FORM = FormDefinition(
    id="objection",
    title="Objection to sharing with an agency",
    version=1,
    description="A family's wish that we do not share with a particular agency, and what was explored.",
    obligations=(Obligation.G8, Obligation.G17, Obligation.G18),
    sections=(
        Section(
            "The objection",
            (
                AgencyPicker(
                    name="agency",
                    label="Agency the family does not want us to share with",
                    obligations=(Obligation.G8, Obligation.G17),
                    required=Required(
                        id="G8.agency",
                        obligation=Obligation.G8,
                        message="Pick the agency the family objects to — guidance G8",
                        why="Future shares with this agency are checked against the objection.",
                    ),
                ),
                DateField(
                    name="recorded_on",
                    label="Date raised",
                    required=Required(
                        obligation=Obligation.DQ, message="Enter the date the family raised this"
                    ),
                    rules=(v.not_future_rule("DQ.recorded-not-future", "The date raised"),),
                ),
                PersonPicker(name="raised_by", label="Raised by"),
                LongText(
                    name="family_reasons",
                    label="The family's reasons",
                    obligations=(Obligation.G8, Obligation.G17),
                    required=Required(
                        id="G17.reasons",
                        obligation=Obligation.G17,
                        message="Write down why the family does not want us to share with this agency "
                        "— guidance G17",
                        why="Understanding the family's reasons is the first step in working with them.",
                    ),
                ),
                LongText(
                    name="barriers_explored",
                    label="Barriers explored with the family",
                    obligations=(Obligation.G17,),
                    required=Required(
                        id="G17.barriers",
                        obligation=Obligation.G17,
                        message="Record the barriers you explored with the family — guidance G17",
                        why="A worry about a particular agency is explored with the family, not just noted.",
                    ),
                ),
            ),
        ),
        Section(
            "Reassurance",
            (
                *REASSURANCE_FIELDS,
                LongText(name="family_response", label="How the family responded"),
            ),
        ),
    ),
)
