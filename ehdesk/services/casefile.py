"""The generic record service: create, amend, read and list any casefile form's records.

Every casefile form (share, objection, decline, privacy notice, decision …) goes through the same steps,
so they live here once: permission (the spec's), allocation (``get_family``: a worker acts only on their
families), validation against the form's definition (rules with their guidance IDs), warnings that need
confirming, storage through the form's storage map, the policy pack's stamp (G25), optimistic locking,
the lock guard (a signed record refuses change) and one audit event per change. A form's specifics are
hooks on its :class:`~ehdesk.services.specs.RecordSpec`.

The policy pack is required: the caller (the :class:`~ehdesk.desk.Desk` facade) owns the one the user
works under, so a record can never be stamped with a pack other than the one whose words were shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from ehdesk.domain import PersonKind
from ehdesk.errors import NeedsConfirmation, NotFound, PermissionDenied, ValidationFailed
from ehdesk.forms.model import ValidationResult
from ehdesk.forms.validate import validate
from ehdesk.policy import PolicyPack
from ehdesk.services import audit
from ehdesk.services.actor import Actor
from ehdesk.services.families import get_family, person_label
from ehdesk.services.permissions import require
from ehdesk.services.records import expect_version, flush_or_conflict
from ehdesk.services.specs import RecordSpec
from ehdesk.services.validation import validation_context
from ehdesk.storage.guards import ensure_unlocked
from ehdesk.storage.mapping import promoted
from ehdesk.storage.models import Base, Family, FamilyRecord, Person, User


@dataclass(frozen=True)
class RecordView:
    """One casefile record as plain data, safe to hold after its session closed."""

    form_id: str
    id: int
    family_id: int
    version: int
    values: Mapping[str, Any]
    created_by: str
    created_by_id: int | None
    created_at: datetime
    policy_version: str
    locked: bool


def person_name(person: Person) -> str:
    return person_label(
        person.kind, person.given_name, person.family_name, person.birth_date, person.expected_delivery
    )


def people_keys(family: Family) -> dict[str, str]:
    """The family's people by the key a person field holds (their id as text), with their names: the
    choices of a form page's person picker."""
    return {str(p.id): person_name(p) for p in family.people}


def adult_keys(family: Family) -> frozenset[str]:
    """The keys of the family's parents and carers: the only people an adults-only picker offers
    (who declined Early Help, G20)."""
    return frozenset(str(p.id) for p in family.people if p.kind == PersonKind.CARER)


def _context(session: Session, spec: RecordSpec, family: Family, policy: PolicyPack) -> Any:
    """Every form is checked against the family's own people, so a person field cannot name someone
    outside the family nor, where the field is adults-only, a child."""
    extra = dict(spec.context(session, family)) if spec.context else {}
    return validation_context(policy, people=people_keys(family), adults=adult_keys(family), **extra)


def _values(spec: RecordSpec, values: Mapping[str, Any], carried: Mapping[str, Any]) -> dict[str, Any]:
    """What the rules see: the form's values plus what the caller carries beside them (a decision's
    subject), so a rule about the subject cannot be dodged by leaving it out of the form."""
    return {**values, **{name: carried[name] for name in spec.carried if name in carried}}


def check(
    session: Session,
    actor: Actor,
    spec: RecordSpec,
    family_id: int,
    values: Mapping[str, Any],
    *,
    policy: PolicyPack,
    carried: Mapping[str, Any] | None = None,
) -> ValidationResult:
    """Validate without saving, in the family's context (the form page shows problems as typed)."""
    require(actor, spec.permission)
    family = get_family(session, actor, family_id)
    return validate(
        spec.definition, _values(spec, values, carried or {}), _context(session, spec, family, policy)
    )


def _validated(
    session: Session,
    spec: RecordSpec,
    family: Family,
    values: Mapping[str, Any],
    *,
    policy: PolicyPack,
    carried: Mapping[str, Any],
    confirmed_warnings: bool,
) -> dict[str, Any]:
    result = validate(
        spec.definition, _values(spec, values, carried), _context(session, spec, family, policy)
    )
    if not result.ok:
        raise ValidationFailed(result)
    if result.warnings and not confirmed_warnings:
        raise NeedsConfirmation(result)
    return dict(result.values)


