"""Allocation and "My families" (G3, G19): a manager allocates, the casefile keeps the history, and a
worker's start screen says what each family is due."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ehdesk.domain import Role
from ehdesk.errors import PermissionDenied
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from ehdesk.storage.models import Allocation, AuditEvent
from tests.conftest import make_user
from tests.integration.worker_helpers import allocated_family, desk, family_version, new_family
from tests.unit.forms.formcases import OBJECTION, SHARE_OTHER_PURPOSE


def test_a_newly_allocated_family_is_on_the_workers_list_with_its_privacy_notice_due(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = allocated_family(db, admin, manager, worker)
    rows = desk(db, worker).my_families()
    assert [r.id for r in rows] == [family_id]
    assert rows[0].due == ("privacy notice due",)
    assert rows[0].allocated_on is not None
    assert rows[0].display_name == "Smith (Ava, Leo)"
    assert desk(db, manager).my_families() == []  # a manager sees the families they hold themselves


def test_what_is_due_changes_as_the_work_is_done(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = allocated_family(db, admin, manager, worker)
    worker_desk = desk(db, worker)
    worker_desk.record_pack_shared(family_id, "printed", worker_desk.privacy_notice_pack(family_id))
    worker_desk.create_record("share", family_id, {**SHARE_OTHER_PURPOSE, "data_items": ["identity"]})
    worker_desk.create_record("objection", family_id, {**OBJECTION, "raised_by": None})
    (row,) = worker_desk.my_families()
    assert row.due == ("1 share awaiting a decision", "1 objection awaiting a decision")


def test_allocation_is_a_managers_audited_and_kept_as_history(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    other = make_user(db, "otto", Role.WORKER)
    family_id = new_family(db, admin)
    with pytest.raises(PermissionDenied, match="only managers"):
        desk(db, worker).allocate(family_id, worker.id, version=family_version(db, family_id))
    desk(db, manager).allocate(family_id, worker.id, version=family_version(db, family_id))
    desk(db, manager).allocate(family_id, other.id, version=family_version(db, family_id))
    assert desk(db, worker).my_families() == []
    assert [r.id for r in desk(db, other).my_families()] == [family_id]
    with db.read() as session:
        history = [(a.worker_id, a.previous_worker_id) for a in session.scalars(select(Allocation))]
        entities = [e.entity for e in session.scalars(select(AuditEvent).where(AuditEvent.actor == "mo"))]
    assert history == [(worker.id, None), (other.id, worker.id)]
    assert entities.count("allocation") == 2
    assert entities.count("family") == 2
    titles = [e.title for e in desk(db, manager).casefile(family_id) if e.kind == "allocation"]
    assert titles == ["Allocated to Otto", "Allocated to Wendy"]


def test_the_allocation_choices_are_active_workers_and_managers(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    choices = desk(db, manager).workers()
    assert {(c.full_name, c.role) for c in choices} == {("Mo", "manager"), ("Wendy", "worker")}
    with pytest.raises(PermissionDenied):
        desk(db, worker).workers()


def test_the_caseload_counts_are_the_whole_lists_totals(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    ids = [allocated_family(db, admin, manager, worker) for _ in range(4)]
    allocated_family(db, admin, manager, make_user(db, "otto", Role.WORKER))  # someone else's
    worker_desk = desk(db, worker)
    worker_desk.record_pack_shared(ids[0], "printed", worker_desk.privacy_notice_pack(ids[0]))
    worker_desk.record_pack_shared(ids[1], "printed", worker_desk.privacy_notice_pack(ids[1]))
    worker_desk.create_record("objection", ids[1], {**OBJECTION, "raised_by": None})  # due: a decision
    counts = worker_desk.caseload_counts()
    rows = worker_desk.my_families()
    assert counts.families == len(rows) == 4
    assert counts.due == sum(1 for row in rows if row.due) == 3
    assert counts.notice_due == sum(1 for row in rows if "privacy notice due" in row.due) == 2
    empty = desk(db, make_user(db, "nell", Role.WORKER)).caseload_counts()
    assert (empty.families, empty.due, empty.notice_due) == (0, 0, 0)
