"""A signed (locked) record cannot change or be deleted, whichever code tries.

The ORM guard answers first with a friendly message; under it, the database's own triggers (revision
0006) refuse a Core statement, a script or a database shell, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete, text, update
from sqlalchemy.exc import DBAPIError

from ehdesk.errors import RecordLocked
from ehdesk.policy import default_pack
from ehdesk.services import referrals
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from ehdesk.storage.models import Base, Decision
from tests import samples
from tests.pgserver import PostgresServer


def _locked_decision(db: Database, admin: Actor) -> int:
    with db.session() as session:
        family_id = referrals.create_referral(
            session, admin, samples.referral(), policy=default_pack()
        ).family_id
        decision = Decision(family_id=family_id, subject="objection", data={"decision": "Share with GP"})
        session.add(decision)
        session.flush()
        decision.locked = True  # locking itself is the last change a record may take
        return decision.id


def test_a_locked_record_cannot_be_changed(db: Database, admin: Actor) -> None:
    decision_id = _locked_decision(db, admin)
    with db.session() as session:
        decision = session.get(Decision, decision_id)
        assert decision is not None
        decision.data = {"decision": "Changed after signing"}
        with pytest.raises(RecordLocked, match="addendum"):
            session.flush()
        session.rollback()
    with db.read() as session:
        stored = session.get(Decision, decision_id)
        assert stored is not None
        assert stored.data == {"decision": "Share with GP"}


def test_a_locked_record_cannot_be_unlocked_or_deleted(db: Database, admin: Actor) -> None:
    decision_id = _locked_decision(db, admin)
    with db.session() as session:
        decision = session.get(Decision, decision_id)
        assert decision is not None
        decision.locked = False
        with pytest.raises(RecordLocked):
            session.flush()
        session.rollback()
    with pytest.raises(RecordLocked, match="cannot be deleted"), db.session() as session:
        session.delete(session.get(Decision, decision_id))


def test_an_unlocked_record_can_still_be_corrected(db: Database, admin: Actor) -> None:
    with db.session() as session:
        family_id = referrals.create_referral(
            session, admin, samples.referral(), policy=default_pack()
        ).family_id
        decision = Decision(family_id=family_id, subject="objection", data={"decision": "Draft"})
        session.add(decision)
    with db.session() as session:
        stored = session.get(Decision, decision.id)
        assert stored is not None
        stored.data = {"decision": "Corrected"}
    with db.read() as session:
        assert session.get(Decision, decision.id).data == {"decision": "Corrected"}  # type: ignore[union-attr]


def test_a_lock_cannot_be_lifted_after_the_session_forgot_its_value(db: Database, admin: Actor) -> None:
    """Even with the loaded value expired, the stored lock is known before the change is written."""
    decision_id = _locked_decision(db, admin)
    with db.session() as session:
        decision = session.get(Decision, decision_id)
        assert decision is not None
        session.expire(decision)
        decision.locked = False
        decision.data = {"decision": "Quietly changed"}
        with pytest.raises(RecordLocked):
            session.flush()
        session.rollback()


def test_bulk_statements_cannot_go_around_the_lock(db: Database, admin: Actor) -> None:
    decision_id = _locked_decision(db, admin)
    with pytest.raises(RecordLocked, match="one by one"), db.session() as session:
        session.execute(update(Decision).where(Decision.id == decision_id).values(data={"x": 1}))
    with pytest.raises(RecordLocked), db.session() as session:
        session.execute(delete(Decision).where(Decision.id == decision_id))


def _decision_table_statement(db: Database, statement: Any) -> None:
    with db.engine.begin() as connection:
        connection.execute(statement)


def test_the_database_itself_refuses_a_core_update_or_delete_of_a_locked_row(
    db: Database, admin: Actor
) -> None:
    decision_id = _locked_decision(db, admin)
    table = Decision.__table__
    with pytest.raises(DBAPIError, match="is signed and locked"):
        _decision_table_statement(db, update(table).where(table.c.id == decision_id).values(data={"x": 1}))
    with pytest.raises(DBAPIError, match="is signed and locked"):
        _decision_table_statement(db, update(table).where(table.c.id == decision_id).values(locked=False))
    with pytest.raises(DBAPIError, match="is signed and locked"):
        _decision_table_statement(db, delete(table).where(table.c.id == decision_id))
    with db.read() as session:
        stored = session.get(Decision, decision_id)
        assert stored is not None
        assert stored.locked
        assert stored.data == {"decision": "Share with GP"}


def test_raw_sql_as_typed_in_a_database_shell_cannot_change_a_locked_row(db: Database, admin: Actor) -> None:
    decision_id = _locked_decision(db, admin)
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        with pytest.raises(Exception, match="is signed and locked"):
            cursor.execute(f"UPDATE decisions SET data = '{{}}' WHERE id = {decision_id}")
        raw.rollback()
        with pytest.raises(Exception, match="is signed and locked"):
            cursor.execute(f"DELETE FROM decisions WHERE id = {decision_id}")
        raw.rollback()
    finally:
        raw.close()


def test_a_core_update_refused_inside_a_unit_of_work_is_a_record_locked_error(
    db: Database, admin: Actor
) -> None:
    decision_id = _locked_decision(db, admin)
    table = Decision.__table__
    with pytest.raises(RecordLocked, match="is signed and locked"), db.session() as session:
        session.connection().execute(update(table).where(table.c.id == decision_id).values(data={}))


def test_unlocked_rows_still_take_core_updates(db: Database, admin: Actor) -> None:
    with db.session() as session:
        family_id = referrals.create_referral(
            session, admin, samples.referral(), policy=default_pack()
        ).family_id
        decision = Decision(family_id=family_id, subject="objection", data={"decision": "Draft"})
        session.add(decision)
    table = Decision.__table__
    _decision_table_statement(db, update(table).where(table.c.id == decision.id).values(locked=True))
    with db.read() as session:
        assert session.get(Decision, decision.id).locked  # type: ignore[union-attr]


def test_every_table_with_a_locked_column_has_the_database_guard(db: Database) -> None:
    lockable = {t.name for t in Base.metadata.tables.values() if "locked" in t.c}
    with db.engine.connect() as connection:
        if db.dialect == "sqlite":
            rows = connection.execute(text("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'"))
        else:
            rows = connection.execute(
                text("SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal")
            )
        triggers = {(table, name) for table, name in rows}
    for table in lockable:
        assert (table, f"trg_{table}_locked_update") in triggers, table


@pytest.mark.postgresql
def test_postgresql_refuses_to_truncate_a_lockable_table(postgres_server: PostgresServer) -> None:
    db = Database(postgres_server.fresh_database())
    try:
        with pytest.raises(DBAPIError, match="cannot be truncated"), db.engine.begin() as connection:
            connection.execute(text("TRUNCATE decisions CASCADE"))  # CASCADE: closure_contacts refers to it
    finally:
        db.dispose()
