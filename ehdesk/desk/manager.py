"""Managers' use cases: the decision queue, decisions, sign-off, addenda and closure (G19–G24)."""

from __future__ import annotations

from ehdesk.desk.base import DeskBase


class ManagerDesk(DeskBase):
    """What a manager does beyond a worker's work."""
