"""The manager's decision queue: what waits for a management decision, oldest first (G19, G20, G8, G10).

Three kinds of record wait for a manager:

* a family's **decline** of Early Help (G20): the worker has taken it to their line manager, whose
  direction on case progression (G21–G24) is the decision;
* an **objection** to sharing with an agency (G8, G17) still in force: how to proceed is a manager's call;
* a **share** made without telling the family in advance, under one of G10's exceptions.

A record leaves the queue once a decision names it as its subject (``decisions.subject`` and
``subject_id``), so the queue is a query over the casefile, never a second list kept in step by hand.
Pages are fetched by keyset (:class:`QueueCursor`: the last entry's time, kind and id) so a lazy view
can scroll a long queue without the database counting past rows it has already shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.orm import Session

from ehdesk.errors import EhdeskError
from ehdesk.forms.model import Choice, MultiChoice
from ehdesk.forms.registry import get_form
from ehdesk.services.actor import Actor
from ehdesk.services.permissions import Permission, require
from ehdesk.storage.models import Decision, Decline, Family, FamilyRecord, Objection, Share, User

#: The kinds of entry, in the order ties on time are broken.
KINDS: tuple[str, ...] = ("decline", "objection", "share")
KIND_LABELS: Mapping[str, str] = {
    "decline": "Family declined Early Help",
    "objection": "Objection to sharing",
    "share": "Shared without telling the family (G10 exception)",
}
_MODELS: Mapping[str, type[FamilyRecord]] = {"decline": Decline, "objection": Objection, "share": Share}
SUMMARY_LENGTH = 160
MAX_PAGE = 1000


class UnknownQueueKind(EhdeskError):
    """A filter named a kind of queue entry that does not exist."""


@dataclass(frozen=True)
class QueueCursor:
    """Where a page ended: pass the last entry's cursor to get the entries after it."""

    raised_at: datetime
    kind: str
    record_id: int


@dataclass(frozen=True)
class QueueEntry:
    """One record awaiting a decision, as plain data for a list or table."""

    kind: str
    record_id: int
    family_id: int
    family_reference: str
    family_name: str
    worker_name: str
    raised_at: datetime
    age_days: int
    summary: str

    @property
    def cursor(self) -> QueueCursor:
        return QueueCursor(self.raised_at, self.kind, self.record_id)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def aware(moment: datetime) -> datetime:
    """A stored time as an aware UTC time (SQLite hands back naive UTC, PostgreSQL aware)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def undecided(kind: str, model: type[FamilyRecord]) -> Any:
    """No decision names this record as its subject."""
    return ~exists().where(Decision.subject == kind, Decision.subject_id == model.id)


def _awaiting(kind: str) -> Any:
    model = _MODELS[kind]
    conditions = [undecided(kind, model)]
    if model is Objection:
        conditions.append(Objection.withdrawn.is_(False))
    if model is Share:  # not told in advance: one of G10's exceptions was relied on
        conditions.append(Share.data["informed_in_advance"].as_boolean().is_(False))
    return and_(*conditions)


def _after(kind: str, model: type[FamilyRecord], cursor: QueueCursor) -> Any:
    """Strictly after ``cursor`` in (time, kind, id) order, for rows of one kind."""
    moment = aware(cursor.raised_at)
    if kind < cursor.kind:
        return model.created_at > moment
    if kind > cursor.kind:
        return model.created_at >= moment
    return or_(model.created_at > moment, and_(model.created_at == moment, model.id > cursor.record_id))


def _query(
    kind: str, worker_id: int | None, after: QueueCursor | None, limit: int
) -> Select[FamilyRecord, str, str, str | None]:
    model = _MODELS[kind]
    query = (
        select(model, Family.reference, Family.display_name, User.full_name)
        .join(Family, Family.id == model.family_id)
        .outerjoin(User, User.id == model.created_by)
        .where(_awaiting(kind))
    )
    if worker_id is not None:
        query = query.where(model.created_by == worker_id)
    if after is not None:
        query = query.where(_after(kind, model, after))
    return query.order_by(model.created_at, model.id).limit(limit)


def _clip(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SUMMARY_LENGTH else flat[: SUMMARY_LENGTH - 1].rstrip() + "…"


def _labels(form_id: str, name: str, value: Any) -> str:
    field = get_form(form_id).field(name)
    items = value if isinstance(value, list) else [value] if value else []
    if isinstance(field, Choice | MultiChoice):
        return "; ".join(field.choices.label_for(str(item)) for item in items)
    return "; ".join(str(item) for item in items)


def summary(kind: str, data: Mapping[str, Any]) -> str:
    """A line saying what the entry is about, from the record's own answers."""
    if kind == "decline":
        text = f"Declined: {data.get('reasons') or '(no reasons recorded)'}"
    elif kind == "objection":
        text = f"{data.get('agency') or 'An agency'}: {data.get('family_reasons') or ''}"
    else:
        why = _labels("share", "exceptions", data.get("exceptions")) or "no exception chosen"
        text = f"Shared with {data.get('agency') or 'an agency'} without telling the family: {why}"
    return _clip(text)


def decision_queue(
    session: Session,
    actor: Actor,
    *,
    today: date,
    kind: str | None = None,
    worker_id: int | None = None,
    limit: int = 200,
    after: QueueCursor | None = None,
) -> list[QueueEntry]:
    """Up to ``limit`` entries awaiting a decision, oldest first, after ``after`` (managers only).

    ``kind`` keeps one kind of entry; ``worker_id`` keeps those raised by one worker.
    """
    require(actor, Permission.DECIDE)
    if kind is not None and kind not in _MODELS:
        raise UnknownQueueKind(f"'{kind}' is not a kind of queue entry; choose one of {', '.join(KINDS)}")
    limit = max(1, min(limit, MAX_PAGE))
    kinds: Sequence[str] = (kind,) if kind is not None else KINDS
    entries: list[QueueEntry] = []
    for name in kinds:
        for record, reference, family_name, worker_name in session.execute(
            _query(name, worker_id, after, limit)
        ):
            raised = aware(record.created_at)
            entries.append(
                QueueEntry(
                    kind=name,
                    record_id=record.id,
                    family_id=record.family_id,
                    family_reference=reference,
                    family_name=family_name,
                    worker_name=worker_name or "",
                    raised_at=raised,
                    age_days=max(0, (today - raised.date()).days),
                    summary=summary(name, record.data or {}),
                )
            )
    entries.sort(key=lambda e: (e.raised_at, e.kind, e.record_id))
    return entries[:limit]


def is_awaiting(session: Session, kind: str, record_id: int) -> bool:
    """Whether this record still waits for a decision (no decision names it yet)."""
    model = _MODELS.get(kind)
    if model is None:
        return False
    return session.scalar(select(model.id).where(model.id == record_id, _awaiting(kind))) is not None


def deciding_decision(session: Session, kind: str, record_id: int) -> int | None:
    """The first decision that names this record as its subject, if any."""
    return session.scalar(
        select(Decision.id)
        .where(Decision.subject == kind, Decision.subject_id == record_id)
        .order_by(Decision.id)
        .limit(1)
    )
