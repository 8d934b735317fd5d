"""One entry per casefile form: everything the generic record service needs to know about it.

Adding a form to a family's casefile is data, not code: a definition module in ``ehdesk/forms/definitions``,
its storage map in ``ehdesk/storage/mapping.py`` (and a table if it needs one), and one :class:`RecordSpec`
here. The generic service (:mod:`ehdesk.services.casefile`) then validates, checks permission and
allocation, stores, locks optimistically, audits and lists records of that form; the generic Qt page
(``ehdesk.gui.record_page``) shows it. What is special about a form (a decision names its subject, a
share is checked against the family's objection register) is a hook on its spec, not a fork of the service.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ehdesk.errors import NotFound
from ehdesk.forms.model import FormDefinition
from ehdesk.forms.registry import get_form
from ehdesk.services.actor import Actor
from ehdesk.services.permissions import Permission
from ehdesk.storage.mapping import MAPS, StorageMap
from ehdesk.storage.models import (
    Decision,
    Decline,
    Family,
    FamilyRecord,
    Objection,
    PrivacyNoticeEvent,
    Share,
)

#: Extra validation-context values a form needs from the family's record (keyword arguments of
#: :func:`ehdesk.services.validation.validation_context`).
ContextHook = Callable[[Session, Family], Mapping[str, Any]]
#: Called with the new (or amended) record before it is flushed: set columns the form does not hold,
#: refuse what the form's rules cannot see (e.g. a decision's subject belongs to another family).
StoreHook = Callable[[Session, Actor, Family, FamilyRecord, Mapping[str, Any]], None]
#: Called with what the caller carries beside the form, before the form is validated: refuse a carried
#: value that points outside the family (the answers mean nothing about the wrong record).
CarriedCheck = Callable[[Session, Family, Mapping[str, Any]], None]


@dataclass(frozen=True)
class RecordSpec:
    """A casefile form: its definition, where it is stored, who may write it and how it is audited."""

    definition: FormDefinition
    storage: StorageMap
    model: type[FamilyRecord]
    permission: Permission
    entity: str
    #: Whether only the record's author may amend it (every casefile record today: what a worker wrote
    #: about a conversation is theirs to correct; others add their own record).
    author_amends: bool = True
    context: ContextHook | None = None
    before_store: StoreHook | None = None
    #: Values the caller passes beside the form (e.g. a decision's subject) that the rules must see.
    carried: tuple[str, ...] = field(default_factory=tuple)
    check_carried: CarriedCheck | None = None
    #: What someone other than the author is told when they try to amend (what to do instead).
    others_amend: str = "was written by someone else; ask them to correct it, or add a record of your own"

    @property
    def form_id(self) -> str:
        return self.definition.id

    @property
    def title(self) -> str:
        return self.definition.title


def objected_agencies(session: Session, family: Family) -> Mapping[str, Any]:
    """The family's objection register (G8): a share with one of these agencies needs a justification."""
    agencies = session.scalars(
        select(Objection.agency).where(Objection.family_id == family.id, Objection.withdrawn.is_(False))
    )
    return {"objected_agencies": frozenset(a for a in agencies if a)}


def share_context(session: Session, family: Family) -> Mapping[str, Any]:
    """A share is checked against the objection register (G8) and the data items the family's record
    actually holds (G7: a share cannot claim an item ehdesk does not have)."""
    from ehdesk.services.sharing import share_context as held

    return {**objected_agencies(session, family), **held(session, family)}


SUBJECT_RECORDS: Mapping[str, type[FamilyRecord]] = MappingProxyType(
    {"decline": Decline, "objection": Objection, "share": Share}
)


def decision_subject(session: Session, family: Family, carried: Mapping[str, Any]) -> None:
    """A decision about a decline, objection or share may name one of this family's own records (G19)."""
    subject, subject_id = carried.get("subject"), carried.get("subject_id")
    if subject_id is None:
        return
    model = SUBJECT_RECORDS.get(str(subject))
    if model is None:
        raise NotFound(f"a decision about '{subject}' does not refer to a record; leave the record out")
    owner = session.scalar(select(model.family_id).where(model.id == subject_id))
    if owner != family.id:
        raise NotFound(f"this family has no {subject} record {subject_id}; pick one from its casefile")


def decision_made(
    session: Session, actor: Actor, family: Family, record: FamilyRecord, values: Mapping[str, Any]
) -> None:
    """A decision records who decided and when, and the record it is about (checked beforehand)."""
    from ehdesk.clock import utcnow

    assert isinstance(record, Decision)
    if values.get("subject_id") is not None:
        record.subject_id = int(values["subject_id"])
    record.decided_by = actor.id
    record.decided_at = utcnow()


def _form(form_id: str) -> tuple[FormDefinition, StorageMap]:
    return get_form(form_id), MAPS[form_id]


SPECS: Mapping[str, RecordSpec] = MappingProxyType(
    {
        spec.form_id: spec
        for spec in (
            RecordSpec(*_form("share"), Share, Permission.RECORD_SHARING, "share", context=share_context),
            RecordSpec(*_form("objection"), Objection, Permission.RECORD_SHARING, "objection"),
            RecordSpec(*_form("decline"), Decline, Permission.RECORD_SHARING, "decline"),
            RecordSpec(
                *_form("privacy_notice"),
                PrivacyNoticeEvent,
                Permission.SHARE_PRIVACY_NOTICE,
                "privacy_notice_event",
            ),
            RecordSpec(
                *_form("decision"),
                Decision,
                Permission.DECIDE,
                "decision",
                before_store=decision_made,
                carried=("subject",),
                check_carried=decision_subject,
                others_amend="was made by another manager; ask them to correct it, "
                "or record a decision of your own",
            ),
        )
    }
)


def get_spec(form_id: str, specs: Mapping[str, RecordSpec] = SPECS) -> RecordSpec:
    try:
        return specs[form_id]
    except KeyError:
        known = ", ".join(specs)
        raise NotFound(f"'{form_id}' is not a casefile form; the casefile forms are {known}") from None
