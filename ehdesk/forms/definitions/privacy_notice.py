"""Sharing the Early Help privacy notice with a family (G3–G6).

Recording this event is what makes the pack service create the "privacy notice shared" casenote (G4).
The script shown depends on whether the family is new or already allocated (G5, G6); the record keeps
``family_type`` so the pack can state which script was used.
"""

from __future__ import annotations

from ehdesk.forms import validators as v
from ehdesk.forms.choices import FAMILY_TYPE, PN_METHOD
from ehdesk.forms.conditions import Equals
from ehdesk.forms.model import (
    Choice,
    DateField,
    FormDefinition,
    PersonPicker,
    Prompt,
    Required,
    Section,
    Text,
)
from ehdesk.forms.obligation import Obligation

FORM = FormDefinition(
    id="privacy_notice",
    title="Privacy notice shared",
    version=1,
    description="Evidence that the family was given the Early Help privacy notice.",
    obligations=(Obligation.G3, Obligation.G4, Obligation.G5, Obligation.G6),
    sections=(
        Section(
            "The conversation",
            (
                Choice(
                    name="family_type",
                    label="Is this a new or an existing family?",
                    choices=FAMILY_TYPE,
                    obligations=(Obligation.G5, Obligation.G6),
                    required=Required(
                        id="G5.family-type",
                        obligation=Obligation.G5,
                        message="Say whether the family is new or existing, so the right conversation "
                        "script is used — guidance G5 and G6",
                        why="New and existing families hear a different explanation of how we share.",
                    ),
                ),
                Prompt(
                    name="script_new",
                    label="What to say to a new family",
                    policy_key="script_new_family",
                    show_when=Equals("family_type", "new"),
                    obligations=(Obligation.G5,),
                ),
                Prompt(
                    name="script_existing",
                    label="What to say to an existing family",
                    policy_key="script_existing_family",
                    show_when=Equals("family_type", "existing"),
                    obligations=(Obligation.G6,),
                ),
            ),
        ),
        Section(
            "How the notice was given",
            (
                Choice(
                    name="method",
                    label="How the privacy notice was given",
                    choices=PN_METHOD,
                    obligations=(Obligation.G3, Obligation.G4),
                    required=Required(
                        id="G3.method",
                        obligation=Obligation.G3,
                        message="Say how the privacy notice was given: printed, saved or sent as a link "
                        "— guidance G3",
                        why="Every allocated family gets the privacy notice as a copy or a link.",
                    ),
                ),
                Text(
                    name="sent_to",
                    label="Where the link was sent",
                    help="E-mail address or mobile number",
                    show_when=Equals("method", "link"),
                    required=Required(
                        obligation=Obligation.DQ,
                        message="Enter where the link was sent",
                        when=Equals("method", "link"),
                    ),
                ),
                PersonPicker(name="given_to", label="Given to"),
                DateField(
                    name="given_on",
                    label="Date given",
                    obligations=(Obligation.G4,),
                    required=Required(
                        id="G4.date",
                        obligation=Obligation.G4,
                        message="Enter the date the privacy notice was given — guidance G4",
                        why="The casenote that evidences the notice records when it was shared.",
                    ),
                    rules=(v.not_future_rule("DQ.given-not-future", "The date given"),),
                ),
                Text(
                    name="worker",
                    label="Worker who gave it",
                    obligations=(Obligation.G4,),
                    required=Required(
                        id="G4.worker",
                        obligation=Obligation.G4,
                        message="Enter the worker who gave the privacy notice — guidance G4",
                        why="The casenote that evidences the notice records who shared it.",
                    ),
                ),
            ),
        ),
    ),
)
