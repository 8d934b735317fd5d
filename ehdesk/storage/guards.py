"""Storage-level guards that hold whichever service (or script) changes a record.

A signed record is locked: its ``locked`` column is true and from then on it may not change or be
deleted — changes after signing are addenda, new records of their own. Checking that in each service
would rely on every future service remembering; a ``before_flush`` hook on every writing session holds
it for all of them (``locked`` keeps its stored value in the attribute history, ``active_history``),
and ORM bulk UPDATE/DELETE statements on lockable tables are refused outright so nothing goes around
the hook. Those are the friendly first line, with messages that say what to do.

The database holds the line too (revision 0006): a trigger on every lockable table refuses an UPDATE
or DELETE of a row whose stored ``locked`` is true, so a Core ``update()``, a script or a database shell
cannot change a signed record either (on PostgreSQL a TRUNCATE of those tables is refused as well).
Only someone who may drop triggers (the database owner) can get past that, and the audit replay and
the signed PDF's own hash then show what changed. :func:`lock_trigger_sql` is the one definition of
those triggers, for revision 0006 and for any later revision that adds a lockable table; a test checks
that every table with a ``locked`` column has them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import ORMExecuteState, Session

from ehdesk.errors import RecordLocked

LOCKED_ROW_MESSAGE = "is signed and locked"
"""Words every refusal of a locked row carries, the database's triggers included (see database.py)."""


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


def lock_trigger_names(table: str) -> tuple[str, ...]:
    return (f"trg_{table}_locked_update", f"trg_{table}_locked_delete", f"trg_{table}_no_truncate")


def lock_trigger_sql(dialect: str, table: str) -> list[str]:
    """The statements that make the database refuse changes to ``table``'s locked rows.

    PostgreSQL needs the function :data:`PG_LOCK_FUNCTIONS` first (made once by revision 0006).
    """
    update, delete, truncate = lock_trigger_names(table)
    message = f"ehdesk: {table} row is signed and locked"
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER {update} BEFORE UPDATE ON {table} FOR EACH ROW WHEN OLD.locked "
            f"BEGIN SELECT RAISE(ABORT, '{message}; record an addendum instead'); END",
            f"CREATE TRIGGER {delete} BEFORE DELETE ON {table} FOR EACH ROW WHEN OLD.locked "
            f"BEGIN SELECT RAISE(ABORT, '{message}; it cannot be deleted'); END",
        ]
    return [
        f"CREATE TRIGGER {update} BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW WHEN (OLD.locked) "
        "EXECUTE FUNCTION ehdesk_refuse_locked_row()",
        f"CREATE TRIGGER {truncate} BEFORE TRUNCATE ON {table} FOR EACH STATEMENT "
        "EXECUTE FUNCTION ehdesk_refuse_truncate()",
    ]


def drop_lock_trigger_sql(dialect: str, table: str) -> list[str]:
    names = lock_trigger_names(table)
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {name}" for name in names[:2]]
    return [f"DROP TRIGGER IF EXISTS {name} ON {table}" for name in (names[0], names[2])]


PG_LOCK_FUNCTIONS = (
    """
    CREATE OR REPLACE FUNCTION ehdesk_refuse_locked_row() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'ehdesk: % row % is signed and locked; record an addendum instead',
            TG_TABLE_NAME, OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END
    $$
    """,
    """
    CREATE OR REPLACE FUNCTION ehdesk_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'ehdesk: % may hold rows that are signed and locked; it cannot be truncated',
            TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation';
    END
    $$
    """,
)
DROP_PG_LOCK_FUNCTIONS = (
    "DROP FUNCTION IF EXISTS ehdesk_refuse_locked_row()",
    "DROP FUNCTION IF EXISTS ehdesk_refuse_truncate()",
)
