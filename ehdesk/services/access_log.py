"""The access log: who opened which family's record, and when (G7, G15: need to know, kept provable).

Case systems keep such a log so that looking at a child's record without a reason can be found later.
A view is recorded when a record is *opened* (:func:`open_family`), in the same unit of work that reads
it: if the log cannot be written the record is not shown. Search result rows are not recorded, so
searching costs what it did. Only managers read the log; workers and admins cannot, since the log itself
says which families a person has an interest in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ehdesk.clock import utcnow
from ehdesk.errors import NotFound
from ehdesk.services.actor import Actor
from ehdesk.services.families import get_family
from ehdesk.services.permissions import Permission, require
from ehdesk.storage.models import Family, FamilyView, User


@dataclass(frozen=True)
class ViewRow:
    """One entry of the access log, copied out of the session that loaded it."""

    viewed_at: datetime
    username: str
    full_name: str
    family_reference: str


def record_view(session: Session, actor: Actor, family: Family) -> None:
    """Add one line to the log for ``actor`` opening ``family`` (the caller has checked access)."""
    if actor.id is None:
        return  # set-up work before any user exists opens no family records
    session.add(FamilyView(family_id=family.id, user_id=actor.id, viewed_at=utcnow()))
    session.flush()


def open_family(session: Session, actor: Actor, family_id: int) -> Family:
    """A family's record for reading by a person, with the opening logged: the door every "show me
    this family" screen or command goes through (services acting on a family use ``get_family``)."""
    family = get_family(session, actor, family_id)
    record_view(session, actor, family)
    return family


def family_by_reference(session: Session, reference: str) -> Family:
    family = session.scalar(select(Family).where(Family.reference == reference.strip().upper()))
    if family is None:
        family = session.scalar(select(Family).where(Family.reference == reference.strip()))
    if family is None:
        raise NotFound(f"no family has the reference {reference!r}; check it against the family's record")
    return family


def views_of_family(session: Session, actor: Actor, reference: str, *, limit: int = 500) -> list[ViewRow]:
    """Who opened the family with ``reference``, newest first. Managers only."""
    require(actor, Permission.VIEW_ACCESS_LOG)
    family = family_by_reference(session, reference)
    stmt = (
        select(FamilyView.viewed_at, User.username, User.full_name)
        .join(User, User.id == FamilyView.user_id)
        .where(FamilyView.family_id == family.id)
        .order_by(FamilyView.viewed_at.desc(), FamilyView.id.desc())
        .limit(limit)
    )
    return [
        ViewRow(viewed_at=at, username=username, full_name=full_name, family_reference=family.reference)
        for at, username, full_name in session.execute(stmt)
    ]
