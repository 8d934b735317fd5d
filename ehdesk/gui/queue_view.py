"""The managers' decision queue: what waits for a decision, oldest first, and each entry opened in place.

Filters by kind (declines, objections, shares under an exception) and by the worker who raised the
entry narrow the list at the service, not on screen, so a filtered queue is as quick as a short one.
Enter (or a double-click) opens the entry: the casefile beside the decision form
(:class:`~ehdesk.gui.decision_page.DecisionPage`) replaces the list; Escape or Alt+Left comes back
with the list where it was, and the list reloads after a decision so decided entries leave it.

Only managers see this view (the main window adds it for them); the service refuses anyone else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ehdesk.desk.manager import QueueEntry
from ehdesk.errors import EhdeskError
from ehdesk.gui.backend import Backend
from ehdesk.gui.decision_page import DecisionPage
from ehdesk.gui.queue_model import KIND_LABELS, QueueFilter, QueueModel
from ehdesk.gui.tables import record_table
from ehdesk.services.permissions import Permission, allowed

if TYPE_CHECKING:
    from ehdesk.gui.mainwindow import MainWindow

VIEW = "queue"
SHORTCUT = "Ctrl+6"

KIND_CHOICES: tuple[tuple[str, str | None], ...] = (
    ("All kinds", None),
    ("Declines", "decline"),
    ("Objections", "objection"),
    ("Shares under an exception", "share"),
)


class QueueView(QWidget):
    """The queue list, and the entry being decided, in one stacked view."""

    message = Signal(str)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.kind = QComboBox()
        self.kind.setAccessibleName("Show entries of kind")
        for label, value in KIND_CHOICES:
            self.kind.addItem(label, value)
        self.worker = QComboBox()
        self.worker.setAccessibleName("Show entries raised by worker")
        self.worker.addItem("Every worker", None)
        kind_label = QLabel("&Kind:")
        kind_label.setBuddy(self.kind)
        worker_label = QLabel("&Worker:")
        worker_label.setBuddy(self.worker)
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.setToolTip("Load the queue again (F5)")
        self.open_button = QPushButton("&Open")
        self.open_button.setToolTip("Open the selected entry beside its casefile (Enter)")

        self.model = QueueModel(self._fetch)
        self.table = record_table(
            self.model,
            "Decision queue",
            description="Oldest first. Enter opens an entry beside the family's casefile.",
            resize=QHeaderView.ResizeMode.ResizeToContents,
        )
        self.count = QLabel()
        self.count.setAccessibleName("Entries waiting")

        filters = QHBoxLayout()
        filters.addWidget(kind_label)
        filters.addWidget(self.kind)
        filters.addWidget(worker_label)
        filters.addWidget(self.worker)
        filters.addStretch(1)
        filters.addWidget(self.count)
        filters.addWidget(self.refresh_button)
        filters.addWidget(self.open_button)
        self.list_page = QWidget()
        list_layout = QVBoxLayout(self.list_page)  # the style's own margins, as every other page has
        list_layout.addWidget(QLabel("<h2>Decision queue</h2>"))
        list_layout.addLayout(filters)
        list_layout.addWidget(self.table, 1)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.list_page)
        self.decision: DecisionPage | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self.kind.currentIndexChanged.connect(self.apply_filter)
        self.worker.currentIndexChanged.connect(self.apply_filter)
        self.refresh_button.clicked.connect(self.reload)
        refresh = QShortcut(QKeySequence(QKeySequence.StandardKey.Refresh), self.list_page)
        refresh.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh.activated.connect(self.reload)
        self.open_button.clicked.connect(self.open_current)
        self.table.activated.connect(self._activated)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.open_current)
        self.model.modelReset.connect(self._show_count)
        self.model.rowsInserted.connect(self._show_count)
        self._workers_loaded = False

    # loading ----------------------------------------------------------------------------------------
    def _load_workers(self) -> None:
        """The worker filter's choices, once (who raised entries: workers and managers alike)."""
        if self._workers_loaded:
            return
        try:
            workers = self.backend.workers()
        except EhdeskError as error:
            self.message.emit(f"The worker filter could not be filled: {error}")
            return
        self._workers_loaded = True
        self.worker.blockSignals(True)
        for person in workers:
            self.worker.addItem(person.full_name, person.id)
        self.worker.blockSignals(False)

    def _fetch(self, queue_filter: QueueFilter, limit: int, last: QueueEntry | None) -> list[QueueEntry]:
        after = last.cursor if last is not None else None
        try:
            return self.backend.decision_queue(
                kind=queue_filter.kind, worker_id=queue_filter.worker_id, limit=limit, after=after
            )
        except EhdeskError as error:
            self.message.emit(f"The queue could not be loaded: {error}")
            return []

    def current_filter(self) -> QueueFilter:
        kind = self.kind.currentData()
        worker = self.worker.currentData()
        return QueueFilter(
            kind=kind if isinstance(kind, str) else None,
            worker_id=worker if isinstance(worker, int) else None,
        )

    def apply_filter(self) -> None:
        self.model.set_filter(self.current_filter())
        if self.model.rowCount():
            self.table.selectRow(0)

    def reload(self) -> None:
        """Load the queue again from the top (the view is shown, a decision was signed, F5)."""
        self._load_workers()
        row = max(self.table.currentIndex().row(), 0)
        self.apply_filter()
        if self.model.rowCount():
            self.table.selectRow(min(row, self.model.rowCount() - 1))

    def _show_count(self) -> None:
        shown = self.model.rowCount()
        more = "" if self.model.exhausted else "+"
        what = KIND_LABELS.get(self.current_filter().kind or "", "entry").lower()
        if shown == 0:
            self.count.setText("Nothing waiting for a decision")
        else:
            self.count.setText(f"{shown}{more} waiting" + ("" if what == "entry" else f" ({what})"))
        self.open_button.setEnabled(shown > 0)

    def focus_list(self) -> None:
        self.show_list()
        self.table.setFocus()
        if self.table.currentIndex().row() < 0 and self.model.rowCount():
            self.table.selectRow(0)

    # opening entries --------------------------------------------------------------------------------
    def current_entry(self) -> QueueEntry | None:
        return self.model.entry(self.table.currentIndex().row())

    def _activated(self, index: QModelIndex) -> None:
        entry = self.model.entry(index.row())
        if entry is not None:
            self.open_entry(entry)

    def open_current(self) -> None:
        entry = self.current_entry()
        if entry is not None:
            self.open_entry(entry)

    def open_entry(self, entry: QueueEntry) -> DecisionPage:
        self.close_entry()
        page = DecisionPage(self.backend, entry)
        page.back.connect(self.show_list)
        page.message.connect(self.message)
        page.decided.connect(lambda _record: self.model.reload())
        self.decision = page
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        page.form.view.focus_first()
        return page

    def close_entry(self) -> None:
        if self.decision is not None:
            self.stack.removeWidget(self.decision)
            self.decision.deleteLater()
            self.decision = None

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.list_page)
        self.close_entry()
        self.table.setFocus()

    @property
    def dirty(self) -> bool:
        """Unsaved typing in an open decision (it is kept as a draft in any case)."""
        return self.decision is not None and self.decision.form.dirty


