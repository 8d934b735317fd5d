"""Signed rows refused by the database itself; a family's display name as long as its children's names.

Every table whose rows can be signed (a ``locked`` column) gets triggers that refuse an UPDATE or DELETE
of a locked row, whoever sends it (see :mod:`ehdesk.storage.guards`). ``families.display_name`` is made
of every child's names, and neither the number of children nor a name's length (200) is capped by the
referral form, so on PostgreSQL a family with long names or many children could take no further
referral ("value too long"); it becomes TEXT. SQLite cannot change a column's type in place, and
rebuilding ``families`` would lose its search triggers and trip the foreign keys that point at it, so
there the column is swapped (add, copy, drop, rename) with the table left where it is.

The audit chain's hash is unchanged (the anchor lives outside the database), so every existing chain
verifies as before.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from ehdesk.storage.guards import (
    DROP_PG_LOCK_FUNCTIONS,
    PG_LOCK_FUNCTIONS,
    drop_lock_trigger_sql,
    lock_trigger_sql,
)

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

LOCKABLE = ("shares", "objections", "privacy_notice_events", "casenotes", "declines", "decisions")


def _swap_sqlite_column(type_sql: str) -> None:
    op.execute(f"ALTER TABLE families ADD COLUMN display_name_swap {type_sql} NOT NULL DEFAULT ''")
    op.execute("UPDATE families SET display_name_swap = display_name")
    op.execute("ALTER TABLE families DROP COLUMN display_name")
    op.execute("ALTER TABLE families RENAME COLUMN display_name_swap TO display_name")


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for statement in PG_LOCK_FUNCTIONS:
            op.execute(statement)
        op.alter_column("families", "display_name", type_=sa.Text(), existing_nullable=False)
    else:
        _swap_sqlite_column("TEXT")
    for table in LOCKABLE:
        for statement in lock_trigger_sql(dialect, table):
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in LOCKABLE:
        for statement in drop_lock_trigger_sql(dialect, table):
            op.execute(statement)
    if dialect == "postgresql":
        for statement in DROP_PG_LOCK_FUNCTIONS:
            op.execute(statement)
        op.execute("UPDATE families SET display_name = left(display_name, 200)")
        op.alter_column("families", "display_name", type_=sa.String(200), existing_nullable=False)
    else:
        _swap_sqlite_column("VARCHAR(200)")
