"""Closing Early Help after a decline (G22): who must be told, the letters, and when the family closes.

A decision about a family's decline lists everyone to be told that Early Help is closing; a contact may
already have been told (with the date) or still be to tell — a pending entry, never a made-up date. When
the decision is signed, the contacts are copied into ``closure_contacts`` (the decision is locked from
then on, so whether each has been told is kept beside it). Each gets a letter
(:mod:`ehdesk.documents.closure_letter`); marking a contact told records the date, and once every contact
of the family's current decision to close has been told, the family's status becomes closed.

An addendum to a decision to close has contacts of its own; anyone it lists who was already told under
the decision it amends keeps that date, so nobody is asked to tell an agency twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ehdesk.domain import FamilyStatus
from ehdesk.errors import EhdeskError, NotFound
from ehdesk.services import audit
from ehdesk.services.actor import Actor
from ehdesk.services.families import get_family
from ehdesk.services.permissions import Permission, require
from ehdesk.storage.models import Base, ClosureContact, Decision, Document, Family, User


@dataclass(frozen=True)
class ClosureLetter:
    """One person or agency to tell of the closure: whether (and when) they were told, and the letter."""

    position: int
    agency: str
    who: str
    told_on: date | None
    pdf: bytes
    #: The decision this contact belongs to: the newest signed addendum when the one asked for was
    #: amended, so a screen opened on the first decision marks contacts told on the one in force.
    decision_id: int = 0

    @property
    def pending(self) -> bool:
        return self.told_on is None


class ClosureRefused(EhdeskError):
    """A closure step asked for at the wrong moment (before signing, on a superseded decision …)."""


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _key(who: str, agency: str) -> tuple[str, str]:
    return (" ".join(who.lower().split()), " ".join(agency.lower().split()))


def _contacts(session: Session, decision_id: int) -> list[ClosureContact]:
    return list(
        session.scalars(
            select(ClosureContact)
            .where(ClosureContact.decision_id == decision_id)
            .order_by(ClosureContact.position)
        )
    )


def _snapshot(row: Any) -> dict[str, Any]:
    return audit.snapshot(cast(Base, row))


def open_contacts(session: Session, decision: Decision) -> list[audit.Entry]:
    """At signing: one row per closure contact of a decision about a decline; their audit entries."""
    if decision.subject != "decline":
        return []
    listed = (decision.data or {}).get("closure_contacts") or []
    told_before: dict[tuple[str, str], date] = {}
    if decision.amends_id is not None:
        for row in _contacts(session, decision.amends_id):
            if row.told_on is not None:
                told_before[_key(row.who, row.agency)] = row.told_on
    rows: list[ClosureContact] = []
    for position, item in enumerate(item for item in listed if isinstance(item, dict)):
        who, agency = str(item.get("who") or ""), str(item.get("agency") or "")
        told = _as_date(item.get("told_on")) or told_before.get(_key(who, agency))
        rows.append(
            ClosureContact(
                decision_id=decision.id,
                family_id=decision.family_id,
                position=position,
                who=who[:200],
                agency=agency[:200],
                told_on=told,
                told_by=decision.decided_by if told is not None else None,
            )
        )
    session.add_all(rows)
    session.flush()
    return [("create", "closure_contact", row.id, None, _snapshot(row)) for row in rows]


def superseded_by(session: Session, decision_id: int) -> int | None:
    """The signed addendum that replaced this decision, if any."""
    return session.scalar(
        select(Decision.id)
        .where(Decision.amends_id == decision_id, Decision.locked.is_(True))
        .order_by(Decision.id.desc())
        .limit(1)
    )


def current_decision(session: Session, decision_id: int) -> int:
    """The decision in force: ``decision_id`` itself, or the newest signed addendum down its chain."""
    seen = {decision_id}
    while (newer := superseded_by(session, decision_id)) is not None and newer not in seen:
        seen.add(newer)
        decision_id = newer
    return decision_id


def settle_family(session: Session, actor: Actor, decision: Decision) -> bool:
    """Close the family once every contact of its current decision to close was told; whether it did."""
    if decision.subject != "decline" or not decision.locked:
        return False
    if superseded_by(session, decision.id) is not None:
        return False
    pending = exists().where(ClosureContact.decision_id == decision.id, ClosureContact.told_on.is_(None))
    if session.scalar(select(pending)):
        return False
    family = session.get(Family, decision.family_id)
    if family is None or family.status == FamilyStatus.CLOSED:
        return False
    before = _snapshot(family)
    family.status = FamilyStatus.CLOSED.value
    session.flush()
    audit.record(session, actor, "update", "family", family.id, before=before, after=_snapshot(family))
    return True


def _signed_closure(session: Session, actor: Actor, decision_id: int) -> tuple[Decision, Family, Document]:
    decision = session.get(Decision, decision_id)
    if decision is None:
        raise NotFound(f"decision {decision_id} does not exist; pick one from the casefile")
    family = get_family(session, actor, decision.family_id)
    document = session.get(Document, decision.document_id) if decision.document_id else None
    if not decision.locked or document is None:
        raise ClosureRefused(
            f"decision {decision_id} is not signed yet; closure letters go out once the decision is signed"
        )
    return decision, family, document


def _name(session: Session, user_id: int | None) -> str:
    if user_id is None:
        return ""
    return session.scalar(select(User.full_name).where(User.id == user_id)) or ""


def closure_letters(session: Session, actor: Actor, decision_id: int, *, today: date) -> list[ClosureLetter]:
    """A letter for each person or agency to tell of the closure (empty for a decision not to close)."""
    require(actor, Permission.VIEW_FAMILIES)
    decision, family, document = _signed_closure(session, actor, current_decision(session, decision_id))
    if decision.subject != "decline":
        return []
    # the letters need reportlab and the authority cryptography: imported here, when a manager asks for
    # letters, not with this module, which the Desk imports on every start (issue 18)
    from ehdesk.documents.closure_letter import ClosureNotice, build_closure_letter
    from ehdesk.signing.authority import current_authority

    authority = current_authority(session)
    letters: list[ClosureLetter] = []
    for row in _contacts(session, decision.id):
        notice = ClosureNotice(
            who=row.who,
            agency=row.agency,
            family_name=family.display_name,
            family_reference=family.reference,
            decided_on=_as_date((decision.data or {}).get("decided_on")),
            decision_id=decision.id,
            signed_by=_name(session, document.signed_by),
            signed_on=document.signed_at.date() if document.signed_at else None,
            record_sha256=document.sha256,
            worker_name=_name(session, family.worker_id),
            authority_name=authority.name if authority is not None else "",
            policy_stamp=decision.policy_version,
            written_on=row.told_on or today,
        )
        letters.append(
            ClosureLetter(
                row.position, row.agency, row.who, row.told_on, build_closure_letter(notice), decision.id
            )
        )
    return letters


def mark_told(
    session: Session, actor: Actor, decision_id: int, position: int, told_on: date, *, today: date
) -> bool:
    """Record that contact ``position`` was told on ``told_on``; whether the family is now closed."""
    require(actor, Permission.RECORD_SHARING)
    decision, _family, _document = _signed_closure(session, actor, decision_id)
    newer = superseded_by(session, decision.id)
    if newer is not None:
        raise ClosureRefused(
            f"decision {decision_id} was amended by decision {newer}; mark contacts told on that one"
        )
    if told_on > today:
        raise ClosureRefused("the date told is in the future; enter the day they were actually told")
    decided_on = _as_date((decision.data or {}).get("decided_on"))
    if decided_on is not None and told_on < decided_on:
        raise ClosureRefused(
            f"the closure was decided on {decided_on:%d %B %Y}; a contact cannot be told of it before then"
        )
    row = session.scalar(
        select(ClosureContact).where(
            ClosureContact.decision_id == decision.id, ClosureContact.position == position
        )
    )
    if row is None:
        raise NotFound(f"decision {decision_id} has no closure contact {position}; pick one from its list")
    before = _snapshot(row)
    row.told_on = told_on
    row.told_by = actor.id
    session.flush()
    audit.record(session, actor, "update", "closure_contact", row.id, before=before, after=_snapshot(row))
    return settle_family(session, actor, decision)
