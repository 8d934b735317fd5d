"""Valid records for every form, and per-rule trigger cases, shared by the forms tests.

Each form has one or more valid base records (together they show every conditional field). A rule is
proved by taking a base that shows its field, changing the field (and maybe its neighbours), and seeing
the rule fire; the unchanged base (or a targeted fix) shows it pass.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ehdesk.forms.model import Field, FormDefinition, Repeat, ValidationContext

TODAY = date(2025, 6, 1)
CTX = ValidationContext(today=TODAY)
OBJECTED = ValidationContext(today=TODAY, objected_agencies=frozenset({"school"}))
#: a family whose record holds only names and the household (G7: a share picks from what is held)
HOLDS_IDENTITY = ValidationContext(today=TODAY, data_items=frozenset({"identity", "household"}))
#: a family of a carer and a child: only the carer may be named as having declined (G20)
CARER_AND_CHILD = ValidationContext(
    today=TODAY, people={"carer-1": "Siobhán Kelly", "child-1": "Ava Kelly"}, adults=frozenset({"carer-1"})
)

REFERRAL_DISCUSSED_NO: dict[str, Any] = {
    "received_on": "20/05/2025",
    "how_received": "paper",
    "referrer_name": "Ann Teacher",
    "referrer_role": "Designated safeguarding lead",
    "referrer_agency": "School",
    "referrer_phone": "0161 234 5678",
    "referrer_email": "ann.teacher@school.example.org",
    "address_line1": "1 High Street",
    "address_line2": "Flat 2",
    "town": "Manchester",
    "postcode": "m1 1ae",
    "home_phone": "0161 234 5679",
    "children": [
        {
            "given_name": "Zoë",
            "family_name": "Ó Briain",
            "also_known_as": "Zo",
            "unborn": False,
            "birth_date": "2015-03-04",
            "gender": "female",
            "nhs_number": "943 476 5919",
            "ethnicity": "White Irish",
            "first_language": "English",
            "school_or_setting": "High Street Primary",
            "gp_practice": "Market Surgery",
            "send": True,
            "ehcp": False,
            "lives_at_address": True,
        },
        {
            "given_name": "Baby",
            "family_name": "Ó Briain",
            "unborn": "yes",
            "expected_delivery": "2025-08-01",
            "gender": "not_known",
            "lives_at_address": False,
            "address_if_different": "With her grandmother, 4 Hill Top, Leeds LS6 2AB",
        },
    ],
    "carers": [
        {
            "given_name": "Siobhán",
            "family_name": "Ó Briain",
            "birth_date": "1985-01-01",
            "relationship": "mother",
            "parental_responsibility": True,
            "lives_with_child": True,
            "phone": "07400 123456",
            "email": "siobhan@example.org",
            "first_language": "Irish",
            "interpreter_needed": True,
            "interpreter_language": "Irish",
        }
    ],
    "reasons": "Attendance has dropped and mum has asked for help with routines.",
    "needs": ["parenting", "school_attendance"],
    "family_views": "Help with mornings.",
    "agencies_involved": [
        {
            "agency": "School",
            "contact_name": "Ann Teacher",
            "contact_role": "DSL",
            "contact_phone": "0161 234 5678",
            "contact_email": "ann.teacher@school.example.org",
        }
    ],
    "discussed_with_parent": False,
    "not_discussed_reason": "Mum's partner may react violently if told.",
    "immediate_safety_concern": True,
    "family_aware": False,
}

REFERRAL_DISCUSSED_YES = {
    **REFERRAL_DISCUSSED_NO,
    "discussed_with_parent": True,
    "not_discussed_reason": None,
    "immediate_safety_concern": None,
    "family_aware": True,
}

SHARE_WELLBEING: dict[str, Any] = {
    "agency": "School",
    "recipient_role": "Designated safeguarding lead",
    "recipient_name": "Ann Teacher",
    "shared_on": "2025-05-30",
    "method": "secure_email",
    "data_items": ["identity", "concerns"],
    "what_shared": "Names, dates of birth and the reasons for the referral.",
    "why_needed": "So school can support the morning routine goals.",
    "how_used": "To agree attendance support at the next review.",
    "purpose": "child_wellbeing",
    "affirm_proportional": True,
    "affirm_relevant": True,
    "affirm_wellbeing": True,
    "affirm_need_to_know": True,
    "informed_in_advance": True,
    "informed_on": "2025-05-28",
    "informed_how": "phone",
    "worried_about_child": False,
    "objection_justification": None,
    "reassurance_given": True,
    "notes": None,
}

SHARE_OTHER_PURPOSE: dict[str, Any] = {
    **SHARE_WELLBEING,
    "purpose": "other",
    "affirm_wellbeing": None,
    "other_purpose": "A housing application the family asked us to support.",
    "consent_given_by": "Siobhán Ó Briain",
    "consent_on": "2025-05-29",
    "consent_method": "written",
    "informed_in_advance": False,
    "informed_on": None,
    "informed_how": None,
    "exceptions": ["criminal_investigation"],
    "exception_reason": "Police asked us not to alert the household yet.",
    "worried_about_child": True,
    "objection_justification": "School must know about the risk to plan a safe pick-up.",
}

OBJECTION: dict[str, Any] = {
    "agency": "Police",
    "recorded_on": "2025-05-01",
    "raised_by": "carer-1",
    "family_reasons": "A past bad experience with a call-out.",
    "barriers_explored": "Talked through what the police would and would not be told.",
    "reassurance_given": True,
    "family_response": "Calmer, still unsure.",
}

PRIVACY_NOTICE_LINK: dict[str, Any] = {
    "family_type": "new",
    "method": "link",
    "sent_to": "siobhan@example.org",
    "given_to": "carer-1",
    "given_on": "2025-05-31",
    "worker": "Sam Worker",
}
PRIVACY_NOTICE_PRINTED = {
    **PRIVACY_NOTICE_LINK,
    "family_type": "existing",
    "method": "printed",
    "sent_to": None,
}

DECLINE: dict[str, Any] = {
    "declined_on": "2025-05-20",
    "declined_by": "carer-1",
    "reasons": "Feels things are better now.",
    "line_manager": "Morgan Manager",
    "discussed_on": "2025-05-21",
    "direction": None,
}

DECISION_DECLINE: dict[str, Any] = {
    "subject": "decline",
    "decision": "Close Early Help with a step-down to school support.",
    "rationale": "Needs can be met by school and the health visitor; no safeguarding concerns.",
    "decided_on": "2025-05-22",
    "existing_network": "School pastoral team and the health visitor continue.",
    "closure_contacts": [{"who": "Ann Teacher", "agency": "School", "told_on": "2025-05-23"}],
    "concerns_raised": True,
    "concerns_reasoning": "Attendance may fall again without support.",
    "threshold_needed": True,
    "threshold_on": "2025-05-24",
    "threshold_with": "Duty social work team",
}
DECISION_SHARE: dict[str, Any] = {
    "subject": "share",
    "decision": "Share with school despite objection.",
    "rationale": "Risk at pick-up.",
    "decided_on": "2025-05-22",
}

BASES: dict[str, list[dict[str, Any]]] = {
    "referral": [REFERRAL_DISCUSSED_NO, REFERRAL_DISCUSSED_YES],
    "share": [SHARE_WELLBEING, SHARE_OTHER_PURPOSE],
    "objection": [OBJECTION],
    "privacy_notice": [PRIVACY_NOTICE_LINK, PRIVACY_NOTICE_PRINTED],
    "decline": [DECLINE],
    "decision": [DECISION_DECLINE, DECISION_SHARE],
}


@dataclass(frozen=True)
class Case:
    """How to make one declared rule fire: a value at the rule's path, plus neighbours to set.

    ``beside`` keys are field names in the same item (or the record, for top-level fields);
    ``passing`` is set (beside the field) for the passing input, which otherwise is the base itself.
    """

    value: Any
    beside: dict[str, Any] = field(default_factory=dict)
    ctx: ValidationContext = CTX
    passing: dict[str, Any] = field(default_factory=dict)


FUTURE = "2025-06-02"
NOT_FUTURE = Case(FUTURE)

#: Declared (non-built-in) rules: rule ID -> how to trigger it.
CASES: dict[str, Case] = {
    "DQ.received-not-future": NOT_FUTURE,
    "DQ.birth-not-future": NOT_FUTURE,
    "DQ.shared-not-future": NOT_FUTURE,
    "DQ.consent-not-future": NOT_FUTURE,
    "DQ.informed-not-future": NOT_FUTURE,
    "DQ.recorded-not-future": NOT_FUTURE,
    "DQ.given-not-future": NOT_FUTURE,
    "DQ.declined-not-future": Case(FUTURE, beside={"discussed_on": FUTURE}),
    "DQ.discussed-not-future": NOT_FUTURE,
    "DQ.decided-not-future": NOT_FUTURE,
    "DQ.told-not-future": NOT_FUTURE,
    "DQ.phone": Case("12345"),
    "DQ.phone-unlisted": Case("07700 900123"),  # a possible mobile in a range not listed as in use
    "DQ.phone-service": Case("101"),  # police non-emergency: a real number, but not the person's
    "DQ.email": Case("not-an-email"),
    "DQ.postcode": Case("XYZ 123"),
    "DQ.nhs-number": Case("943 476 5910"),
    "DQ.born-before-referral": Case("2025-05-25"),
    "DQ.child-age": Case("2000-01-01", beside={"send": False}),
    "DQ.child-age-send": Case("2006-01-01", beside={"send": True}),
    "DQ.expected-delivery": Case("2025-01-01"),
    "DQ.discussed-after-decline": Case("2025-05-19"),
    "G20.earliest": Case("2025-05-31"),
    "G20.declined-by-adult": Case("child-1", ctx=CARER_AND_CHILD),
    "G9.safety-only": Case(False),
    "G15.proportional": Case(False),
    "G15.relevant": Case(False),
    "G15.wellbeing": Case(False),
    "G15.need-to-know": Case(False),
    "G18.reassure": Case(False),
    "G10.informed-or-exception": Case([], beside={"informed_in_advance": False}),
    "G8.worried-about-child": Case(
        False,
        ctx=OBJECTED,
        passing={"worried_about_child": True, "objection_justification": "Risk at pick-up."},
    ),
    "G8.justification": Case(
        None,
        ctx=OBJECTED,
        passing={"worried_about_child": True, "objection_justification": "Risk at pick-up."},
    ),
    "G24.after-concerns": Case(False, beside={"concerns_raised": True}),
    "G7.held-items": Case(["identity", "health"], ctx=HOLDS_IDENTITY, passing={"data_items": ["identity"]}),
}

#: Wrong-typed values for each built-in type rule.
WRONG_TYPE: dict[str, Any] = {
    "DQ.type-text": {"not": "text"},
    "DQ.type-date": "31/02/2024",
    "DQ.type-yesno": "maybe",
    "DQ.type-checkbox": "maybe",
    "DQ.type-choice": "nonsense",
    "DQ.type-multichoice": ["nonsense"],
    "DQ.type-person": ["not", "a", "person"],
    "DQ.type-repeat": "not a list",
}

_STEP = re.compile(r"^([a-z_0-9]+)(?:\[(\d+)\])?$")


def split(path: str) -> list[tuple[str, int | None]]:
    out: list[tuple[str, int | None]] = []
    for part in path.split("."):
        match = _STEP.match(part)
        assert match, path
        out.append((match.group(1), int(match.group(2)) if match.group(2) is not None else None))
    return out


def get_at(record: Any, path: str) -> Any:
    current = record
    for name, index in split(path):
        if not isinstance(current, dict):
            return None
        current = current.get(name)
        if index is not None:
            if not isinstance(current, list) or index >= len(current):
                return None
            current = current[index]
    return current


def set_at(record: dict[str, Any], path: str, value: Any) -> None:
    steps = split(path)
    current: Any = record
    for name, index in steps[:-1]:
        current = current[name]
        if index is not None:
            current = current[index]
    current[steps[-1][0]] = value


def parent_of(path: str) -> str:
    return path.rsplit(".", 1)[0] if "." in path else ""


def field_at(form: FormDefinition, row_path: str) -> Field:
    """The field a rule-table path names (``children[].birth_date``)."""
    parts = row_path.split("[].")
    current: Field = form.field(parts[0])
    for name in parts[1:]:
        assert isinstance(current, Repeat)
        current = next(f for f in current.fields if f.name == name)
    return current


def concrete_paths(record: dict[str, Any], row_path: str) -> list[str]:
    """Paths in ``record`` that a rule-table path names (each item of a repeating group)."""
    if "[]." not in row_path:
        return [row_path]
    head, rest = row_path.split("[].", 1)
    items = record.get(head)
    if not isinstance(items, list):
        return []
    out: list[str] = []
    for index, item in enumerate(items):
        if isinstance(item, dict):
            out.extend(f"{head}[{index}].{p}" for p in concrete_paths(item, rest))
    return out


def mutate(base: dict[str, Any], path: str, value: Any, beside: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``base`` with ``value`` at ``path`` and then ``beside`` set next to it."""
    record = copy.deepcopy(base)
    set_at(record, path, value)
    prefix = parent_of(path)
    for name, other in beside.items():
        set_at(record, f"{prefix}.{name}" if prefix else name, other)
    return record
