"""Recording one information share with another agency (G7, G8, G10–G16, G18).

The worker names the recipient (G14), picks only the data items shared (G7), explains what, why and
what for (G11–G13), affirms the legal basis (G15), says whether the family was told in advance or
which exception applied (G10), records consent when the purpose lies outside the child's wellbeing
(G16), justifies any share with an agency the family objected to (G8) and notes the reassurance
given (G18). Consent appears only under G16 (G1).
"""

from __future__ import annotations

from typing import Any

from ehdesk.forms import validators as v
from ehdesk.forms.choices import (
    CONSENT_METHOD,
    DATA_ITEMS,
    G10_EXCEPTIONS,
    SHARE_METHOD,
    SHARE_PURPOSE,
    choice_list,
)
from ehdesk.forms.conditions import Condition, Equals, IsFilled, IsNo, IsYes, Not, Scope, is_blank
from ehdesk.forms.definitions.reassurance import REASSURANCE_FIELDS
from ehdesk.forms.model import (
    AgencyPicker,
    Checkbox,
    Choice,
    DateField,
    FormDefinition,
    LongText,
    MultiChoice,
    Required,
    Rule,
    Section,
    Text,
    ValidationContext,
    YesNo,
)
from ehdesk.forms.obligation import Obligation

OTHER_PURPOSE = Equals("purpose", "other")

#: How the family was told in advance of a share (G10): the ways a worker reaches a family. Each label
#: starts with its own letter, which is what a keyboard user types to pick it (I, P, L, E).
INFORMED_HOW = choice_list(
    "informed_how",
    ("in_person", "In person (visit or meeting)"),
    ("phone", "Phone call"),
    ("letter", "Letter"),
    ("message", "E-mail or text message"),
)


def agency_is_objected(scope: Scope, ctx: ValidationContext) -> bool:
    """Whether the share's agency is on the family's objection register (case and spaces ignored)."""
    agency = scope.get("agency")
    if not isinstance(agency, str) or not agency.strip():
        return False
    wanted = agency.strip().casefold()
    return any(isinstance(o, str) and o.strip().casefold() == wanted for o in ctx.objected_agencies)


def _ticked(value: Any, _scope: Scope, _ctx: ValidationContext) -> bool:
    return value is True


def _affirm(name: str, label: str, rule_id: str, message: str, **extra: Any) -> Checkbox:
    return Checkbox(
        name=name,
        label=label,
        obligations=(Obligation.G15,),
        rules=(
            Rule(
                id=rule_id,
                obligation=Obligation.G15,
                check=_ticked,
                message=message,
                why="Sharing stays within the legal basis only when it is proportional, relevant, for "
                "the child's wellbeing and limited to those who need to know.",
            ),
        ),
        **extra,
    )


def _items_held(value: Any, _scope: Scope, ctx: ValidationContext) -> bool:
    """Every picked data item is one the family's record holds (unknown outside a family: passes)."""
    if ctx.data_items is None or not isinstance(value, list | tuple):
        return True
    return all(item in ctx.data_items for item in value)


def _informed_or_exception(value: Any, _scope: Scope, _ctx: ValidationContext) -> bool:
    return not is_blank(value)


def _worried_when_objected(value: Any, scope: Scope, ctx: ValidationContext) -> bool:
    return not agency_is_objected(scope, ctx) or value is True


def _justified_when_objected(value: Any, scope: Scope, ctx: ValidationContext) -> bool:
    return not agency_is_objected(scope, ctx) or not is_blank(value)


def _req(
    rule_id: str, obligation: Obligation, message: str, why: str, when: Condition | None = None
) -> Required:
    return Required(id=rule_id, obligation=obligation, message=message, why=why, when=when)