class ManagerViews(QObject):
    """The managers' part of the main window: the "Decision queue" view and its View-menu action.

    Built by the window in one line and kept here, beside the view, so the window's code stays about its
    chrome. Anyone who cannot decide gets neither the view nor the action (hiding is a courtesy: the
    queue service refuses them anyway).
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        actor = window.backend.actor
        self.enabled = actor is not None and allowed(actor, Permission.DECIDE)
        self.view: QueueView | None = None
        self.action: QAction | None = None
        if not self.enabled:
            return
        self.view = QueueView(window.backend)
        self.view.message.connect(window.status)
        window.add_view(VIEW, self.view)
        action = QAction("Decision &queue", window)
        action.setShortcut(QKeySequence(SHORTCUT))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setStatusTip("Declines, objections and shares under an exception waiting for your decision")
        action.setToolTip(f"Decision queue ({SHORTCUT})")
        action.triggered.connect(self.show_queue)
        window.ui.menuView.addAction(action)
        window.addAction(action)
        self.action = action
        window.ui.stack.currentChanged.connect(self._stack_changed)
        # an entry opened or closed inside the queue shows or hides a casefile: the Casefile menu follows
        self.view.stack.currentChanged.connect(self._entry_changed)

    def show_queue(self) -> None:
        if self.view is None:
            return
        self.window.show_view(VIEW)
        self.view.focus_list()

    def _entry_changed(self, _index: int) -> None:
        self.window.worker_views.view_changed(self.window.current_view)

    def _stack_changed(self, _index: int) -> None:
        """Coming to the queue (switched to or restored at start-up) loads it afresh with the keyboard on
        its list, and keeps an entry that is open as it was."""
        view = self.view
        if view is None or self.window.ui.stack.currentWidget() is not view:
            return
        if view.decision is None:
            view.reload()
            view.focus_list()  # the list, not the Kind filter (where Ctrl+End changed the filter)
