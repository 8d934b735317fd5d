"""Managers: signed records, addenda and closure letters.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Reserved slot; filled in by the change that needs it."""


def downgrade() -> None:
    """Nothing to undo."""
