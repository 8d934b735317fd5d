"""Management decisions on a family's casefile (G19; for a decline, G21–G24).

Only managers decide. The decision is validated against the ``decision`` form, stored with the form and
policy-pack versions it was made under, and audited. Signing (a PAdES-signed PDF, then the record locks)
builds on this record in ``ehdesk.signing``; until a decision is signed it can still be corrected by its
author, with optimistic locking like every other record.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ehdesk.clock import utcnow
from ehdesk.errors import NotFound, PermissionDenied, ValidationFailed
from ehdesk.forms.registry import get_form
from ehdesk.forms.validate import validate
from ehdesk.policy import PolicyPack, default_pack
from ehdesk.services import audit
from ehdesk.services.actor import Actor
from ehdesk.services.families import get_family
from ehdesk.services.permissions import Permission, require
from ehdesk.services.records import expect_version, flush_or_conflict
from ehdesk.services.validation import validation_context
from ehdesk.storage.guards import ensure_unlocked
from ehdesk.storage.mapping import record_columns
from ehdesk.storage.models import Decision, Decline, Objection, Share

FORM_ID = "decision"


def record_decision(
    session: Session,
    actor: Actor,
    family_id: int,
    values: Mapping[str, Any],
    *,
    subject: str,
    subject_id: int | None = None,
    policy: PolicyPack | None = None,
) -> Decision:
    require(actor, Permission.DECIDE)
    family = get_family(session, actor, family_id)
    _check_subject(session, family.id, subject, subject_id)
    form = get_form(FORM_ID)
    result = validate(form, {**values, "subject": subject}, validation_context(policy))
    if not result.ok:
        raise ValidationFailed(result)
    decision = Decision(
        family_id=family.id,
        subject_id=subject_id,
        **record_columns(FORM_ID, result.values),
        form_version=form.version,
        policy_version=(policy or default_pack()).stamp,
        created_by=actor.id,
        decided_by=actor.id,
        decided_at=utcnow(),
    )
    session.add(decision)
    session.flush()
    audit.record(session, actor, "create", "decision", decision.id, after=audit.snapshot(decision))
    return decision


def amend_decision(
    session: Session,
    actor: Actor,
    decision_id: int,
    values: Mapping[str, Any],
    *,
    version: int,
    policy: PolicyPack | None = None,
) -> Decision:
    """Correct an unsigned decision. Only the manager who made it may; a signed one is locked
    (changes after signing are addenda)."""
    require(actor, Permission.DECIDE)
    decision = session.get(Decision, decision_id)
    if decision is None:
        raise NotFound(f"decision {decision_id} does not exist")
    get_family(session, actor, decision.family_id)
    if decision.decided_by != actor.id:
        raise PermissionDenied(
            f"decision {decision_id} was made by another manager; ask them to correct it, "
            "or record a decision of your own"
        )
    ensure_unlocked(decision)  # "signed" is the news, before any "changed by someone else"
    expect_version(decision, version)
    form = get_form(FORM_ID)
    result = validate(form, {**values, "subject": decision.subject}, validation_context(policy))
    if not result.ok:
        raise ValidationFailed(result)
    before = audit.snapshot(decision)
    decision.data = result.values
    decision.form_version = form.version
    decision.policy_version = (policy or default_pack()).stamp
    decision.decided_at = utcnow()
    flush_or_conflict(session, decision)
    audit.record(
        session, actor, "update", "decision", decision.id, before=before, after=audit.snapshot(decision)
    )
    return decision


SUBJECT_RECORDS: Mapping[str, type[Decline] | type[Objection] | type[Share]] = {
    "decline": Decline,
    "objection": Objection,
    "share": Share,
}


def _check_subject(session: Session, family_id: int, subject: str, subject_id: int | None) -> None:
    """A decision about a decline, objection or share must point at one of this family's own records."""
    if subject_id is None:
        return
    model = SUBJECT_RECORDS.get(subject)
    if model is None:
        raise NotFound(f"a decision about '{subject}' does not refer to a record; leave the record out")
    owner = session.scalar(select(model.family_id).where(model.id == subject_id))
    if owner != family_id:
        raise NotFound(f"this family has no {subject} record {subject_id}; pick one from its casefile")
