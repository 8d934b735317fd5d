"""Accounts: the access log of families opened (failed log-ins are counted atomically on ``users``).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "family_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("viewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"], ["families.id"], name=op.f("fk_family_views_family_id_families")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_family_views_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_views")),
    )
    op.create_index(op.f("ix_family_views_family_id"), "family_views", ["family_id"])
    op.create_index(op.f("ix_family_views_user_id"), "family_views", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_family_views_user_id"), table_name="family_views")
    op.drop_index(op.f("ix_family_views_family_id"), table_name="family_views")
    op.drop_table("family_views")
