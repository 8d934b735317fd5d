"""Wider columns: policy-pack stamps (version + fingerprint) and people's names as long as the form allows.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

STAMPED = (
    "referrals",
    "shares",
    "objections",
    "privacy_notice_events",
    "casenotes",
    "declines",
    "decisions",
    "documents",
)


def upgrade() -> None:
    for table in STAMPED:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("policy_version", type_=sa.String(64), existing_nullable=False)
    with op.batch_alter_table("people") as batch:
        batch.alter_column("given_name", type_=sa.String(200), existing_nullable=False)
        batch.alter_column("family_name", type_=sa.String(200), existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.alter_column("family_name", type_=sa.String(100), existing_nullable=False)
        batch.alter_column("given_name", type_=sa.String(100), existing_nullable=False)
    for table in STAMPED:
        with op.batch_alter_table(table) as batch:
            batch.alter_column("policy_version", type_=sa.String(32), existing_nullable=False)
