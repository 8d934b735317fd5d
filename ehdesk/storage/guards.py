"""Storage-level guards that hold whichever service (or script) changes a record.

A signed record is locked: its ``locked`` column is true and from then on it may not change or be
deleted — changes after signing are addenda, new records of their own. Checking that in each service
would rely on every future service remembering; a ``before_flush`` hook on every writing session holds
it for all of them (``locked`` keeps its stored value in the attribute history, ``active_history``),
and ORM bulk UPDATE/DELETE statements on lockable tables are refused outright so nothing goes around
the hook. Raw SQL typed into a database shell is outside ehdesk's reach; the audit trail shows it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import ORMExecuteState, Session

from ehdesk.errors import RecordLocked


def _was_locked(record: Any) -> bool:
    """The value of ``locked`` as it stands in the database, before this flush."""
    history = inspect(record).attrs.locked.history
    if history.deleted:
        return bool(history.deleted[0])
    return bool(record.locked) and not history.added


def _name(record: Any) -> str:
    return f"{type(record).__name__.lower()} {getattr(record, 'id', '?')}"


def ensure_unlocked(record: Any) -> None:
    """Refuse early, with the clear message, before a service validates or checks versions."""
    if _was_locked(record):
        raise RecordLocked(f"{_name(record)} is signed and locked; record an addendum instead")


def refuse_bulk_changes_to_lockable_tables(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    for mapper in state.all_mappers:
        if "locked" in mapper.columns:
            raise RecordLocked(
                f"{mapper.class_.__name__} records may hold signed (locked) rows: change them one by one "
                "through a service, not with a bulk statement"
            )


def refuse_changes_to_locked_records(session: Session, _context: Any, _instances: Any) -> None:
    for record in session.dirty:
        if hasattr(record, "locked") and _was_locked(record) and session.is_modified(record):
            raise RecordLocked(f"{_name(record)} is signed and locked; record an addendum instead")
    for record in session.deleted:
        if hasattr(record, "locked") and _was_locked(record):
            raise RecordLocked(f"{_name(record)} is signed and locked; it cannot be deleted")
