"""Family workers' use cases: caseload, casefile, sharing, objections and privacy-notice packs (G3–G18)."""

from __future__ import annotations

from ehdesk.desk.base import DeskBase


class WorkerDesk(DeskBase):
    """What a family worker does (managers too: they can do everything a worker can)."""
