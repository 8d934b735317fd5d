"""Family workers: allocation history, pack preferences and privacy-notice evidence.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Reserved slot; filled in by the change that needs it."""


def downgrade() -> None:
    """Nothing to undo."""
