"""Keying in a referral: validate against the referral definition, warn about likely duplicates, store.

The storage mapping follows the definition: the whole referral as received goes to ``referrals.data``
(with the few values that are searched or enforced promoted to columns); each ``children``/``carers``
item also becomes a ``people`` row of the family (unless that person is already on its record), and each
``agencies_involved`` item an ``agencies_involved`` row. Nothing typed is dropped: a second referral
that repeats a known child keeps what it said about them in its own ``data``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from ehdesk.errors import NeedsConfirmation, NotFound, ValidationFailed
from ehdesk.forms.model import FormDefinition, ValidationResult
from ehdesk.forms.registry import get_form
from ehdesk.forms.validate import validate
from ehdesk.policy import PolicyPack
from ehdesk.services import audit
from ehdesk.services.actor import Actor
from ehdesk.services.duplicates import DuplicateCandidate, find_duplicates, nhs_numbers_held_elsewhere
from ehdesk.services.families import build_search_text, display_name, get_family
from ehdesk.services.permissions import Permission, require
from ehdesk.services.validation import validation_context
from ehdesk.storage.lookup_keys import name_key
from ehdesk.storage.mapping import item_rows, record_columns
from ehdesk.storage.models import AgencyInvolved, Family, Person, Referral
from ehdesk.text import nhs_digits, tidy_postcode

# the duplicate check lived here; callers that import it from this module keep working
__all__ = [
    "DuplicateCandidate",
    "check_referral",
    "create_referral",
    "create_referrals",
    "find_duplicates",
]

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
    policy: PolicyPack,
) -> Referral:
    """Store a referral as a new family (or on ``family_id``'s casefile).

    Raises :class:`ValidationFailed` when a rule blocks the save and :class:`NeedsConfirmation` when
    only warnings remain and the user has not confirmed them; in both cases nothing is written and the
    caller still holds what was typed. ``policy`` is the pack the user works under (the Desk passes its
    own): the record is stamped with it (G25), so it is required rather than guessed.
    """
    require(actor, Permission.CREATE_REFERRAL)
    form = get_form(FORM_ID)
    clean = _checked(session, values, confirmed_warnings, family_id, policy)
    if family_id is None:
        return _store(session, actor, form, policy, [_new_family(session, [clean])[0]])[0]
    family = get_family(session, actor, family_id)
    existing = list(family.people)  # loaded before anything is added, so autoflush cannot mix them
    return _store(session, actor, form, policy, [(clean, family, existing, audit.snapshot(family))])[0]


def referral_values(session: Session, actor: Actor, referral_id: int) -> dict[str, Any]:
    """A stored referral's values as keyed, for someone who may see its family (the casefile shows it
    read-only in the referral form)."""
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise NotFound(f"referral {referral_id} does not exist; reload the casefile")
    get_family(session, actor, referral.family_id)
    return dict(referral.data or {})


def create_referrals(
    session: Session,
    actor: Actor,
    many: Sequence[Mapping[str, Any]],
    *,
    confirmed_warnings: bool = False,
    policy: PolicyPack,
) -> list[Referral]:
    """Store several referrals, each as a new family, in the caller's transaction (``ehdesk demo``).

    Each is checked exactly as :func:`create_referral` checks one (the first that fails raises and
    nothing is written), and the events are chained in the same order as storing them one by one;
    but the rows of all of them are written in two flushes rather than four per referral, which is
    what makes a demo database quick to fill (issue 18). The NHS-number warning looks only at families
    stored before this call.
    """
    require(actor, Permission.CREATE_REFERRAL)
    form = get_form(FORM_ID)
    cleans = [_checked(session, values, confirmed_warnings, None, policy) for values in many]
    return _store(session, actor, form, policy, _new_family(session, cleans)) if cleans else []


def _checked(
    session: Session,
    values: Mapping[str, Any],
    confirmed_warnings: bool,
    family_id: int | None,
    policy: PolicyPack,
) -> dict[str, Any]:
    """The cleaned values, or the exception that says why they cannot be stored as they are."""
    result = validate(get_form(FORM_ID), values, validation_context(policy))
    if not result.ok:
        raise ValidationFailed(result)
    if not confirmed_warnings:
        # an NHS number on another family's child is asked about like the form's own warnings
        held = nhs_numbers_held_elsewhere(session, result.values, family_id)
        if result.warnings or held:
            raise NeedsConfirmation(ValidationResult(result.values, [*result.problems, *held]))
    return dict(result.values)


_Target = tuple[dict[str, Any], Family, list[Person], dict[str, Any] | None]
"""What :func:`_store` needs per referral: cleaned values, the family, its people already on record,
and the family's snapshot before (None for a new family)."""


def _new_family(session: Session, cleans: list[dict[str, Any]]) -> list[_Target]:
    """A family for each referral, its id (and so its reference) taken before it is written, so each
    family row is inserted once, complete, with the referral's own flush: no insert-then-update of
    every family, its search index and its version (issue 18)."""
    families = [
        Family(id=family_id, reference=f"EH-{family_id:06d}", postcode=_postcode(c), address=_address(c))
        for family_id, c in zip(_family_ids(session, len(cleans)), cleans, strict=True)
    ]
    session.add_all(families)
    return [(clean, family, [], None) for clean, family in zip(cleans, families, strict=True)]


