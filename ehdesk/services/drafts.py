"""Drafts: what a user has typed but not saved, so a crash or a kill loses at most a second or two.

Drafts are scratch space, not records: they are not audited (that would log every keystroke) and they
are deleted when the record is saved or the user discards them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ehdesk.clock import utcnow
from ehdesk.services.actor import Actor
from ehdesk.storage.models import Draft


@dataclass(frozen=True)
class DraftRow:
    form: str
    key: str
    data: dict[str, Any]
    updated_at: datetime


def _owner(actor: Actor) -> int:
    if actor.id is None:
        raise ValueError("drafts belong to a logged-in user")
    return actor.id


def save_draft(session: Session, actor: Actor, form: str, key: str, data: dict[str, Any]) -> None:
    user_id = _owner(actor)
    draft = session.scalar(
        select(Draft).where(Draft.user_id == user_id, Draft.form == form, Draft.key == key)
    )
    if draft is None:
        session.add(Draft(user_id=user_id, form=form, key=key, data=data))
    else:
        draft.data = data
        draft.updated_at = utcnow()
    session.flush()


def list_drafts(session: Session, actor: Actor) -> list[DraftRow]:
    stmt = select(Draft).where(Draft.user_id == _owner(actor)).order_by(Draft.updated_at.desc())
    return [DraftRow(d.form, d.key, dict(d.data), d.updated_at) for d in session.scalars(stmt)]


def discard_draft(session: Session, actor: Actor, form: str, key: str) -> None:
    session.execute(delete(Draft).where(Draft.user_id == _owner(actor), Draft.form == form, Draft.key == key))