def create(
    session: Session,
    actor: Actor,
    spec: RecordSpec,
    family_id: int,
    values: Mapping[str, Any],
    *,
    policy: PolicyPack,
    carried: Mapping[str, Any] | None = None,
    confirmed_warnings: bool = False,
    audit_into: list[audit.Entry] | None = None,
) -> FamilyRecord:
    """Store a new record of ``spec``'s form on the family's casefile. Nothing is written when a rule
    refuses it (:class:`ValidationFailed`) or warnings wait for confirmation (:class:`NeedsConfirmation`).

    With ``audit_into`` the audit event is added to that list instead of written, for a caller that
    appends several records' events at once with :func:`ehdesk.services.audit.append_many` (a shared
    pack: its event, stored PDF and casenote, for one family or for each of a batch's families that
    :func:`ehdesk.services.packs.record_packs_shared` writes on its own)."""
    require(actor, spec.permission)
    family = get_family(session, actor, family_id)
    carried = carried or {}
    if spec.check_carried is not None:
        spec.check_carried(session, family, carried)
    clean = _validated(
        session, spec, family, values, policy=policy, carried=carried, confirmed_warnings=confirmed_warnings
    )
    record = spec.model()
    columns = {
        "family_id": family.id,
        "form_version": spec.definition.version,
        "policy_version": policy.stamp,
        "created_by": actor.id,
        **_columns(spec, clean),
    }
    for name, value in columns.items():
        setattr(record, name, value)
    if spec.before_store is not None:
        spec.before_store(session, actor, family, record, {**carried, **clean})
    session.add(record)
    session.flush()
    if audit_into is not None:
        audit_into.append(("create", spec.entity, record.id, None, _snapshot(record)))
    else:
        audit.record(session, actor, "create", spec.entity, record.id, after=_snapshot(record))
    return record


def _load(session: Session, actor: Actor, spec: RecordSpec, record_id: int) -> tuple[FamilyRecord, Family]:
    record = session.get(spec.model, record_id)
    if record is None:
        raise NotFound(f"{spec.title.lower()} {record_id} does not exist; it may have been removed")
    family = get_family(session, actor, record.family_id)
    return record, family


def amend(
    session: Session,
    actor: Actor,
    spec: RecordSpec,
    record_id: int,
    values: Mapping[str, Any],
    *,
    version: int,
    policy: PolicyPack,
    carried: Mapping[str, Any] | None = None,
    confirmed_warnings: bool = False,
) -> FamilyRecord:
    """Correct a record. Only its author may (others add a record of their own); a signed record is
    locked and refuses (changes after signing are addenda); ``version`` is the one the user opened."""
    require(actor, spec.permission)
    record, family = _load(session, actor, spec, record_id)
    if spec.author_amends and record.created_by != actor.id:
        raise PermissionDenied(f"{spec.title.lower()} {record_id} {spec.others_amend}")
    ensure_unlocked(record)  # "signed" is the news, before any "changed by someone else"
    expect_version(record, version)
    carried = {**_carried_of(spec, record), **(carried or {})}
    if spec.check_carried is not None:
        spec.check_carried(session, family, carried)
    clean = _validated(
        session, spec, family, values, policy=policy, carried=carried, confirmed_warnings=confirmed_warnings
    )
    before = _snapshot(record)
    for name, value in _columns(spec, clean).items():
        setattr(record, name, value)
    record.form_version = spec.definition.version
    record.policy_version = policy.stamp
    if spec.before_store is not None:
        spec.before_store(session, actor, family, record, {**carried, **clean})
    flush_or_conflict(session, record)
    audit.record(session, actor, "update", spec.entity, record.id, before=before, after=_snapshot(record))
    return record


def _columns(spec: RecordSpec, clean: Mapping[str, Any]) -> dict[str, Any]:
    """The record row's promoted columns and the whole record as ``data`` (see ehdesk.storage.mapping)."""
    storage = spec.storage
    return {**promoted(storage.table, storage.columns, clean), "data": dict(clean)}


def _snapshot(record: FamilyRecord) -> dict[str, Any]:
    return audit.snapshot(cast(Base, record))


def _carried_of(spec: RecordSpec, record: FamilyRecord) -> dict[str, Any]:
    return {name: getattr(record, name) for name in spec.carried if hasattr(record, name)}


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.full_name).where(User.id.in_(wanted)))
    return {user_id: name for user_id, name in rows}


def _view(spec: RecordSpec, record: FamilyRecord, names: Mapping[int, str]) -> RecordView:
    author = names.get(record.created_by, "") if record.created_by is not None else ""
    return RecordView(
        form_id=spec.form_id,
        id=record.id,
        family_id=record.family_id,
        version=record.version,
        values=dict(record.data),
        created_by=author,
        created_by_id=record.created_by,
        created_at=record.created_at,
        policy_version=record.policy_version,
        locked=bool(record.locked),
    )


def get(session: Session, actor: Actor, spec: RecordSpec, record_id: int) -> RecordView:
    """One record, read-only, for someone who may see its family."""
    record, _family = _load(session, actor, spec, record_id)
    return _view(spec, record, _names(session, {record.created_by}))


def list_for_family(session: Session, actor: Actor, spec: RecordSpec, family_id: int) -> list[RecordView]:
    """A family's records of one form, newest first."""
    family = get_family(session, actor, family_id)
    records = list(
        session.scalars(
            select(spec.model).where(spec.model.family_id == family.id).order_by(spec.model.id.desc())
        )
    )
    names = _names(session, {r.created_by for r in records})
    return [_view(spec, r, names) for r in records]
