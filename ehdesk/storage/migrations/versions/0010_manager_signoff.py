"""Managers: signed records, addenda and closure letters.

* ``decisions.amends_id``: a change after signing is an addendum, a new decision pointing at the one it
  amends (the first stays locked and unchanged).
* ``documents.signed_by`` / ``signed_at`` / ``audit_hash``: who signed a stored record, when, and the
  audit trail's newest hash it carries, so the casefile can show the verdict without opening the PDF.
* ``closure_contacts``: each person or agency to be told of a closure (G22) and whether they have been;
  the signed decision is locked, so its told-on state lives beside it.

Columns are added in place: on SQLite a table rebuild (batch mode) would drop the lock triggers of
revision 0006, so the new foreign keys are declared inline in ``ADD COLUMN`` there.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_FKS = (
    ("decisions", "amends_id", "decisions"),
    ("documents", "signed_by", "users"),
)


def _add_foreign_key_column(table: str, column: str, referred: str) -> None:
    name = f"fk_{table}_{column}_{referred}"
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN {column} INTEGER CONSTRAINT {name} REFERENCES {referred} (id)"
        )
    else:
        op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
        op.create_foreign_key(name, table, referred, [column], ["id"])


def upgrade() -> None:
    for table, column, referred in _FKS:
        _add_foreign_key_column(table, column, referred)
    op.create_index(op.f("ix_decisions_amends_id"), "decisions", ["amends_id"], unique=False)
    op.add_column("signing_identities", sa.Column("drawing", sa.LargeBinary(), nullable=True))
    op.add_column("documents", sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "documents", sa.Column("audit_hash", sa.String(length=64), nullable=False, server_default="")
    )
    op.create_table(
        "closure_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("who", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=200), nullable=False),
        sa.Column("told_on", sa.Date(), nullable=True),
        sa.Column("told_by", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_closure_contacts_decision_id_decisions")
        ),
        sa.ForeignKeyConstraint(
            ["family_id"], ["families.id"], name=op.f("fk_closure_contacts_family_id_families")
        ),
        sa.ForeignKeyConstraint(["told_by"], ["users.id"], name=op.f("fk_closure_contacts_told_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_closure_contacts")),
        sa.UniqueConstraint("decision_id", "position", name=op.f("uq_closure_contacts_decision_id")),
    )
    op.create_index(
        op.f("ix_closure_contacts_decision_id"), "closure_contacts", ["decision_id"], unique=False
    )
    op.create_index(op.f("ix_closure_contacts_family_id"), "closure_contacts", ["family_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_closure_contacts_family_id"), table_name="closure_contacts")
    op.drop_index(op.f("ix_closure_contacts_decision_id"), table_name="closure_contacts")
    op.drop_table("closure_contacts")
    op.drop_index(op.f("ix_decisions_amends_id"), table_name="decisions")
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, column in (
        ("documents", "audit_hash"),
        ("documents", "signed_at"),
        ("signing_identities", "drawing"),
    ):
        op.drop_column(table, column)
    for table, column, referred in _FKS:
        if sqlite:  # the inline constraint goes with its column
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        else:
            op.drop_constraint(f"fk_{table}_{column}_{referred}", table, type_="foreignkey")
            op.drop_column(table, column)
