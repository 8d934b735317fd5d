"""Keying in a referral: validate against the referral definition, warn about likely duplicates, store.

The storage mapping follows the definition: the whole referral as received goes to ``referrals.data``
(with the few values that are searched or enforced promoted to columns); each ``children``/``carers``
item also becomes a ``people`` row of the family (unless that person is already on its record), and each
``agencies_involved`` item an ``agencies_involved`` row. Nothing typed is dropped: a second referral
that repeats a known child keeps what it said about them in its own ``data``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any
from uuid import uuid4

from sqlalchemy.orm import Session

from ehdesk.errors import NeedsConfirmation, ValidationFailed
from ehdesk.forms.model import ValidationResult
from ehdesk.forms.registry import get_form
from ehdesk.forms.validate import validate
from ehdesk.policy import PolicyPack, default_pack
from ehdesk.services import audit
from ehdesk.services.actor import Actor
from ehdesk.services.duplicates import DuplicateCandidate, find_duplicates, nhs_numbers_held_elsewhere
from ehdesk.services.families import build_search_text, display_name, get_family
from ehdesk.services.permissions import Permission, require
from ehdesk.services.validation import validation_context
from ehdesk.storage.mapping import item_rows, record_columns
from ehdesk.storage.models import AgencyInvolved, Family, Person, Referral
from ehdesk.text import fold, nhs_digits, tidy_postcode

# the duplicate check lived here; callers that import it from this module keep working
__all__ = ["DuplicateCandidate", "check_referral", "create_referral", "find_duplicates"]

FORM_ID = "referral"
PERSON_COLUMNS = ("given_name", "family_name", "birth_date", "expected_delivery", "nhs_number")


def _postcode(values: Mapping[str, Any]) -> str:
    raw = values.get("postcode")
    return tidy_postcode(raw) if isinstance(raw, str) else ""


def _address(values: Mapping[str, Any]) -> str:
    parts = (values.get(k) for k in ("address_line1", "address_line2", "town", "postcode"))
    return ", ".join(str(p).strip() for p in parts if isinstance(p, str) and p.strip())


def check_referral(values: Mapping[str, Any], policy: PolicyPack | None = None) -> ValidationResult:
    """Validate without saving (the GUI calls this to show problems beside the fields)."""
    return validate(get_form(FORM_ID), values, validation_context(policy))


def create_referral(
    session: Session,
    actor: Actor,
    values: Mapping[str, Any],
    *,
    confirmed_warnings: bool = False,
    family_id: int | None = None,
    policy: PolicyPack | None = None,
) -> Referral:
    """Store a referral as a new family (or on ``family_id``'s casefile).

    Raises :class:`ValidationFailed` when a rule blocks the save and :class:`NeedsConfirmation` when
    only warnings remain and the user has not confirmed them; in both cases nothing is written and the
    caller still holds what was typed.
    """
    require(actor, Permission.CREATE_REFERRAL)
    form = get_form(FORM_ID)
    result = validate(form, values, validation_context(policy))
    if not result.ok:
        raise ValidationFailed(result)
    if not confirmed_warnings:
        # an NHS number on another family's child is asked about like the form's own warnings
        held = nhs_numbers_held_elsewhere(session, result.values, family_id)
        if result.warnings or held:
            raise NeedsConfirmation(ValidationResult(result.values, [*result.problems, *held]))
    clean = result.values

    existing: list[Person] = []
    if family_id is not None:
        family = get_family(session, actor, family_id)
        existing = list(family.people)  # loaded before anything is added, so autoflush cannot mix them
        before = audit.snapshot(family)
    else:
        family = Family(
            reference=f"new-{uuid4().hex[:24]}", postcode=_postcode(clean), address=_address(clean)
        )
        session.add(family)
        session.flush()
        family.reference = f"EH-{family.id:06d}"
        before = None

    referral = Referral(
        family_id=family.id,
        form_version=form.version,
        policy_version=(policy or default_pack()).stamp,
        created_by=actor.id,
        **record_columns(FORM_ID, clean),  # the referral as received, people and agencies included
    )
    session.add(referral)
    session.flush()
    people: list[Person] = []
    agencies: list[AgencyInvolved] = []
    for table_name, columns in item_rows(FORM_ID, clean):
        if table_name == "people":
            person = Person(family_id=family.id, **columns)
            person.nhs_number = nhs_digits(person.nhs_number or "")  # one form, for the look-ups
            if not any(_same_person(person, known) for known in existing):
                people.append(person)  # someone already on this family's record is not added twice
        else:
            agencies.append(AgencyInvolved(referral_id=referral.id, family_id=family.id, **columns))
    session.add_all([*people, *agencies])

    everyone = [*existing, *people]
    family.display_name = display_name(everyone)
    family.search_text = build_search_text(family, everyone)
    session.flush()

    # one flush for every event of this referral, chained in this order (issue 18)
    events: list[audit.Entry] = [
        ("create" if before is None else "update", "family", family.id, before, audit.snapshot(family)),
        *(("create", "person", person.id, None, audit.snapshot(person)) for person in people),
        ("create", "referral", referral.id, None, audit.snapshot(referral)),
        *(("create", "agency_involved", a.id, None, audit.snapshot(a)) for a in agencies),
    ]
    audit.record_many(session, actor, events)
    return referral


def _same_person(new: Person, known: Person) -> bool:
    """The same child or carer keyed in again: same kind, same folded names and same birth date."""

    def key(p: Person) -> tuple[str, str, str, date | None]:
        return (p.kind, fold(p.given_name or ""), fold(p.family_name or ""), p.birth_date)

    return key(new) == key(known)