def _family_ids(session: Session, count: int) -> list[int]:
    """Ids for ``count`` new families (see :func:`_new_ids`)."""
    return _new_ids(session, Family, count)


def _new_ids(
    session: Session, model: type[Family | Person | Referral | AgencyInvolved], count: int
) -> list[int]:
    """Ids for ``count`` new rows of ``model``'s table. PostgreSQL hands them out from the table's own
    sequence (safe with other writers); on SQLite the unit of work already holds the write lock (BEGIN
    IMMEDIATE, see ehdesk.storage.database), so the next ids after the largest are the ones SQLite
    would choose. Rows whose ids are known are inserted by one statement executed for many rows, with
    no RETURNING (issue 18: psycopg re-parses a long many-row INSERT … RETURNING on every batch)."""
    if count == 0:
        return []
    table = model.__tablename__
    if session.get_bind().dialect.name == "postgresql":
        taken = session.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
            {"table": table, "n": count},
        )
        return [int(row_id) for row_id in taken]
    top = session.scalar(select(func.max(model.id))) or 0
    return list(range(top + 1, top + 1 + count))


def _number(
    session: Session,
    model: type[Referral | Person | AgencyInvolved],
    rows: Sequence[Referral | Person | AgencyInvolved],
) -> None:
    """Give ``rows`` (new rows of ``model``, in the order they are to be stored) their ids."""
    for row, row_id in zip(rows, _new_ids(session, model, len(rows)), strict=True):
        row.id = row_id


def _store(
    session: Session, actor: Actor, form: FormDefinition, policy: PolicyPack, targets: list[_Target]
) -> list[Referral]:
    stamp = policy.stamp  # required: a record names the pack it was stored under (G25), never a guess
    stored: list[tuple[Family, list[Person], Referral, list[AgencyInvolved]]] = []
    for clean, family, existing, _before in targets:
        referral = Referral(
            family_id=family.id,
            form_version=form.version,
            policy_version=stamp,
            created_by=actor.id,
            **record_columns(FORM_ID, clean),  # the referral as received, people and agencies included
        )
        people: list[Person] = []
        agencies: list[AgencyInvolved] = []
        for table_name, columns in item_rows(FORM_ID, clean):
            if table_name == "people":
                person = Person(family_id=family.id, **columns)
                person.nhs_number = nhs_digits(person.nhs_number or "")  # one form, for the look-ups
                if not any(_same_person(person, known) for known in existing):
                    people.append(person)  # someone already on this family's record is not added twice
            else:
                # linked through the relationship, so the referral's id is filled in by the same flush
                agencies.append(AgencyInvolved(referral=referral, family_id=family.id, **columns))
        session.add_all([referral, *people, *agencies])
        everyone = [*existing, *people]
        family.display_name = display_name(everyone)
        family.search_text = build_search_text(family, everyone)
        stored.append((family, people, referral, agencies))
    # ids up front, in the order storing them one by one would give, then one flush for the families,
    # referrals, people and agencies: each table one INSERT run for many rows (issue 18)
    with session.no_autoflush:  # the rows added above must not be flushed before their ids are set
        _number(session, Referral, [referral for _f, _p, referral, _a in stored])
        _number(session, Person, [person for _f, people, _r, _a in stored for person in people])
        _number(session, AgencyInvolved, [agency for _f, _p, _r, agencies in stored for agency in agencies])
    session.flush()

    # one flush for every event, chained in the order storing them one by one would give (issue 18)
    events: list[audit.Entry] = []
    for (_clean, _family, _existing, before), (family, people, referral, agencies) in zip(
        targets, stored, strict=True
    ):
        events += [
            ("create" if before is None else "update", "family", family.id, before, audit.snapshot(family)),
            *(("create", "person", person.id, None, audit.snapshot(person)) for person in people),
            ("create", "referral", referral.id, None, audit.snapshot(referral)),
            *(("create", "agency_involved", a.id, None, audit.snapshot(a)) for a in agencies),
        ]
    audit.append_many(session, actor, events)
    return [referral for _family, _people, referral, _agencies in stored]


def _same_person(new: Person, known: Person) -> bool:
    """The same child or carer keyed in again: same kind, same birth date (or expected delivery for
    an unborn baby), and the same name as the duplicate matcher keys it (:func:`name_key`): accents,
    case, hyphens and a dropped middle name do not make a second person ("Zoe Kowalczyk Nowak" is
    "Zoë Anna Kowalczyk-Nowak"). The new referral still keeps its own spelling in its ``data``."""

    def key(p: Person) -> tuple[str, str, date | None]:
        day = p.birth_date if p.birth_date is not None else p.expected_delivery
        return (p.kind, name_key(p.given_name or "", p.family_name or ""), day)

    return key(new) == key(known)
