"""What the casefile holds as evidence and what still waits for a manager: shared by the caseload, the
compliance report and the pack batch, so all three count the same things the same way.

* Evidence that a family had the privacy notice (G3, G4) is a casenote titled exactly
  :data:`EVIDENCE_TITLE` — nothing else counts, because that casenote is what an auditor looks for. A
  closed family needs none (:func:`needs_notice`).
* A record awaits a decision (G19) while no decision on the casefile names it as its subject: every
  objection (G8) and decline (G20), and each share made under a G10 exception (the family was not told).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from ehdesk.domain import FamilyStatus
from ehdesk.storage.models import CaseNote, Decision, Decline, Family, Objection, Share

EVIDENCE_TITLE = "privacy notice shared"


def needs_notice() -> ColumnElement[bool]:
    """The condition on :class:`Family` for a family that still needs the privacy notice when it has
    no evidence: every family but a closed one — the service has ended, so no pack is due and a missing
    casenote is no gap (the caseload, the compliance report and the pack batch all use this)."""
    return Family.status != FamilyStatus.CLOSED.value


def families_with_evidence(session: Session, family_ids: Collection[int] | None = None) -> set[int]:
    """Which of ``family_ids`` (every family when ``None``) hold a "privacy notice shared" casenote."""
    stmt = select(CaseNote.family_id).where(CaseNote.title == EVIDENCE_TITLE).distinct()
    if family_ids is not None:
        if not family_ids:
            return set()
        stmt = stmt.where(CaseNote.family_id.in_(list(family_ids)))
    return set(session.scalars(stmt))


def made_under_exception(data: dict[str, Any] | None) -> bool:
    """A share the family was not told about in advance (G10): a manager looks at each of these."""
    return (data or {}).get("informed_in_advance") is False


def uninformed(data: dict[str, Any] | None) -> bool:
    """A share with neither "informed in advance" nor an exception on it (G10): a gap to put right."""
    values = data or {}
    return values.get("informed_in_advance") is not True and not values.get("exceptions")


@dataclass(frozen=True)
class Awaiting:
    """One record waiting for a manager's decision."""

    kind: str  # objection | decline | share
    record_id: int
    family_id: int
    created_at: datetime
    created_by: int | None


def _decided(session: Session) -> set[tuple[str, int]]:
    rows = session.execute(
        select(Decision.subject, Decision.subject_id).where(Decision.subject_id.is_not(None))
    )
    return {(str(subject), subject_id) for subject, subject_id in rows if subject_id is not None}


def awaiting_decision(session: Session, family_ids: Collection[int] | None = None) -> list[Awaiting]:
    """Objections, declines and exception shares no decision names yet, oldest first."""
    if family_ids is not None and not family_ids:
        return []
    decided = _decided(session)
    out: list[Awaiting] = []
    for kind, model in (("objection", Objection), ("decline", Decline), ("share", Share)):
        stmt = select(model.id, model.family_id, model.created_at, model.created_by, model.data)
        if family_ids is not None:
            stmt = stmt.where(model.family_id.in_(list(family_ids)))
        if model is Objection:  # a withdrawn objection asks nothing of a manager
            stmt = stmt.where(Objection.withdrawn.is_(False))
        for record_id, family_id, created_at, created_by, data in session.execute(stmt):
            if (kind, record_id) in decided:
                continue
            if kind == "share" and not made_under_exception(data):
                continue
            out.append(Awaiting(kind, record_id, family_id, created_at, created_by))
    out.sort(key=lambda a: (a.created_at, a.kind, a.record_id))
    return out


def count_by_family(items: Iterable[Awaiting]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = {}
    for item in items:
        per_kind = counts.setdefault(item.family_id, {})
        per_kind[item.kind] = per_kind.get(item.kind, 0) + 1
    return counts
