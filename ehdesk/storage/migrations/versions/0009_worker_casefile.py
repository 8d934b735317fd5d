"""Family workers: allocation history, pack preferences and privacy-notice evidence.

``allocations`` keeps every allocation of a family (the casefile shows it, the caseload dates it);
``pack_preferences`` remembers whether a family's pack is printed large; ``privacy_notice_packs`` links a
privacy-notice event to the PDF handed over. ``casenotes.evidence_on`` is the day a "privacy notice
shared" casenote evidences, unique per family, so a same-day reprint cannot write a second (G4).

The casenotes table is only given a column and an index (no rebuild), so its lock triggers stay.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("casenotes", sa.Column("evidence_on", sa.Date(), nullable=True))
    op.create_index("uq_casenotes_family_evidence", "casenotes", ["family_id", "evidence_on"], unique=True)
    op.create_table(
        "allocations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("previous_worker_id", sa.Integer(), nullable=True),
        sa.Column("allocated_by", sa.Integer(), nullable=True),
        sa.Column("allocated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"], ["families.id"], name=op.f("fk_allocations_family_id_families")
        ),
        sa.ForeignKeyConstraint(["worker_id"], ["users.id"], name=op.f("fk_allocations_worker_id_users")),
        sa.ForeignKeyConstraint(
            ["previous_worker_id"], ["users.id"], name=op.f("fk_allocations_previous_worker_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["allocated_by"], ["users.id"], name=op.f("fk_allocations_allocated_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocations")),
    )
    op.create_index(op.f("ix_allocations_family_id"), "allocations", ["family_id"], unique=False)
    op.create_index(op.f("ix_allocations_worker_id"), "allocations", ["worker_id"], unique=False)
    op.create_table(
        "pack_preferences",
        sa.Column("family_id", sa.Integer(), nullable=False),
        sa.Column("large_print", sa.Boolean(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"], ["families.id"], name=op.f("fk_pack_preferences_family_id_families")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_pack_preferences_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("family_id", name=op.f("pk_pack_preferences")),
    )
    op.create_table(
        "privacy_notice_packs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("script", sa.String(length=16), nullable=False),
        sa.Column("large_print", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["privacy_notice_events.id"],
            name=op.f("fk_privacy_notice_packs_event_id_privacy_notice_events"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_privacy_notice_packs_document_id_documents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_notice_packs")),
    )
    op.create_index(
        op.f("ix_privacy_notice_packs_event_id"), "privacy_notice_packs", ["event_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_privacy_notice_packs_event_id"), table_name="privacy_notice_packs")
    op.drop_table("privacy_notice_packs")
    op.drop_table("pack_preferences")
    op.drop_index(op.f("ix_allocations_worker_id"), table_name="allocations")
    op.drop_index(op.f("ix_allocations_family_id"), table_name="allocations")
    op.drop_table("allocations")
    op.drop_index("uq_casenotes_family_evidence", table_name="casenotes")
    op.execute("ALTER TABLE casenotes DROP COLUMN evidence_on")  # in place: the lock triggers stay
