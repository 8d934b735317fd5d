"""Allocation and caseload: who holds which family, since when, and what each family is due (G3, G19).

A manager allocates a family to a worker through :func:`allocate`, which changes the family (audited by
the families service) and adds an :class:`~ehdesk.storage.models.Allocation` row, so the casefile shows
every allocation and the caseload knows since when the worker has held the family. A worker's start
screen is :func:`my_families`: the families allocated to them, each with what is due — the privacy
notice until its casenote exists unless the family is closed (G3, G4), and records waiting for a
manager's decision (G19) — with :func:`caseload_counts` giving the list's totals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ehdesk.domain import Role
from ehdesk.errors import NotFound, PermissionDenied
from ehdesk.services import audit, families
from ehdesk.services.actor import Actor
from ehdesk.services.evidence import (
    EVIDENCE_TITLE,
    awaiting_decision,
    count_by_family,
    families_with_evidence,
    needs_notice,
)
from ehdesk.services.permissions import Permission, require
from ehdesk.storage.models import Allocation, CaseNote, Family, User

PRIVACY_NOTICE_DUE = "privacy notice due"
_AWAITING_WORDS = {"share": "share", "objection": "objection", "decline": "decline"}


@dataclass(frozen=True)
class CaseloadRow:
    """One family on a worker's "My families" list."""

    id: int
    reference: str
    display_name: str
    postcode: str
    allocated_on: date | None
    due: tuple[str, ...]
    version: int = 1  # the family's, for an allocation made from the list


@dataclass(frozen=True)
class WorkerChoice:
    """Someone a family can be allocated to."""

    id: int
    full_name: str
    role: str


def _awaiting_text(kind: str, count: int) -> str:
    word = _AWAITING_WORDS[kind] + ("s" if count != 1 else "")
    return f"{count} {word} awaiting a decision"


@dataclass(frozen=True)
class CaseloadCounts:
    """The totals a worker's "My families" header shows, over the whole list (not the rows loaded)."""

    families: int
    due: int  # families with something due: the privacy notice, or a record awaiting a decision
    notice_due: int  # of those, the families still due the privacy notice (G3)


def due_items(notice_due: bool, awaiting: dict[str, int]) -> tuple[str, ...]:
    """What a family is due, in the words the caseload shows: ``notice_due`` when it has no
    privacy-notice evidence and is not closed (:func:`~ehdesk.services.evidence.needs_notice`)."""
    out = [PRIVACY_NOTICE_DUE] if notice_due else []
    out += [
        _awaiting_text(kind, awaiting[kind]) for kind in ("share", "objection", "decline") if kind in awaiting
    ]
    return tuple(out)


def allocated_since(session: Session, family_ids: list[int], worker_id: int) -> dict[int, date]:
    """The day each family was (last) allocated to ``worker_id``, from the allocation history."""
    if not family_ids:
        return {}
    rows = session.execute(
        select(Allocation.family_id, func.max(Allocation.allocated_at))
        .where(Allocation.family_id.in_(family_ids), Allocation.worker_id == worker_id)
        .group_by(Allocation.family_id)
    )
    return {family_id: when.date() for family_id, when in rows if when is not None}


def my_families(session: Session, actor: Actor) -> list[CaseloadRow]:
    """The families allocated to ``actor`` (a worker or a manager holding families), newest first."""
    require(actor, Permission.RECORD_SHARING)
    if actor.id is None:
        return []
    rows = list(
        session.execute(
            select(
                Family.id,
                Family.reference,
                Family.display_name,
                Family.postcode,
                Family.version,
                needs_notice().label("needs_notice"),
            )
            .where(Family.worker_id == actor.id)
            .order_by(Family.id.desc())
        )
    )
    ids = [row.id for row in rows]
    evidence = families_with_evidence(session, ids)
    awaiting = count_by_family(awaiting_decision(session, ids))
    since = allocated_since(session, ids, actor.id)
    return [
        CaseloadRow(
            id=row.id,
            reference=row.reference,
            display_name=row.display_name,
            postcode=row.postcode,
            allocated_on=since.get(row.id),
            due=due_items(bool(row.needs_notice) and row.id not in evidence, awaiting.get(row.id, {})),
            version=row.version,
        )
        for row in rows
    ]


def caseload_counts(session: Session, actor: Actor) -> CaseloadCounts:
    """How many families are allocated to ``actor`` and how many have something due, counted by the
    database over the whole caseload — the header of a list that loads its rows a page at a time must
    not count only the rows loaded so far. "Due" means what :func:`my_families` shows as due."""
    require(actor, Permission.RECORD_SHARING)
    if actor.id is None:
        return CaseloadCounts(0, 0, 0)
    mine = Family.worker_id == actor.id
    ids = list(session.scalars(select(Family.id).where(mine)))
    if not ids:
        return CaseloadCounts(0, 0, 0)
    has_evidence = (
        select(CaseNote.id).where(CaseNote.family_id == Family.id, CaseNote.title == EVIDENCE_TITLE).exists()
    )
    notice_due = set(session.scalars(select(Family.id).where(mine, needs_notice(), ~has_evidence)))
    waiting = {item.family_id for item in awaiting_decision(session, ids)}
    return CaseloadCounts(len(ids), len(notice_due | waiting), len(notice_due))


def workers(session: Session, actor: Actor) -> list[WorkerChoice]:
    """Active family workers and managers, by name: whom a manager may allocate a family to."""
    require(actor, Permission.ALLOCATE)
    rows = session.execute(
        select(User.id, User.full_name, User.role)
        .where(User.active.is_(True), User.role.in_([Role.WORKER.value, Role.MANAGER.value]))
        .order_by(User.full_name, User.id)
    )
    return [WorkerChoice(user_id, name, role) for user_id, name, role in rows]


def allocate(
    session: Session, actor: Actor, family_id: int, worker_id: int | None, *, version: int
) -> Family:
    """Allocate (or with ``None`` un-allocate) a family, keeping the allocation history (audited)."""
    require(actor, Permission.ALLOCATE)
    if worker_id is not None:
        user = session.get(User, worker_id)
        if user is None:
            raise NotFound(f"user {worker_id} does not exist; pick a worker from the list")
        if not user.active:
            raise PermissionDenied(f"{user.full_name}'s account is deactivated; pick an active worker")
    previous = session.scalar(select(Family.worker_id).where(Family.id == family_id))
    family = families.allocate(session, actor, family_id, worker_id, version=version)
    row = Allocation(
        family_id=family.id, worker_id=worker_id, previous_worker_id=previous, allocated_by=actor.id
    )
    session.add(row)
    session.flush()
    audit.record(session, actor, "create", "allocation", row.id, after=audit.snapshot(row))
    return family
