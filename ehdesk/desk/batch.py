"""Batch privacy-notice packs (G3, G4): many families on a process pool, each family whole or not at all.

The work is split by what each part needs:

* the **main process** (the one holding the Desk) reads what each family's pack prints, a chunk of
  families per read session, through the same permission and allocation checks as one pack made on
  screen (:func:`ehdesk.services.packs.pack_contents`); and it records the packs made, a chunk of
  families per write transaction (:func:`ehdesk.services.packs.record_packs_shared`: event, stored PDF,
  casenote, one audit append), each family still whole;
* the **pool processes** only lay PDFs out from plain, picklable :class:`PackContent` — pure CPU — and
  write each to a ``.part`` file; they open no database.

Why: when every pool process opened a Desk and built, wrote and recorded each family in a transaction
of its own, SQLite's single writer made the processes queue for the write lock, and every family paid a
commit and the audit anchor's file replace: recording a family in a transaction of its own took about
6 ms, in a chunk of 50 it takes about 1 ms (``benchmarks/bench_packs.py``, docs/benchmarks.md).

A family's file takes its final name just before its records are committed and is removed if they are
not, so a failure or a cancel never leaves a pack on disk without its records nor records without their
pack; a crash between the two (``kill -9``) can leave only a file whose family is still missing evidence,
which the next run makes again under the same name. Work in flight is bounded
(:data:`IN_FLIGHT_PER_PROCESS` families per process handed over, at most one chunk waiting to be
recorded), so memory stays flat however many families there are.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ehdesk.errors import EhdeskError

if TYPE_CHECKING:
    from ehdesk.documents.pack import PackContent
    from ehdesk.services.packs import Pack, PacksRecorded

    #: Read these families' pack contents, answering each one's content or why it cannot have a pack.
    Reader = Callable[[Sequence[int]], tuple[dict[int, PackContent], dict[int, EhdeskError]]]
    #: Record these families' packs as shared, in one transaction, each family whole (or refused).
    Recorder = Callable[[Sequence[tuple[int, Pack]]], PacksRecorded]


@dataclass(frozen=True)
class BatchResult:
    written: tuple[Path, ...]
    failed: tuple[tuple[int, str], ...]
    cancelled: bool


READ_CHUNK = 50
"""Families whose contents are read in one read session (a handful of queries for all of them)."""

RECORD_AT_MOST = 50
"""Families recorded in one transaction at most; a chunk is also recorded once its oldest family has
waited :data:`RECORD_EVERY_S`, so progress moves and a cancel commits little."""

RECORD_EVERY_S = 0.2

IN_FLIGHT_PER_PROCESS = 16
"""Families handed to the pool per process and not yet collected: enough that the pool never idles
while the main process records a chunk (about 0.1 s), few enough that memory stays flat."""

FAMILIES_PER_TASK = 4
"""Families sent to a pool process in one task: a quarter of the hand-overs (and of their pickling and
waking up) of one family per task. A cancel withdraws every task not yet handed to a process; the ones
handed over (one per process and one more the executor queues) finish, a few dozen milliseconds."""

CANCEL_POLL_S = 0.1
"""How often the batch asks whether it was cancelled while no family finishes (the dialog's cancel
button answers within this, well inside the one second a cancel may take)."""

PROGRESS_EVERY_S = 0.2
"""``progress`` is called about this often at least, even while the pool is starting (issue 16 asks
for 0.5 s; the margin is for a chunk being recorded on a busy machine)."""


PARENT_POLL_S = 0.2
"""How often a pool process checks that the process which started it is still alive."""

STALE_PART_S = 60.0
"""A ``.part`` file untouched this long is left over from a batch that was killed (a family's file
lives as ``.part`` for well under a second); younger ones may belong to a batch running now into the
same folder (a shared drive), so they are left alone."""


def _end_with_parent(parent: int) -> None:
    """Pool initializer: the process ends as soon as the process that started the pool is gone.

    Why: when the main process is killed (``kill -9``, a crash), nothing tells the pool: its processes
    wait for work on a queue whose write end they themselves hold, so they lived on as orphans, with
    multiprocessing's resource tracker beside them, and finished the packs in hand into files nobody
    would record. Polling ``os.getppid()`` rather than Linux's ``PR_SET_PDEATHSIG``: that signal is sent
    when the *thread* that started the process ends, and in the app that is the batch's own thread,
    which ends after every batch. (The resource tracker ends by itself once no process holds its pipe.)
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_POLL_S)
        os._exit(1)  # no clean-up to run: the parent that would record the packs is gone

    threading.Thread(target=watch, name="ehdesk-parent-watch", daemon=True).start()


