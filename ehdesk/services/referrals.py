"""Keying in a referral: validate against the referral definition, warn about likely duplicates, store.

The storage mapping follows the definition: the whole referral as received goes to ``referrals.data``
(with the few values that are searched or enforced promoted to columns); each ``children``/``carers``
item also becomes a ``people`` row of the family (unless that person is already on its record), and each
``agencies_involved`` item an ``agencies_involved`` row. Nothing typed is dropped: a second referral
that repeats a known child keeps what it said about them in its own ``data``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import uuid4

from rapidfuzz import fuzz
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ehdesk.domain import PersonKind
from ehdesk.errors import NeedsConfirmation, ValidationFailed
from ehdesk.forms.model import ValidationResult
from ehdesk.forms.registry import get_form
from ehdesk.forms.validate import validate
from ehdesk.policy import PolicyPack, default_pack
from ehdesk.services import audit
from ehdesk.services.actor import Actor
from ehdesk.services.families import build_search_text, display_name, get_family
from ehdesk.services.permissions import Permission, require
from ehdesk.services.validation import validation_context
from ehdesk.storage.mapping import item_rows, record_columns
from ehdesk.storage.models import AgencyInvolved, Family, Person, Referral

FORM_ID = "referral"
PERSON_COLUMNS = ("given_name", "family_name", "birth_date", "expected_delivery", "nhs_number")
# Name similarity (0-100) that makes a likely duplicate: a shared birth date is strong evidence, so a
# misspelt name ("Eva Smyth" for "Ava Smith", 78) still counts; a shared postcode alone needs more.
DUPLICATE_THRESHOLD = 85.0
SAME_BIRTH_DATE_THRESHOLD = 70.0


def _iso_date(value: Any) -> date | None:
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _postcode(values: Mapping[str, Any]) -> str:
    raw = values.get("postcode")
    return " ".join(raw.upper().split()) if isinstance(raw, str) else ""


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
    if result.warnings and not confirmed_warnings:
        raise NeedsConfirmation(result)
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
            if not any(_same_person(person, known) for known in existing):
                people.append(person)  # someone already on this family's record is not added twice
        else:
            agencies.append(AgencyInvolved(referral_id=referral.id, family_id=family.id, **columns))
    session.add_all([*people, *agencies])

    everyone = [*existing, *people]
    family.display_name = display_name(everyone)
    family.search_text = build_search_text(family, everyone)
    session.flush()

    if before is None:
        audit.record(session, actor, "create", "family", family.id, after=audit.snapshot(family))
    else:
        audit.record(
            session, actor, "update", "family", family.id, before=before, after=audit.snapshot(family)
        )
    for person in people:
        audit.record(session, actor, "create", "person", person.id, after=audit.snapshot(person))
    audit.record(session, actor, "create", "referral", referral.id, after=audit.snapshot(referral))
    for agency in agencies:
        audit.record(session, actor, "create", "agency_involved", agency.id, after=audit.snapshot(agency))
    return referral


def _same_person(new: Person, known: Person) -> bool:
    """The same child or carer keyed in again: same kind, same names (any case) and same birth date."""

    def key(p: Person) -> tuple[str, str, str, date | None]:
        return (p.kind, p.given_name.casefold().strip(), p.family_name.casefold().strip(), p.birth_date)

    return key(new) == key(known)


@dataclass(frozen=True)
class DuplicateCandidate:
    family_id: int
    family_reference: str
    person_name: str
    birth_date: date | None
    postcode: str
    score: float
    reasons: tuple[str, ...]


def find_duplicates(
    session: Session, actor: Actor, values: Mapping[str, Any], *, limit: int = 10
) -> list[DuplicateCandidate]:
    """Children already on record who look like the ones being keyed in.

    Candidates share a birth date (or expected delivery date), or a postcode; among them, a name
    similarity (rapidfuzz token-sort ratio, so "Smith Ava" meets "Ava Smith") over the threshold makes a
    likely duplicate. The score adds weight for each matching detail so the best match sorts first.
    """
    require(actor, Permission.VIEW_FAMILIES)
    postcode = _postcode(values)
    found: dict[tuple[int, int], DuplicateCandidate] = {}
    for item in values.get("children") or []:
        if not isinstance(item, Mapping):
            continue
        name = f"{item.get('given_name') or ''} {item.get('family_name') or ''}".strip()
        born = _iso_date(_as_iso(item.get("birth_date")))
        due = _as_iso(item.get("expected_delivery"))
        if not name:
            continue
        filters = []
        if born is not None:
            filters.append(Person.birth_date == born)
        if _iso_date(due) is not None:
            filters.append(Person.expected_delivery == _iso_date(due))
        if postcode:
            filters.append(Family.postcode == postcode)
        if not filters:
            continue
        stmt = (
            select(Person, Family)
            .join(Family, Person.family_id == Family.id)
            .where(Person.kind == PersonKind.CHILD.value, or_(*filters))
            .limit(500)
        )
        for person, family in session.execute(stmt):
            other = f"{person.given_name} {person.family_name}".strip()
            similarity = fuzz.token_sort_ratio(name.lower(), other.lower())
            same_birth = born is not None and person.birth_date == born
            same_postcode = bool(postcode) and family.postcode == postcode
            if similarity < (SAME_BIRTH_DATE_THRESHOLD if same_birth else DUPLICATE_THRESHOLD):
                continue
            reasons = [f"name {similarity:.0f}% similar"]
            score = similarity
            if same_birth:
                reasons.append("same birth date")
                score += 20
            if same_postcode:
                reasons.append("same postcode")
                score += 10
            key = (family.id, person.id)
            found[key] = DuplicateCandidate(
                family.id, family.reference, other, person.birth_date, family.postcode, score, tuple(reasons)
            )
    return sorted(found.values(), key=lambda c: -c.score)[:limit]


def _as_iso(value: Any) -> str:
    """Accept what the form holds while typing (DD/MM/YYYY) as well as the stored ISO form."""
    if not isinstance(value, str):
        return ""
    text = value.strip()
    parts = text.split("/")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        day, month, year = parts
        return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    return text
