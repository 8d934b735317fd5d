"""Privacy-notice packs for every allocated family still without evidence (G3, G4), off the GUI thread.

The work runs in a :class:`QThread`; the window stays responsive and a :class:`QProgressDialog` shows
how far it got. The dialog is refreshed by a timer every :data:`TICK_MS` whether or not a pack has just
finished, so it never looks frozen (issue 16: at least every 0.5 s). Cancel sets a flag the batch
(:func:`ehdesk.desk.batch.generate_packs`) asks several times a second: no further family starts, and
the ones already being laid out finish and are recorded. Each family's file, event, stored PDF and
casenote are kept together or not at all (a chunk of families per transaction, each family whole), so
a cancelled batch leaves whole records only — and the next run starts where it stopped, because a
family with evidence is no longer "missing" one.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from ehdesk.desk.batch import describe
from ehdesk.errors import EhdeskError
from ehdesk.gui.backend import Backend

TICK_MS = 200
Progress = Callable[[int, int], None]  # (done, total)
Cancelled = Callable[[], bool]
#: The batch itself: given progress and cancel callbacks, do the work and say what was done.
Job = Callable[[Progress, Cancelled], str]


def folder_to_offer(folder: Path) -> Path:
    """``folder``, created first if it is missing but its parent exists, so the folder chooser can offer
    it: Qt's chooser accepts only a folder that exists, and greyed out "Make packs here" for the first
    suggestion (``ehdesk-packs`` in the home folder) — the batch would have created it anyway. A folder
    whose parent is gone too (a drive not mounted) is offered as it is, for the person to choose again."""
    if not folder.exists() and folder.parent.is_dir():
        with contextlib.suppress(OSError):  # read-only parent: the chooser says so in its own way
            folder.mkdir()
    return folder


def packs_job(backend: Backend, out_dir: Path) -> Job:
    """The real batch: the families missing evidence now, through the Desk's batch
    (:mod:`ehdesk.desk.batch`) — PDFs laid out on a process pool (one process per core) and written to
    ``out_dir``, each family's event, stored PDF and casenote recorded by this process a chunk at a
    time."""

    def run(progress: Progress, cancelled: Cancelled) -> str:
        family_ids = backend.families_missing_evidence()
        if not family_ids:
            return "Every allocated family already has a privacy notice shared: no packs needed"
        result = backend.generate_packs(family_ids, out_dir, progress=progress, cancelled=cancelled)
        return "; ".join(describe(result)) + f" (in {out_dir})"

    return run


class _Worker(QThread):
    progressed = Signal(int, int)
    done = Signal(str)

    def __init__(self, job: Job, stop: threading.Event, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.job = job
        self.stop = stop

    def run(self) -> None:
        try:
            text = self.job(lambda done, total: self.progressed.emit(done, total), self.stop.is_set)
        except EhdeskError as error:
            text = f"Packs stopped: {error}"
        self.done.emit(text)


class BatchPacksRunner(QObject):
    """Runs a :data:`Job` in a thread behind a progress dialog. ``finished`` carries what was done."""

    finished = Signal(str)

    def __init__(
        self, backend: Backend, parent: QWidget, *, out_dir: Path | None = None, job: Job | None = None
    ) -> None:
        super().__init__(parent)
        self.out_dir = out_dir or Path.home() / "ehdesk-packs"
        self.job = job or packs_job(backend, self.out_dir)
        self.stop = threading.Event()
        self.done = 0
        self.total = 0
        self.result: str | None = None
        self.updates = 0  # how often the dialog was refreshed (the tests watch it move)
        self._started = 0.0
        self.dialog = QProgressDialog(
            "Finding the families still missing a privacy notice…", "Cancel", 0, 0, parent
        )
        self.dialog.setWindowTitle("Privacy-notice packs")
        self.dialog.setAccessibleName("Progress of the privacy-notice packs")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self.worker_thread = _Worker(self.job, self.stop, self)
        self.worker_thread.progressed.connect(self._progressed)
        self.worker_thread.done.connect(self._done)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)

    @property
    def running(self) -> bool:
        return self.worker_thread.isRunning()

    def start(self) -> None:
        self._started = time.monotonic()
        self.dialog.show()
        self.timer.start()
        self.worker_thread.start()

    def cancel(self) -> None:
        """Stop after the family being written (its records are whole); the dialog says so at once."""
        self.stop.set()
        self.dialog.setLabelText("Stopping after the current family…")

    def _progressed(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        self._tick()

    def _tick(self) -> None:
        if self.result is not None:
            return
        elapsed = time.monotonic() - self._started
        if self.total:
            self.dialog.setMaximum(self.total)
            self.dialog.setValue(self.done)
            if not self.stop.is_set():
                self.dialog.setLabelText(f"Pack {self.done} of {self.total} · {elapsed:.0f} s")
        self.updates += 1

    def _done(self, text: str) -> None:
        self.result = text
        self.timer.stop()
        self.worker_thread.wait()
        self.dialog.close()
        self.finished.emit(text)