def remove_stale_parts(out_dir: Path) -> int:
    """Remove the ``.part`` files a killed batch left in ``out_dir`` (see :data:`STALE_PART_S`); how
    many were removed. Their families were not recorded (or were, but their file never took its name):
    either way the file is not a pack anyone may rely on, and a family still missing evidence gets a
    new one from this batch."""
    cutoff = time.time() - STALE_PART_S
    removed = 0
    for part in out_dir.glob("privacy-notice-*.part"):
        with contextlib.suppress(OSError):  # gone already, or another batch's: not ours to insist on
            if part.stat().st_mtime < cutoff:
                part.unlink()
                removed += 1
    return removed


@dataclass(frozen=True)
class _Job:
    """One family handed to the pool: what its pack prints and where its file goes."""

    family_id: int
    content: PackContent
    partial: Path
    final: Path


@dataclass(frozen=True)
class _Built:
    job: _Job
    pack: Pack


@dataclass
class _Run:
    """One batch's state in the main process."""

    read: Reader
    record: Recorder
    out_dir: Path
    total: int
    progress: Callable[[int, int], None]
    pending: Iterable[int]
    ready: deque[tuple[int, PackContent]] = field(default_factory=deque)
    running: dict[Future[list[bytes | str]], list[_Job]] = field(default_factory=dict)
    in_flight: int = 0
    built: list[_Built] = field(default_factory=list)
    built_since: float = 0.0
    written: list[Path] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    done: int = 0
    exhausted: bool = False
    last_progress: float = 0.0
    reported: int = -1

    def tell(self) -> None:
        self.progress(self.done, self.total)
        self.last_progress, self.reported = time.monotonic(), self.done

    def heartbeat(self, every: float) -> None:
        """Say where the batch is if nothing was said for ``every`` seconds (the pool starting, a
        chunk being read), so a progress display never looks stuck."""
        if time.monotonic() - self.last_progress >= every:
            self.tell()

    def fail(self, family_id: int, message: str) -> None:
        self.failed.append((family_id, message))
        self.done += 1

    def read_more(self) -> None:
        """The next chunk's contents, in one read session; families refused count as done."""
        chunk: list[int] = []
        for family_id in self.pending:
            chunk.append(family_id)
            if len(chunk) == READ_CHUNK:
                break
        if not chunk:
            self.exhausted = True
            return
        contents, refused = self.read(chunk)
        for family_id in chunk:
            if family_id in contents:
                self.ready.append((family_id, contents[family_id]))
            else:
                self.fail(family_id, str(refused.get(family_id, "its pack's contents could not be read")))

    def top_up(self, pool: ProcessPoolExecutor, limit: int) -> None:
        """Hand families to the pool, a few per task, until ``limit`` are in flight (reading the next
        chunk's contents when the ones read are all handed over)."""
        from ehdesk.documents.pack import pack_filename, write_pack_parts

        while self.in_flight < limit:
            if not self.ready:
                if self.exhausted:
                    return
                self.read_more()
                continue
            jobs: list[_Job] = []
            while self.ready and len(jobs) < FAMILIES_PER_TASK:
                family_id, content = self.ready.popleft()
                name = pack_filename(content.family_reference, content.on, large_print=content.large_print)
                final = self.out_dir / name
                jobs.append(_Job(family_id, content, final.with_suffix(".part"), final))
            future = pool.submit(write_pack_parts, [(job.content, str(job.partial)) for job in jobs])
            self.running[future] = jobs
            self.in_flight += len(jobs)

    def collect(self, finished: Iterable[Future[list[bytes | str]]]) -> None:
        """Families the pool has built join the chunk waiting to be recorded; a family whose pack could
        not be laid out fails alone."""
        from ehdesk.services.packs import pack_of

        for future in finished:
            jobs = self.running.pop(future)
            self.in_flight -= len(jobs)
            if future.cancelled():  # withdrawn before it started: nothing of it exists
                continue
            error = future.exception()
            if isinstance(error, BrokenProcessPool):  # a pool process died: the batch cannot go on
                for job in jobs:
                    job.partial.unlink(missing_ok=True)
                raise error
            made = [f"its pack could not be made ({error})"] * len(jobs) if error else future.result()
            for job, pdf in zip(jobs, made, strict=True):
                if isinstance(pdf, str):
                    job.partial.unlink(missing_ok=True)
                    self.fail(job.family_id, pdf)
                    continue
                if not self.built:
                    self.built_since = time.monotonic()
                self.built.append(_Built(job, pack_of(job.family_id, job.content, pdf)))

    def record_built(self) -> None:
        """Record the chunk in hand in one transaction. Each file takes its final name just before the
        commit and loses it again if its family is not recorded: a crash in between (``kill -9``) leaves
        at worst a file without records, whose family is still missing evidence and gets the same file
        again from the next run, never records claiming a pack that is not in the folder."""
        built, self.built = self.built, []
        placed: list[_Built] = []
        for b in built:
            try:
                b.job.partial.replace(b.job.final)
            except OSError as exc:  # the folder refused the name: nothing is recorded for it
                b.job.partial.unlink(missing_ok=True)
                self.fail(b.job.family_id, f"{b.job.final} could not be written ({exc})")
                continue
            placed.append(b)
        if not placed:
            return
        try:
            outcome = self.record([(b.job.family_id, b.pack) for b in placed])
        except EhdeskError as exc:  # the whole transaction refused (busy, the user deactivated …)
            for b in placed:
                b.job.final.unlink(missing_ok=True)
                self.fail(b.job.family_id, str(exc))
            return
        except BaseException:
            for b in placed:
                b.job.final.unlink(missing_ok=True)
            raise
        for b in placed:
            job = b.job
            if job.family_id in outcome.shared:
                self.written.append(job.final)
                self.done += 1
            else:
                job.final.unlink(missing_ok=True)
                refusal = outcome.refused.get(job.family_id)
                self.fail(job.family_id, str(refusal) if refusal is not None else "not recorded")

    def due(self, settling: bool) -> bool:
        """Whether the chunk in hand is recorded now: full, old enough, or nothing more is coming."""
        if not self.built:
            return False
        full = len(self.built) >= RECORD_AT_MOST
        return full or settling or time.monotonic() - self.built_since >= RECORD_EVERY_S

    def discard(self) -> None:
        """On the way out after an unexpected error: no ``.part`` file outlives the batch."""
        for b in self.built:
            b.job.partial.unlink(missing_ok=True)
        self.built = []
        for jobs in self.running.values():
            for job in jobs:
                job.partial.unlink(missing_ok=True)


