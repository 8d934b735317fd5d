"""Recording a shared pack writes its three audit events together, and a batch cancelled before it
starts hands no family to the pool (each family whole or not at all)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from ehdesk.domain import Role
from ehdesk.services import audit
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from ehdesk.storage.models import AuditEvent, CaseNote, Document, PrivacyNoticeEvent
from tests.conftest import make_user
from tests.integration.worker_helpers import allocated_family, desk


def _tail(db: Database, count: int) -> list[tuple[str, str]]:
    with db.read() as session:
        rows = session.execute(select(AuditEvent.entity, AuditEvent.action).order_by(AuditEvent.seq.desc()))
        return list(reversed([tuple(r) for r in rows.fetchmany(count)]))  # type: ignore[misc]


def test_a_shared_pack_writes_its_event_document_and_casenote_audit_in_one_chain(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = allocated_family(db, admin, manager, worker)
    worker_desk = desk(db, worker)
    first = worker_desk.record_pack_shared(family_id, "printed", worker_desk.privacy_notice_pack(family_id))
    assert first.casenote_written
    assert _tail(db, 3) == [
        ("privacy_notice_event", "create"),
        ("document", "create"),
        ("casenote", "create"),
    ]
    with db.read() as session:
        times = set(session.scalars(select(AuditEvent.occurred_at).order_by(AuditEvent.seq.desc()).limit(3)))
        assert len(times) == 1  # one call wrote all three
        assert audit.verify(session).ok
    again = worker_desk.record_pack_shared(family_id, "saved", worker_desk.privacy_notice_pack(family_id))
    assert not again.casenote_written  # a reprint the same day: no second casenote, no casenote event
    assert _tail(db, 2) == [("privacy_notice_event", "create"), ("document", "create")]
    with db.read() as session:
        assert audit.verify(session).ok


def test_a_batch_cancelled_before_it_starts_makes_no_pack_at_all(sqlite_db: Database, tmp_path: Path) -> None:
    db = sqlite_db
    admin = make_user(db, "setup-admin", Role.ADMIN)
    manager = make_user(db, "mo", Role.MANAGER)
    worker = make_user(db, "wendy", Role.WORKER)
    ids = [allocated_family(db, admin, manager, worker) for _ in range(8)]
    worker_desk = desk(db, worker)
    result = worker_desk.generate_packs(
        ids, tmp_path / "out", progress=lambda done, total: None, cancelled=lambda: True, processes=2
    )
    assert result.cancelled
    assert result.written == ()  # asked before the first family was handed to the pool
    assert not list((tmp_path / "out").iterdir())
    with db.read() as session:
        assert not set(session.scalars(select(CaseNote.family_id)))
        assert not set(session.scalars(select(PrivacyNoticeEvent.family_id)))
        assert not set(session.scalars(select(Document.family_id)))
        assert audit.verify(session).ok
    assert worker_desk.families_missing_evidence() == ids
