"""The referral (request for support), as admin teams key it in from paper, e-mail or phone.

The questions follow what councils' public Early Help referral / request-for-support forms ask:
referrer and agency, the children (including unborn children with an expected delivery date, SEND,
school or setting, NHS number), parents and carers (relationship, parental responsibility, language
and interpreter), the reasons and needs, agencies already involved, and whether the referral was
talked through with the family. Field names are a contract with storage and the GUI.

G1: nothing here asks for consent, and no answer about the family's view blocks the referral.
G2/G9: not talking to the family first needs a reason, and is only expected when a child's
immediate safety is at risk.
"""

from __future__ import annotations

from typing import Any

from ehdesk.forms import validators as v
from ehdesk.forms.choices import GENDER, HOW_RECEIVED, NEEDS, RELATIONSHIP
from ehdesk.forms.conditions import Condition, IsNo, IsYes, Not, Scope
from ehdesk.forms.model import (
    AgencyPicker,
    Choice,
    DateField,
    FormDefinition,
    LongText,
    MultiChoice,
    NhsNumber,
    Postcode,
    Prompt,
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


def _dq(message: str, when: Condition | None = None) -> Required:
    return Required(obligation=Obligation.DQ, message=message, when=when)


def _is_no_answer(value: Any, _scope: Scope, _ctx: ValidationContext) -> bool:
    return value is not False


_G9_SAFETY_ONLY = Rule(
    id="G9.safety-only",
    obligation=Obligation.G9,
    severity=Severity.WARNING,
    when=IsNo("discussed_with_parent"),
    check=_is_no_answer,
    message="The referral was not talked through with the family and there is no immediate safety "
    "concern: talk to the family first if you can, or confirm why that was not possible — guidance G9",
    why="We always aim to talk to the family; only a worry about a child's immediate safety is a "
    "reason not to.",
)

CHILD_FIELDS = (
    Text(
        name="given_name",
        label="Given name",
        help="Leave blank for an unborn baby who has no name yet: the expected date identifies them",
        required=_dq(
            "Enter the child's given name (an unborn baby needs none: answer 'Unborn?' yes)",
            when=Not(IsYes("unborn")),
        ),
    ),
    Text(name="family_name", label="Family name", required=_dq("Enter the child's family name")),
    Text(
        name="also_known_as",
        label="Also known as",
        help="Any other name the child uses or is written as, e.g. in another script or spelling",
    ),
    YesNo(name="unborn", label="Unborn?", help="Answer yes for a pregnancy; give the expected date"),
    DateField(
        name="birth_date",
        label="Date of birth",
        past=True,
        show_when=Not(IsYes("unborn")),
        required=_dq(
            "Enter the child's date of birth, or mark the child as unborn and give the expected date",
            when=Not(IsYes("unborn")),
        ),
        rules=(
            v.not_future_rule("DQ.birth-not-future", "A birth date"),
            v.birth_before_referral_rule(),
            v.child_age_rule(),
            v.send_age_rule(),
        ),
    ),
    DateField(
        name="expected_delivery",
        label="Expected date of delivery",
        show_when=IsYes("unborn"),
        required=_dq("Enter the expected date of delivery for the unborn child", when=IsYes("unborn")),
        rules=(v.expected_delivery_rule(),),
    ),
    Choice(name="gender", label="Gender", choices=GENDER),
    NhsNumber(name="nhs_number", label="NHS number", rules=(v.nhs_number_rule(),)),
    Text(name="ethnicity", label="Ethnicity"),
    Text(name="religion", label="Religion", help="As the referral gives it; leave blank if not stated"),
    Text(name="first_language", label="First language"),
    Text(name="school_or_setting", label="School, nursery or setting"),
    Text(name="gp_practice", label="GP practice"),
    YesNo(
        name="send",
        label="Special educational needs or disability (SEND)?",
        help="Early Help may continue to age 25 for a young person with SEND",
    ),
    YesNo(name="ehcp", label="Has an education, health and care plan (EHCP)?", show_when=IsYes("send")),
    YesNo(name="lives_at_address", label="Lives at the family address?"),
    Text(
        name="address_if_different",
        label="Where the child lives",
        help="The address (with postcode) where the child lives, if the referral gives it",
        show_when=IsNo("lives_at_address"),
    ),
)

CARER_FIELDS = (
    Text(name="given_name", label="Given name", required=_dq("Enter the carer's given name")),
    Text(name="family_name", label="Family name", required=_dq("Enter the carer's family name")),
    Text(
        name="also_known_as",
        label="Also known as",
        help="Any other name the carer uses or is written as, e.g. in another script or spelling",
    ),
    DateField(
        name="birth_date",
        label="Date of birth",
        past=True,
        rules=(v.not_future_rule("DQ.birth-not-future", "A birth date"),),
    ),
    Choice(name="relationship", label="Relationship to the child(ren)", choices=RELATIONSHIP),
    YesNo(
        name="parental_responsibility",
        label="Has parental responsibility?",
        help="Leave unanswered if not known",
    ),
    YesNo(name="lives_with_child", label="Lives with the child(ren)?"),
    Text(name="phone", label="Phone", rules=v.phone_rules()),
    Text(name="email", label="E-mail", max_length=254, rules=(v.email_rule(),)),
    Text(name="first_language", label="First language"),
    YesNo(name="interpreter_needed", label="Interpreter or signer needed?"),
    Text(
        name="interpreter_language",
        label="Language or signing needed",
        show_when=IsYes("interpreter_needed"),
        required=_dq(
            "Say which language (or signing) the interpreter needs", when=IsYes("interpreter_needed")
        ),
    ),
)

AGENCY_FIELDS = (
    AgencyPicker(
        name="agency",
        label="Agency",
        required=_dq("Pick the agency that is involved (or remove this row)"),
    ),
    Text(name="contact_name", label="Contact name"),
    Text(name="contact_role", label="Contact's role"),
    Text(name="contact_phone", label="Contact phone", rules=v.phone_rules()),
    Text(name="contact_email", label="Contact e-mail", max_length=254, rules=(v.email_rule(),)),
)

FORM = FormDefinition(
    id="referral",
    title="Referral for Early Help",
    version=1,
    description="A request for Early Help support for a family, as received.",
    obligations=(Obligation.G1, Obligation.G2, Obligation.G9),
    sections=(
        Section(
            "Referral received",
            (
                DateField(
                    name="received_on",
                    label="Date received",
                    past=True,
                    required=_dq("Enter the date the referral was received"),
                    rules=(v.not_future_rule("DQ.received-not-future", "The date received"),),
                ),
                Choice(
                    name="how_received",
                    label="How received",
                    choices=HOW_RECEIVED,
                    required=_dq("Say how the referral arrived"),
                ),
            ),
        ),
        Section(
            "Referrer",
            (
                Text(
                    name="referrer_name", label="Referrer's name", required=_dq("Enter the referrer's name")
                ),
                Text(name="referrer_role", label="Referrer's role or job title"),
                YesNo(
                    name="discussed_with_safeguarding_lead",
                    label="Referrer discussed it with their safeguarding lead or manager?",
                    help="Many request forms ask this; answer 'not stated' when the paper does not say",
                    not_stated=True,
                ),
                AgencyPicker(name="referrer_agency", label="Referrer's agency"),
                Text(name="referrer_phone", label="Referrer's phone", rules=v.phone_rules()),
                Text(
                    name="referrer_email",
                    label="Referrer's e-mail",
                    max_length=254,
                    rules=(v.email_rule(),),
                ),
            ),
        ),
        Section(
            "Family address",
            (
                Text(name="address_line1", label="Address line 1"),
                Text(name="address_line2", label="Address line 2"),
                Text(name="town", label="Town or city"),
                Postcode(name="postcode", label="Postcode", rules=(v.postcode_rule(),)),
                Text(name="home_phone", label="Home phone", rules=v.phone_rules()),
            ),
        ),
        Section(
            "Children",
            (
                Repeat(
                    name="children",
                    label="Children and unborn babies",
                    item_label="child",
                    min_items=1,
                    fields=CHILD_FIELDS,
                    help="Include unborn children and children who do not live at the family address",
                ),
            ),
        ),
        Section(
            "Parents and carers",
            (
                Repeat(
                    name="carers",
                    label="Parents and carers",
                    item_label="carer",
                    fields=CARER_FIELDS,
                ),
            ),
        ),
        Section(
            "Why support is asked for",
            (
                LongText(
                    name="reasons",
                    label="Reasons for the referral",
                    help="What is happening for the child and family, in the referrer's words",
                    required=_dq("Enter the reasons for the referral"),
                ),
                MultiChoice(name="needs", label="Needs identified", choices=NEEDS),
                YesNo(
                    name="existing_assessment",
                    label="Has an Early Help or other assessment already been done?",
                    help="If yes, note who holds it in the reasons; 'not stated' when the paper does not say",
                    not_stated=True,
                ),
                LongText(name="family_views", label="What the family would like help with"),
            ),
        ),
        Section(
            "Agencies already involved",
            (
                Repeat(
                    name="agencies_involved",
                    label="Agencies already involved",
                    item_label="agency",
                    fields=AGENCY_FIELDS,
                ),
            ),
        ),
        Section(
            "Talking to the family",
            (
                Prompt(
                    name="talk_first_note",
                    label="Consent is not needed to refer a family to Early Help, but the referrer "
                    "should talk the referral through with the parents or carers first.",
                    obligations=(Obligation.G1, Obligation.G2),
                ),
                YesNo(
                    name="discussed_with_parent",
                    label="Referral discussed with the parent or carer before it was made?",
                    obligations=(Obligation.G1, Obligation.G2),
                    required=Required(
                        id="G2.discussed-answer",
                        obligation=Obligation.G2,
                        message="Say whether the referrer talked the referral through with the parent "
                        "or carer — guidance G2",
                        why="Referrers are expected to discuss a referral with the parents before "
                        "sending it; the answer stays on the record.",
                    ),
                ),
                LongText(
                    name="not_discussed_reason",
                    label="Why was it not discussed?",
                    show_when=IsNo("discussed_with_parent"),
                    obligations=(Obligation.G2,),
                    required=Required(
                        id="G2.reason",
                        obligation=Obligation.G2,
                        when=IsNo("discussed_with_parent"),
                        message="Say why the referral was not discussed with the parent or carer "
                        "— guidance G2",
                        why="When a referral was not talked through with the family, the reason must "
                        "be on the record.",
                    ),
                ),
                YesNo(
                    name="immediate_safety_concern",
                    label="Was that because of a worry about a child's immediate safety?",
                    help="Answer 'not stated on the referral' when the paper does not say",
                    show_when=IsNo("discussed_with_parent"),
                    not_stated=True,
                    obligations=(Obligation.G9,),
                    required=Required(
                        id="G9.safety-answer",
                        obligation=Obligation.G9,
                        when=IsNo("discussed_with_parent"),
                        message="Say whether a worry about a child's immediate safety is why the family "
                        "was not told — guidance G9",
                        why="Only a worry about immediate safety is a reason not to talk to the family.",
                    ),
                    rules=(_G9_SAFETY_ONLY,),
                ),
                Prompt(
                    name="front_door",
                    label="A child at immediate risk is not an Early Help referral",
                    help="Follow the authority's front door for a child at immediate risk.",
                    policy_key="front_door",
                    show_when=IsYes("immediate_safety_concern"),
                    obligations=(Obligation.G9,),
                ),
                YesNo(
                    name="family_aware",
                    label="Does the family know the referral has been made?",
                    help="For the record only: a 'no' never stops the referral",
                    obligations=(Obligation.G1,),
                ),
            ),
        ),
    ),
)