def generate_packs(
    read: Reader,
    record: Recorder,
    family_ids: Sequence[int],
    out_dir: Path,
    *,
    progress: Callable[[int, int], None],
    cancelled: Callable[[], bool],
    processes: int | None = None,
) -> BatchResult:
    """Packs for ``family_ids`` into ``out_dir``: contents read and packs recorded here by ``read`` and
    ``record``, PDFs laid out on a process pool (one process per core by default).

    ``progress(done, total)`` is called as chunks are recorded and at least every
    :data:`PROGRESS_EVERY_S`; ``cancelled()`` is asked as often, and before the first family is handed
    over. Once it answers True no further family starts, the tasks queued but not started are
    withdrawn, and the ones already in a pool process finish and are recorded with the chunk in hand —
    each family whole — so a cancel returns in a fraction of a second.

    The pool's processes end by themselves if this process dies (:func:`_end_with_parent`), and the
    ``.part`` files a killed batch left behind are removed by the next one (:func:`remove_stale_parts`).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_parts(out_dir)
    unique = list(dict.fromkeys(family_ids))  # a family named twice gets one pack
    total = len(unique)
    processes = max(1, min(processes or os.cpu_count() or 1, total or 1))
    run = _Run(read, record, out_dir, total, progress, iter(unique))
    run.tell()
    stopped = False
    context = multiprocessing.get_context("spawn")  # no inherited engines, threads or Qt state
    pool = ProcessPoolExecutor(
        max_workers=processes, mp_context=context, initializer=_end_with_parent, initargs=(os.getpid(),)
    )
    try:
        while True:
            if not stopped and cancelled():
                stopped = True
                run.ready.clear()
                for future in list(run.running):
                    if future.cancel():  # queued, not started: nothing of it exists yet
                        run.in_flight -= len(run.running.pop(future))
            if not stopped:
                run.top_up(pool, processes * IN_FLIGHT_PER_PROCESS)
                run.heartbeat(PROGRESS_EVERY_S)
            if run.running:
                finished, _ = wait(run.running, timeout=CANCEL_POLL_S, return_when=FIRST_COMPLETED)
                run.collect(finished)
            settling = not run.running and (stopped or (run.exhausted and not run.ready))
            if run.due(settling):
                run.heartbeat(PROGRESS_EVERY_S / 2)  # recording takes a moment: no long silence
                run.record_built()
                run.tell()
            else:
                run.heartbeat(PROGRESS_EVERY_S)
            if settling and not run.built:
                break
    except BaseException:
        # an unexpected error (or Ctrl+C): let the families being built finish so their files can be
        # removed; nothing of theirs was recorded
        pool.shutdown(wait=True, cancel_futures=True)
        run.discard()
        raise
    # every family handed to the pool has been collected: the processes' own exit (about a second,
    # measured by benchmarks/bench_packs.py) is left to the executor rather than waited for
    pool.shutdown(wait=False, cancel_futures=True)
    if run.reported != run.done:
        run.tell()
    return BatchResult(tuple(run.written), tuple(run.failed), stopped and run.done < total)


def describe(result: BatchResult) -> Iterable[str]:
    yield f"{len(result.written)} pack{'s' if len(result.written) != 1 else ''} written"
    if result.cancelled:
        yield "cancelled: the families not reached are still missing evidence"
    for family_id, message in result.failed:
        yield f"family {family_id}: {message}"
