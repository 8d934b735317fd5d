"""The compliance view: where the casefiles fall short of the guidance, oldest first, counted per worker.

Three kinds of gap are listed (each a query over the casefile, never a list kept by hand):

* an allocated family with no "privacy notice shared" casenote (G3, G4), dated from its allocation —
  unless it is closed (no pack is due once the service has ended);
* a share that records neither that the family was told in advance nor an exception (G10);
* an objection (G8) or decline (G20) — or a share made under an exception — waiting for a manager's
  decision (G19).

A manager sees every family; a worker sees their own (need to know, G7).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ehdesk.domain import Role
from ehdesk.services.actor import Actor
from ehdesk.services.evidence import awaiting_decision, families_with_evidence, needs_notice, uninformed
from ehdesk.services.permissions import Permission, require
from ehdesk.storage.models import Allocation, Family, Share, User

MISSING_EVIDENCE = "missing privacy-notice evidence"
UNINFORMED_SHARE = "share: neither informed nor an exception"
AWAITING = {
    "objection": "objection awaiting a decision",
    "decline": "decline awaiting a decision",
    "share": "exception share awaiting a decision",
}
_GUIDANCE = {MISSING_EVIDENCE: "G3, G4", UNINFORMED_SHARE: "G10"}


@dataclass(frozen=True)
class ComplianceItem:
    kind: str
    guidance: str
    family_id: int
    reference: str
    family_name: str
    worker: str
    since: datetime
    record_id: int | None = None


@dataclass(frozen=True)
class WorkerCounts:
    worker: str
    missing_evidence: int
    uninformed_shares: int
    awaiting_decision: int

    @property
    def total(self) -> int:
        return self.missing_evidence + self.uninformed_shares + self.awaiting_decision


@dataclass(frozen=True)
class ComplianceReport:
    items: tuple[ComplianceItem, ...]  # oldest first
    per_worker: tuple[WorkerCounts, ...]

    def of_kind(self, kind: str) -> tuple[ComplianceItem, ...]:
        return tuple(i for i in self.items if i.kind == kind)

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["since", "gap", "guidance", "reference", "family", "worker", "record"])
        for item in self.items:
            writer.writerow(
                [
                    item.since.date().isoformat(),
                    item.kind,
                    item.guidance,
                    item.reference,
                    item.family_name,
                    item.worker,
                    item.record_id or "",
                ]
            )
        return out.getvalue()


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _allocated_at(session: Session, ids: Collection[int]) -> dict[int, datetime]:
    if not ids:
        return {}
    rows = session.execute(
        select(Allocation.family_id, func.max(Allocation.allocated_at))
        .where(Allocation.family_id.in_(list(ids)))
        .group_by(Allocation.family_id)
    )
    return {family_id: when for family_id, when in rows if when is not None}


def compliance(session: Session, actor: Actor) -> ComplianceReport:
    require(actor, Permission.RECORD_SHARING)
    stmt = select(
        Family.id,
        Family.reference,
        Family.display_name,
        Family.worker_id,
        Family.created_at,
        needs_notice().label("needs_notice"),
    )
    if actor.role is Role.WORKER:
        stmt = stmt.where(Family.worker_id == actor.id)
    families = {row.id: row for row in session.execute(stmt)}
    names = {user_id: name for user_id, name in session.execute(select(User.id, User.full_name))}

    def item(
        kind: str, guidance: str, family_id: int, since: datetime, record_id: int | None
    ) -> ComplianceItem:
        family = families[family_id]
        worker = names.get(family.worker_id, "") if family.worker_id is not None else "(not allocated)"
        return ComplianceItem(
            kind, guidance, family_id, family.reference, family.display_name, worker, _aware(since), record_id
        )

    scope = list(families) if actor.role is Role.WORKER else None
    items: list[ComplianceItem] = []
    allocated = [f.id for f in families.values() if f.worker_id is not None and f.needs_notice]
    have = families_with_evidence(session, allocated)
    since = _allocated_at(session, allocated)
    for family_id in allocated:
        if family_id not in have:
            when = since.get(family_id) or families[family_id].created_at
            items.append(item(MISSING_EVIDENCE, _GUIDANCE[MISSING_EVIDENCE], family_id, when, None))
    shares = select(Share.id, Share.family_id, Share.created_at, Share.data)
    if scope is not None:
        shares = shares.where(Share.family_id.in_(scope))
    for share_id, family_id, created_at, data in session.execute(shares):
        if family_id in families and uninformed(data):
            items.append(item(UNINFORMED_SHARE, _GUIDANCE[UNINFORMED_SHARE], family_id, created_at, share_id))
    for waiting in awaiting_decision(session, scope):
        if waiting.family_id in families:
            items.append(
                item(AWAITING[waiting.kind], "G19", waiting.family_id, waiting.created_at, waiting.record_id)
            )
    items.sort(key=lambda i: (i.since, i.reference, i.record_id or 0))
    counts: dict[str, list[int]] = {}
    for entry in items:
        row = counts.setdefault(entry.worker, [0, 0, 0])
        column = 0 if entry.kind == MISSING_EVIDENCE else 1 if entry.kind == UNINFORMED_SHARE else 2
        row[column] += 1
    per_worker = tuple(WorkerCounts(worker, *row) for worker, row in sorted(counts.items()))
    return ComplianceReport(tuple(items), per_worker)
