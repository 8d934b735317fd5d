"""Batch privacy-notice packs (G3, G4): many families on a process pool, each family whole or not at all.

The batch sits with the Desk rather than the services because each pool process opens a Desk of its own
(database, policy pack, acting user) from plain, picklable values and goes through the same use cases as
one pack made on screen: the same permission checks, the same casenote, the same audit events.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ehdesk.errors import EhdeskError
from ehdesk.services.actor import Actor

if TYPE_CHECKING:
    from ehdesk.desk import Desk


@dataclass(frozen=True)
class DeskRecipe:
    """How a pool process opens its own Desk: plain, picklable values only."""

    database_url: str
    policy_path: str | None
    actor: Actor
    today: date

    def open(self) -> Desk:
        from ehdesk.desk import Desk
        from ehdesk.policy import load_pack
        from ehdesk.storage.database import Database

        policy = load_pack(Path(self.policy_path) if self.policy_path else None)
        return Desk(Database(self.database_url), policy, actor=self.actor, today=lambda: self.today)


@dataclass(frozen=True)
class BatchResult:
    written: tuple[Path, ...]
    failed: tuple[tuple[int, str], ...]
    cancelled: bool


_DESKS: dict[DeskRecipe, Desk] = {}

CANCEL_POLL_S = 0.1
"""How often the batch asks whether it was cancelled while no family finishes (the dialog's cancel
button answers within this, well inside the one second a cancel may take)."""


def pack_one(recipe: DeskRecipe, family_id: int, out_dir: str, method: str) -> str:
    """One family in a pool process: build the pack, write it, record it; the file goes if recording fails."""
    desk = _DESKS.get(recipe)
    if desk is None:
        desk = _DESKS[recipe] = recipe.open()
    pack = desk.privacy_notice_pack(family_id)
    path = Path(out_dir) / pack.filename
    partial = path.with_suffix(".part")
    partial.write_bytes(pack.pdf)
    try:
        desk.record_pack_shared(family_id, method, pack)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(path)
    return str(path)


def generate_packs(
    recipe: DeskRecipe,
    family_ids: Sequence[int],
    out_dir: Path,
    *,
    progress: Callable[[int, int], None],
    cancelled: Callable[[], bool],
    method: str = "saved",
    processes: int | None = None,
) -> BatchResult:
    """Packs for ``family_ids`` into ``out_dir`` on a process pool (one process per core by default).

    At most two families per process are in flight, so memory stays flat however many families there
    are; ``progress(done, total)`` is called after each family and ``cancelled()`` checked as often:
    once it answers True no further family starts, the ones queued but not started are withdrawn, and
    the ones running finish whole (a family's pack, event and casenote commit together or not at all),
    so a cancel waits for at most one family per process."""
    out_dir.mkdir(parents=True, exist_ok=True)
    total = len(family_ids)
    processes = max(1, min(processes or os.cpu_count() or 1, total or 1))
    written: list[Path] = []
    failed: list[tuple[int, str]] = []
    stopped = False
    progress(0, total)
    pending = iter(family_ids)
    context = multiprocessing.get_context("spawn")  # no inherited engines, threads or Qt state
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=context)
    running: dict[Future[str], int] = {}
    try:

        def top_up() -> None:
            while len(running) < processes * 2 and not stopped:
                family_id = next(pending, None)
                if family_id is None:
                    return
                running[pool.submit(pack_one, recipe, family_id, str(out_dir), method)] = family_id

        top_up()
        done_count = 0
        while running:
            finished, _ = wait(running, timeout=CANCEL_POLL_S, return_when=FIRST_COMPLETED)
            for future in finished:
                family_id = running.pop(future)
                if future.cancelled():
                    continue
                try:
                    written.append(Path(future.result()))
                except EhdeskError as exc:
                    failed.append((family_id, str(exc)))
                done_count += 1
                progress(done_count, total)
            if not stopped and cancelled():
                stopped = True
                for future in list(running):
                    if future.cancel():  # queued, not started: it never touches the database
                        running.pop(future)
            top_up()
    finally:
        # every family handed to the pool has finished (or was withdrawn before it started) once the
        # loop ends, so nothing is left half-done: the pool processes' own exit (about a second here,
        # measured by benchmarks/bench_packs.py) is left to the executor rather than waited for
        pool.shutdown(wait=not_all_settled(running), cancel_futures=True)
    return BatchResult(tuple(written), tuple(failed), stopped and done_count < total)


def not_all_settled(running: dict[Future[str], int]) -> bool:
    """Whether a family is still in the pool (only when the loop was left by an exception): then the
    shutdown waits for it, so its pack and records finish whole before the error is raised."""
    return any(not future.done() for future in running)


def describe(result: BatchResult) -> Iterable[str]:
    yield f"{len(result.written)} pack{'s' if len(result.written) != 1 else ''} written"
    if result.cancelled:
        yield "cancelled: the families not reached are still missing evidence"
    for family_id, message in result.failed:
        yield f"family {family_id}: {message}"
