"""The main window's family-worker part: My families (a worker's start screen), the casefile and the
compliance view, with their actions and shortcuts.

Kept apart from :mod:`ehdesk.gui.mainwindow` so the window's own code stays about the chrome and the
referral views, and so other areas (the managers' queue) can add their views beside these without the
two edits touching. Users who cannot record sharing (the admin team) get none of this: the Casefile
menu and the three views are taken out of their window rather than greyed, as there is nothing in them
they could ever use; the services refuse them anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from ehdesk.errors import EhdeskError
from ehdesk.gui.allocation_dialog import AllocationDialog
from ehdesk.gui.batch_packs import BatchPacksRunner, folder_to_offer
from ehdesk.gui.casefile_view import DECLINE_SHORTCUT, CasefilePage
from ehdesk.gui.caseload import CaseloadPage
from ehdesk.gui.compliance_view import ComplianceView
from ehdesk.gui.pack_dialog import PackDialog
from ehdesk.gui.queue_view import QueueView
from ehdesk.services.permissions import Permission, allowed

if TYPE_CHECKING:
    from ehdesk.gui.mainwindow import MainWindow

WORKER_VIEWS = ("caseload", "casefile", "compliance")
PACKS_FOLDER_KEY = "packs/folder"


def packs_folder() -> Path:
    """Where the last batch of packs went (the first time: ``ehdesk-packs`` in the home folder)."""
    remembered = QSettings().value(PACKS_FOLDER_KEY, "")
    return Path(remembered) if isinstance(remembered, str) and remembered else Path.home() / "ehdesk-packs"


#: Views with a family in hand, where Allocate acts on it: a manager allocates a newly referred family
#: from the family list or its casefile (it is on nobody's "My families" yet).
ALLOCATE_FROM = ("families", "caseload", "casefile")


class WorkerViews(QObject):
    """Builds and wires the worker's views into ``window``; the window calls back on view changes."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.backend = window.backend
        ui = window.ui
        actor = self.backend.actor
        self.enabled = actor is not None and allowed(actor, Permission.RECORD_SHARING)
        self.can_allocate = actor is not None and allowed(actor, Permission.ALLOCATE)
        self.view_actions = {
            "caseload": ui.actionShowCaseload,
            "casefile": ui.actionShowCasefile,
            "compliance": ui.actionShowCompliance,
        }
        self.action_new_decline = QAction("New &decline…", window)
        self.action_new_decline.setShortcut(QKeySequence(DECLINE_SHORTCUT))
        self.action_new_decline.setToolTip(
            f"Record that the open family declined Early Help (G20, {DECLINE_SHORTCUT})"
        )
        ui.menuCasefile.insertAction(ui.actionPrintPack, self.action_new_decline)
        self.casefile_actions: tuple[QAction, ...] = (
            ui.actionNewShare,
            ui.actionNewObjection,
            self.action_new_decline,
            ui.actionPrintPack,
            ui.actionOpenEntry,
        )
        self.pending_dialog: QDialog | None = None
        self.batch: BatchPacksRunner | None = None
        if not self.enabled:
            ui.menubar.removeAction(ui.menuCasefile.menuAction())
            for action in self.view_actions.values():
                ui.menuView.removeAction(action)
                action.setEnabled(False)
            return
        self.caseload = CaseloadPage(self.backend)
        self.casefile = CasefilePage(self.backend)
        self.compliance = ComplianceView(self.backend)
        for name, page in zip(WORKER_VIEWS, (self.caseload, self.casefile, self.compliance), strict=True):
            window.add_view(name, page)
        self.casefile.allocate_button.setVisible(self.can_allocate)
        self._shortcuts()
        self._connect()

    # set-up -------------------------------------------------------------------------------------------
    def _shortcuts(self) -> None:
        ui = self.window.ui
        ui.actionOpenEntry.setShortcut(QKeySequence(Qt.Key.Key_F2))
        for action in (*self.view_actions.values(), *self.casefile_actions, ui.actionAllocate):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        ui.actionAllocate.setVisible(self.can_allocate)
        self.window.addActions([*self.view_actions.values(), *self.casefile_actions, ui.actionAllocate])

    def _connect(self) -> None:
        ui = self.window.ui
        ui.actionShowCaseload.triggered.connect(self.show_caseload)
        ui.actionShowCasefile.triggered.connect(lambda: self.window.show_view("casefile"))
        ui.actionShowCompliance.triggered.connect(self.show_compliance)
        ui.actionNewShare.triggered.connect(lambda: self._in_casefile(CasefilePage.new_share))
        ui.actionNewObjection.triggered.connect(lambda: self._in_casefile(CasefilePage.new_objection))
        self.action_new_decline.triggered.connect(lambda: self._in_casefile(CasefilePage.new_decline))
        ui.actionOpenEntry.triggered.connect(lambda: self._in_casefile(CasefilePage.open_current))
        ui.actionPrintPack.triggered.connect(self._pack_for_current)
        ui.actionAllocate.triggered.connect(self._allocate_current)
        ui.actionBatchPacks.triggered.connect(self.batch_packs)
        self.caseload.family_activated.connect(self.open_casefile)
        self.caseload.batch_requested.connect(self.batch_packs)
        self.caseload.message.connect(self.window.status)
        self.casefile.message.connect(self.window.status)
        self.casefile.changed.connect(self.caseload.refresh)
        self.casefile.pack_requested.connect(self.open_pack)
        self.casefile.allocate_requested.connect(self.allocate)
        self.compliance.family_activated.connect(self.open_casefile)
        self.compliance.message.connect(self.window.status)

    # what the window asks -----------------------------------------------------------------------------
    @property
    def start_view(self) -> str | None:
        """A worker's day starts on My families (G3: what is due is the first thing they see)."""
        return "caseload" if self.enabled else None

    def restorable(self, view: str) -> str:
        """The view to reopen on: a casefile needs a family opened first, so it reopens My families."""
        if not self.enabled:
            return "families" if view in WORKER_VIEWS else view
        return "caseload" if view == "casefile" else view

    def active_casefile(self) -> CasefilePage | None:
        """The casefile in view with a family open: the worker's casefile view, or the one beside a
        decision in the manager's queue (the Casefile menu acts on whichever is shown)."""
        page: CasefilePage | None = None
        if self.window.current_view == "casefile":
            page = self.casefile
        else:
            queue = getattr(getattr(self.window, "manager_views", None), "view", None)
            if isinstance(queue, QueueView) and self.window.ui.stack.currentWidget() is queue:
                decision = queue.decision
                if decision is not None and queue.stack.currentWidget() is decision:
                    page = decision.casefile
        return page if page is not None and page.family is not None else None

    def _in_casefile(self, act: Callable[[CasefilePage], object]) -> None:
        page = self.active_casefile()
        if page is not None:
            act(page)

    def view_changed(self, view: str) -> None:
        if not self.enabled:
            return
        on_casefile = self.active_casefile() is not None
        for action in self.casefile_actions:
            action.setEnabled(on_casefile)
        ui = self.window.ui
        ui.actionPrintPack.setEnabled(on_casefile or view == "caseload")
        ui.actionAllocate.setEnabled(self.can_allocate and view in ALLOCATE_FROM)
        for name, action in self.view_actions.items():
            action.setCheckable(True)
            action.setChecked(name == view)
        # whenever a list view becomes the current one (switched to, or restored at start-up) it loads
        # afresh and its table takes the keyboard: the tester found Compliance empty and the focus on
        # a filter when it was the view restored at start-up
        if view == "caseload":
            self.caseload.refresh()
            self.caseload.focus_list()
        elif view == "compliance":
            self.compliance.refresh()
            self.compliance.focus_table()

    # views --------------------------------------------------------------------------------------------
    def show_caseload(self) -> None:
        self.window.show_view("caseload")  # loads it and focuses its list (view_changed)

    def show_compliance(self) -> None:
        self.window.show_view("compliance")  # loads it and focuses its table (view_changed)

    def open_casefile(self, family_id: int) -> None:
        if self.casefile.open_family(family_id):
            self.window.show_view("casefile")
            self.casefile.focus_timeline()

    # actions ------------------------------------------------------------------------------------------
    def _family_in_view(self) -> int | None:
        page = self.active_casefile()
        if page is not None:
            return page.family_id
        if self.window.current_view == "caseload":
            return self.caseload.current_family()
        if self.window.current_view == "families":
            return self.window.families.current_family()
        return None

    def _pack_for_current(self) -> None:
        family_id = self._family_in_view()
        if family_id is not None:
            self.open_pack(family_id)

    def open_pack(self, family_id: int) -> PackDialog | None:
        reference = self._reference(family_id)
        dialog = PackDialog(self.backend, family_id, reference, self.window)
        if dialog.pack is None:  # refused (not this worker's family …): the status bar says why
            dialog.deleteLater()
            return None
        dialog.message.connect(self.window.status)
        dialog.shared.connect(lambda _shared: self._after_change())
        self._open(dialog)
        return dialog

    def _allocate_current(self) -> None:
        family_id = self._family_in_view()
        if family_id is not None:
            self.allocate(family_id)

    def allocate(self, family_id: int) -> AllocationDialog | None:
        """The allocation dialog for ``family_id``, from wherever the family is in view. It starts on
        the family's current worker and carries the version just read, so a change made meanwhile by
        another manager is refused rather than overwritten."""
        try:
            family = self.backend.family_summary(family_id)
        except EhdeskError as error:
            self.window.status(str(error))
            return None
        dialog = AllocationDialog(
            self.backend,
            family_id,
            family.reference,
            version=family.version,
            current_worker_id=family.worker_id,
            parent=self.window,
        )
        dialog.accepted.connect(self._after_change)
        dialog.accepted.connect(lambda: self._allocated(family_id))
        self._open(dialog)
        return dialog

    def _allocated(self, family_id: int) -> None:
        if self.casefile.family_id == family_id:
            self.casefile.open_family(family_id)  # the header names the new worker
        self.window.families.run_search()
        self.window.status("Family allocated; the casefile shows it")

    def batch_packs(self) -> QFileDialog | BatchPacksRunner:
        """Packs for every allocated family with no evidence yet, off the GUI thread (cancellable).

        First the folder they go to is asked for, every time, starting at the one used last time
        (remembered in QSettings; the first time ``ehdesk-packs`` in the home folder, created so the
        chooser can accept it): a worker must know where a hundred PDFs went, and may want them on a
        shared drive.
        A batch still running is shown rather than started twice."""
        if self.batch is not None and self.batch.running:
            return self.batch
        dialog = QFileDialog(
            self.window,
            "Save the privacy-notice packs in which folder?",
            str(folder_to_offer(packs_folder())),
        )
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setLabelText(QFileDialog.DialogLabel.Accept, "Make packs here")
        dialog.fileSelected.connect(lambda folder: self.start_batch(Path(folder)))
        self._open(dialog)
        return dialog

    def start_batch(self, folder: Path) -> BatchPacksRunner:
        """Run the batch into ``folder`` (remembered as the next batch's starting folder)."""
        QSettings().setValue(PACKS_FOLDER_KEY, str(folder))
        self.batch = BatchPacksRunner(self.backend, self.window, out_dir=folder)
        self.batch.finished.connect(self._batch_done)
        self.batch.start()
        return self.batch

    def _batch_done(self, text: str) -> None:
        self.window.status(text)
        self._after_change()

    def _after_change(self) -> None:
        self.caseload.refresh()
        self.casefile.refresh()

    def _reference(self, family_id: int) -> str:
        if self.casefile.family is not None and self.casefile.family.id == family_id:
            return self.casefile.family.reference
        for row in self.caseload.model.rows:
            if row.id == family_id:
                return row.reference
        return str(family_id)

    def _open(self, dialog: QWidget) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if isinstance(dialog, QDialog):
            self.pending_dialog = dialog
            dialog.finished.connect(lambda _code: self._closed(dialog))
            dialog.open()
            dialog.activateWindow()  # the keyboard goes to the new window at once

    def _closed(self, dialog: QDialog) -> None:
        if self.pending_dialog is dialog:
            self.pending_dialog = None