FORM = FormDefinition(
    id="share",
    title="Information share",
    version=1,
    description="What was shared, with whom, why, and on what basis.",
    obligations=(
        Obligation.G1,
        Obligation.G7,
        Obligation.G8,
        Obligation.G10,
        Obligation.G11,
        Obligation.G12,
        Obligation.G13,
        Obligation.G14,
        Obligation.G15,
        Obligation.G16,
        Obligation.G18,
    ),
    sections=(
        Section(
            "Who receives it",
            (
                AgencyPicker(
                    name="agency",
                    label="Agency",
                    obligations=(Obligation.G14,),
                    required=_req(
                        "G14.agency",
                        Obligation.G14,
                        "Pick the agency the information goes to — guidance G14",
                        "The family must be told to whom their information is disclosed.",
                    ),
                ),
                Text(
                    name="recipient_role",
                    label="Recipient's role",
                    help="For example: designated safeguarding lead, health visitor",
                    obligations=(Obligation.G14,),
                    required=_req(
                        "G14.recipient",
                        Obligation.G14,
                        "Enter the role (or name) of the person receiving the information — guidance G14",
                        "Naming the recipient keeps sharing to people who need to know.",
                    ),
                ),
                Text(name="recipient_name", label="Recipient's name", obligations=(Obligation.G14,)),
                DateField(
                    name="shared_on",
                    label="Date shared",
                    required=Required(
                        obligation=Obligation.DQ, message="Enter the date the information was shared"
                    ),
                    rules=(v.not_future_rule("DQ.shared-not-future", "The date shared"),),
                ),
                Choice(name="method", label="How it was shared", choices=SHARE_METHOD),
            ),
        ),
        Section(
            "What is shared and why",
            (
                MultiChoice(
                    name="data_items",
                    label="Information shared",
                    choices=DATA_ITEMS,
                    obligations=(Obligation.G7,),
                    required=_req(
                        "G7.data-items",
                        Obligation.G7,
                        "Pick the items of information shared; share only what is relevant — guidance G7",
                        "Only relevant information goes to professionals who need to know it.",
                    ),
                    rules=(
                        Rule(
                            id="G7.held-items",
                            obligation=Obligation.G7,
                            check=_items_held,
                            message="Pick only items this family's record holds; describe anything else "
                            "under 'Other' — guidance G7",
                            why="A share record lists what was actually passed on from the family's record.",
                        ),
                    ),
                ),
                LongText(
                    name="what_shared",
                    label="What information is shared",
                    obligations=(Obligation.G11,),
                    required=_req(
                        "G11.what",
                        Obligation.G11,
                        "Describe what information is being shared — guidance G11",
                        "The family is told what is being shared; this text is printed for them.",
                    ),
                ),
                LongText(
                    name="why_needed",
                    label="Why it is needed",
                    obligations=(Obligation.G12,),
                    required=_req(
                        "G12.why",
                        Obligation.G12,
                        "Explain why the information is needed — guidance G12",
                        "The family is told why the information is needed.",
                    ),
                ),
                LongText(
                    name="how_used",
                    label="What it will be used for",
                    obligations=(Obligation.G13,),
                    required=_req(
                        "G13.use",
                        Obligation.G13,
                        "Explain what the information will be used for — guidance G13",
                        "The family is told what the information will be used for.",
                    ),
                ),
            ),
        ),
        Section(
            "Legal basis",
            (
                Choice(
                    name="purpose",
                    label="Purpose of sharing",
                    choices=SHARE_PURPOSE,
                    obligations=(Obligation.G15, Obligation.G16),
                    required=_req(
                        "G16.purpose",
                        Obligation.G16,
                        "Say whether this share is to promote the child's wellbeing or for another "
                        "purpose — guidance G16",
                        "Sharing for any other purpose needs the family's consent.",
                    ),
                ),
                _affirm(
                    "affirm_proportional",
                    "The information shared is proportionate",
                    "G15.proportional",
                    "Confirm the information shared is proportionate, or share less — guidance G15",
                ),
                _affirm(
                    "affirm_relevant",
                    "The information shared is relevant",
                    "G15.relevant",
                    "Confirm the information shared is relevant, or remove what is not — guidance G15",
                ),
                _affirm(
                    "affirm_wellbeing",
                    "It is shared only to promote the child's wellbeing",
                    "G15.wellbeing",
                    "Confirm the share is to promote the child's wellbeing, or choose 'another "
                    "purpose' and record consent — guidance G15",
                    show_when=Not(OTHER_PURPOSE),
                ),
                _affirm(
                    "affirm_need_to_know",
                    "The recipient needs to know it",
                    "G15.need-to-know",
                    "Confirm the recipient needs to know this, or do not share it — guidance G15",
                ),
                LongText(
                    name="other_purpose",
                    label="What is the other purpose?",
                    show_when=OTHER_PURPOSE,
                    obligations=(Obligation.G16,),
                    required=_req(
                        "G16.other-purpose",
                        Obligation.G16,
                        "Describe the purpose of this share — guidance G16",
                        "A share outside the child's wellbeing must say what it is for.",
                        when=OTHER_PURPOSE,
                    ),
                ),
                Text(
                    name="consent_given_by",
                    label="Consent given by",
                    show_when=OTHER_PURPOSE,
                    obligations=(Obligation.G16,),
                    required=_req(
                        "G16.consent-who",
                        Obligation.G16,
                        "Record who gave consent; without consent this share cannot go ahead — guidance G16",
                        "Outside the child's wellbeing, sharing without consent may breach confidentiality.",
                        when=OTHER_PURPOSE,
                    ),
                ),
                DateField(
                    name="consent_on",
                    label="Date consent given",
                    show_when=OTHER_PURPOSE,
                    obligations=(Obligation.G16,),
                    required=_req(
                        "G16.consent-when",
                        Obligation.G16,
                        "Record when consent was given; without consent this share cannot go ahead "
                        "— guidance G16",
                        "Outside the child's wellbeing, sharing without consent may breach confidentiality.",
                        when=OTHER_PURPOSE,
                    ),
                    rules=(v.not_future_rule("DQ.consent-not-future", "The consent date"),),
                ),
                Choice(
                    name="consent_method",
                    label="How consent was given",
                    choices=CONSENT_METHOD,
                    show_when=OTHER_PURPOSE,
                    obligations=(Obligation.G16,),
                    required=_req(
                        "G16.consent-how",
                        Obligation.G16,
                        "Record how consent was given; without consent this share cannot go ahead "
                        "— guidance G16",
                        "Outside the child's wellbeing, sharing without consent may breach confidentiality.",
                        when=OTHER_PURPOSE,
                    ),
                ),
            ),
        ),
        Section(
            "Telling the family",
            (
                YesNo(
                    name="informed_in_advance",
                    label="Was the family told in advance that this would be shared?",
                    obligations=(Obligation.G10,),
                    required=_req(
                        "G10.informed-answer",
                        Obligation.G10,
                        "Say whether the family was told in advance — guidance G10",
                        "Families are told before their information is shared, except in three cases.",
                    ),
                ),
                DateField(
                    name="informed_on",
                    label="When was the family told?",
                    show_when=IsYes("informed_in_advance"),
                    obligations=(Obligation.G10,),
                    required=_req(
                        "G10.informed-when",
                        Obligation.G10,
                        "Enter the date the family was told about this share — guidance G10",
                        "Telling the family in advance is recorded with when it happened.",
                        when=IsYes("informed_in_advance"),
                    ),
                    rules=(v.not_future_rule("DQ.informed-not-future", "The date the family was told"),),
                ),
                Choice(
                    name="informed_how",
                    label="How was the family told?",
                    choices=INFORMED_HOW,
                    show_when=IsYes("informed_in_advance"),
                    obligations=(Obligation.G10,),
                    required=_req(
                        "G10.informed-how",
                        Obligation.G10,
                        "Pick how the family was told about this share (in person, phone, letter, e-mail) "
                        "— guidance G10",
                        "Telling the family in advance is recorded with how it was done.",
                        when=IsYes("informed_in_advance"),
                    ),
                ),
                MultiChoice(
                    name="exceptions",
                    label="Why the family was not told",
                    choices=G10_EXCEPTIONS,
                    show_when=IsNo("informed_in_advance"),
                    obligations=(Obligation.G10,),
                ),
                LongText(
                    name="exception_reason",
                    label="Explain the reason",
                    show_when=IsNo("informed_in_advance"),
                    obligations=(Obligation.G10,),
                    required=_req(
                        "G10.exception-reason",
                        Obligation.G10,
                        "Write why telling the family in advance would cause that harm — guidance G10",
                        "An exception to telling the family must be explained in writing.",
                        when=IsFilled("exceptions"),
                    ),
                ),
            ),
        ),
        Section(
            "Agencies the family objected to",
            (
                YesNo(
                    name="worried_about_child",
                    label="Are you worried about the child, and could this information help?",
                    help="Answer when the family has asked us not to share with this agency",
                    obligations=(Obligation.G8,),
                ),
                LongText(
                    name="objection_justification",
                    label="Why share despite the family's objection?",
                    obligations=(Obligation.G8,),
                ),
            ),
        ),
        Section(
            "Reassurance",
            (
                *REASSURANCE_FIELDS,
                LongText(name="notes", label="Notes"),
            ),
        ),
    ),
    rules=(
        Rule(
            id="G10.informed-or-exception",
            obligation=Obligation.G10,
            field="exceptions",
            when=IsNo("informed_in_advance"),
            check=_informed_or_exception,
            message="The family was not told in advance: pick the exception that applies, or tell the "
            "family before sharing — guidance G10",
            why="Families are told in advance unless telling them would put the child at risk, interfere "
            "with a criminal investigation or delay safeguarding.",
        ),
        Rule(
            id="G8.worried-about-child",
            obligation=Obligation.G8,
            field="worried_about_child",
            check=_worried_when_objected,
            message="The family asked us not to share with this agency: share only if you are worried "
            "about the child and the information could help, and answer yes — guidance G8",
            why="An objection is respected unless there is a worry about the child that sharing could "
            "help with.",
        ),
        Rule(
            id="G8.justification",
            obligation=Obligation.G8,
            field="objection_justification",
            check=_justified_when_objected,
            message="Explain why you are sharing with an agency the family objected to — guidance G8",
            why="Overriding a family's objection must be justified on the record.",
        ),
    ),
)
