"""Family workers' use cases: caseload, casefile, sharing, objections and privacy-notice packs (G3–G18).

Each method is one unit of work over the services in ``ehdesk.services`` (caseload, timeline, sharing,
packs, compliance), which check the permission and the allocation (a worker acts only on their own
families) and audit every change. Results are the plain frozen dataclasses those services define,
re-exported here so a front end imports them from one place. Building a PDF happens outside any
database session, so a slow printer or a large pack never holds the database.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ehdesk.desk import batch
from ehdesk.desk.base import DeskBase
from ehdesk.desk.batch import BatchResult
from ehdesk.services import access_log, caseload, compliance, families, packs, sharing, timeline
from ehdesk.services.caseload import CaseloadCounts, CaseloadRow, WorkerChoice
from ehdesk.services.compliance import ComplianceItem, ComplianceReport, WorkerCounts
from ehdesk.services.families import get_family
from ehdesk.services.packs import Pack, PackRefused, PackShared
from ehdesk.services.sharing import DataItem
from ehdesk.services.timeline import TimelineCursor, TimelineEntry

if TYPE_CHECKING:
    from ehdesk.documents.pack import PackContent
    from ehdesk.errors import EhdeskError

__all__ = [
    "BatchResult",
    "CaseloadCounts",
    "CaseloadRow",
    "ComplianceItem",
    "ComplianceReport",
    "DataItem",
    "Pack",
    "PackRefused",
    "PackShared",
    "TimelineCursor",
    "TimelineEntry",
    "WorkerChoice",
    "WorkerCounts",
    "WorkerDesk",
]


class WorkerDesk(DeskBase):
    """What a family worker does (managers too: they can do everything a worker can)."""

    # -- caseload and allocation -------------------------------------------------------------------

    def my_families(self) -> list[CaseloadRow]:
        """The families allocated to the user, newest first, each with what is due (G3, G19)."""
        with self._read() as (session, actor):
            return caseload.my_families(session, actor)

    def caseload_counts(self) -> CaseloadCounts:
        """The totals of :meth:`my_families` (families; with something due; due the privacy notice),
        counted over the whole list, for a header above a list loaded a page at a time."""
        with self._read() as (session, actor):
            return caseload.caseload_counts(session, actor)

    def empty_family_list_hint(self) -> str | None:
        """What an empty family list says to a worker who holds no family yet (else None)."""
        with self._read() as (session, actor):
            return families.empty_list_hint(session, actor)

    def workers(self) -> list[WorkerChoice]:
        """Active workers and managers a family can be allocated to (managers only)."""
        with self._read() as (session, actor):
            return caseload.workers(session, actor)

    def allocate(self, family_id: int, worker_id: int | None, *, version: int) -> None:
        """Allocate a family (``None``: end its allocation); audited, and shown on the casefile."""
        with self._write() as (session, actor):
            caseload.allocate(session, actor, family_id, worker_id, version=version)

    # -- the casefile ------------------------------------------------------------------------------

    def casefile(
        self, family_id: int, *, limit: int = 100, before: TimelineCursor | None = None
    ) -> list[TimelineEntry]:
        """One page of the family's casefile, newest first. Opening it (the first page) is logged in
        the access log (G15); the following pages are reads."""
        if before is None:
            with self._write() as (session, actor):
                access_log.open_family(session, actor, family_id)
                return timeline.timeline(session, actor, family_id, self.specs, limit=limit)
        with self._read() as (session, actor):
            get_family(session, actor, family_id)
            return timeline.timeline(session, actor, family_id, self.specs, limit=limit, before=before)

    # -- sharing -----------------------------------------------------------------------------------

    def family_data_items(self, family_id: int) -> list[DataItem]:
        """What the family's record holds that a share could include (G7): the share form's choices."""
        with self._read() as (session, actor):
            return sharing.family_data_items(session, get_family(session, actor, family_id))

    def share_explanation_pdf(self, share_id: int) -> bytes:
        """The explanation record of a share, for the family (G11–G14, G18), stamped (G25)."""
        from ehdesk.documents.explanation import build_explanation_pdf

        with self._read() as (session, actor):
            values, about = sharing.explanation_of(session, actor, share_id, self.policy)
        return build_explanation_pdf(values, about)

    # -- privacy-notice packs ----------------------------------------------------------------------

    def privacy_notice_pack(
        self, family_id: int, *, script: str | None = None, large_print: bool | None = None
    ) -> Pack:
        """The family's pack (G3–G6). ``script`` is chosen from the family's history when not given;
        ``large_print`` is the family's remembered choice when not given, and remembered when given."""
        if large_print is not None:
            with self._write() as (session, actor):
                packs.remember_large_print(session, actor, family_id, large_print)
        with self._read() as (session, actor):
            content = packs.pack_content(
                session,
                actor,
                family_id,
                self.policy,
                on=self.today(),
                script=script,
                large_print=large_print,
            )
        return packs.build_pack(family_id, content)

    def record_pack_shared(
        self, family_id: int, method: str, pack: Pack, *, sent_to: str | None = None
    ) -> PackShared:
        """Record that ``pack`` was printed, saved or its link sent: the privacy-notice event, the stored
        PDF and — once a day per family — the casenote "privacy notice shared" (G4), all together."""
        with self._write() as (session, actor):
            return packs.record_pack_shared(
                session,
                actor,
                self.spec("privacy_notice"),
                family_id,
                method,
                pack,
                policy=self.policy,
                on=self.today(),
                sent_to=sent_to,
            )

    def families_missing_evidence(self) -> list[int]:
        """Allocated families with no "privacy notice shared" casenote (the user's own, for a worker)."""
        with self._read() as (session, actor):
            return packs.families_missing_evidence(session, actor)

    def generate_packs(
        self,
        family_ids: Sequence[int],
        out_dir: Path,
        *,
        progress: Callable[[int, int], None],
        cancelled: Callable[[], bool],
        method: str = "saved",
        processes: int | None = None,
    ) -> BatchResult:
        """Packs for ``family_ids`` into ``out_dir``, laid out on a process pool; each family's pack,
        event and casenote committed together or not at all (see :mod:`ehdesk.desk.batch`).

        This Desk reads the contents (a chunk of families per read, the checks of
        :meth:`privacy_notice_pack`) and records the packs (a chunk per transaction, the checks of
        :meth:`record_pack_shared`); the pool only builds PDFs. The day is fixed when the batch starts,
        so a batch running past midnight records the day its packs are dated."""
        today = self.today()
        spec = self.spec("privacy_notice")

        def read(ids: Sequence[int]) -> tuple[dict[int, PackContent], dict[int, EhdeskError]]:
            with self._read() as (session, actor):
                return packs.pack_contents(session, actor, ids, self.policy, on=today)

        def record(made: Sequence[tuple[int, Pack]]) -> packs.PacksRecorded:
            with self._write() as (session, actor):
                return packs.record_packs_shared(
                    session, actor, spec, made, method, policy=self.policy, on=today
                )

        return batch.generate_packs(
            read, record, family_ids, out_dir, progress=progress, cancelled=cancelled, processes=processes
        )

    def generate_missing_packs(
        self,
        family_ids: Sequence[int],
        out_dir: Path,
        *,
        progress: Callable[[int, int], None],
        cancelled: Callable[[], bool],
    ) -> int:
        """:meth:`generate_packs` saving to ``out_dir``; returns how many packs were written. A family
        that failed is left missing evidence (it shows on the next run and in the compliance view)."""
        result = self.generate_packs(family_ids, out_dir, progress=progress, cancelled=cancelled)
        return len(result.written)

    # -- compliance --------------------------------------------------------------------------------

    def compliance(self) -> ComplianceReport:
        """Gaps against the guidance, oldest first, with counts per worker (G3, G4, G10, G19)."""
        with self._read() as (session, actor):
            return compliance.compliance(session, actor)
