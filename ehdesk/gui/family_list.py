"""The family list: type a name, reference, birth date or postcode and the list follows as you type.

Searching waits for a short pause in typing (a single-shot QTimer restarted on each keystroke), so a
fast typist runs one query, not one per letter. The page comes first; the count follows on the next turn
of the event loop (after the rows are painted) and is dropped if another search has started. A first
page that is not full is its own count, so most searches cost one query; otherwise the count is capped
("1,000+") by the service. One or two letters alone show a prompt instead of a scan (issue 18).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ehdesk.errors import EhdeskError
from ehdesk.gui.backend import Backend, FamilyRow
from ehdesk.gui.family_model import FAMILY_ID_ROLE, FamilyTableModel
from ehdesk.gui.tables import record_table
from ehdesk.services.families import MAX_QUERY_LENGTH, count_text

SEARCH_DELAY_MS = 250


class FamilyListPage(QWidget):
    """Search box over a lazily filled table; Enter or a double-click opens the family."""

    family_activated = Signal(int)
    message = Signal(str)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.search = QLineEdit()
        self.search.setPlaceholderText(
            "Search by name, family reference, birth date (DD/MM/YYYY) or postcode"
        )
        self.search.setAccessibleName("Search families")
        self.search.setClearButtonEnabled(True)
        self.search.setMaxLength(MAX_QUERY_LENGTH)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of families found")
        self.model = FamilyTableModel(self._fetch)
        self.table = record_table(self.model, "Families", widths=(110, 260, 360, 90))
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.activated.connect(self._activate)

        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)

        self._generation = 0  # bumped by each search, so a count for an older search is dropped
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self._search_or_open)

    def _fetch(self, query: str, limit: int, before_id: int | None) -> list[FamilyRow]:
        try:
            return self.backend.search_families(query, limit=limit, before_id=before_id)
        except EhdeskError as error:
            self.message.emit(str(error))
            return []

    def run_search(self) -> None:
        """Search now (the debounce timer calls this; so does showing the page)."""
        self._timer.stop()
        query = self.search.text().strip()
        self._generation += 1
        prompt = self._prompt(query)
        if prompt:
            self.model.clear(query)
            self.count_label.setText(prompt)
            return
        self.model.set_query(query)
        if self.model.exhausted:  # the first page was not full: its rows are the whole answer
            self._show_count(query, self.model.rowCount())
        else:
            generation = self._generation
            self.count_label.setText("Counting…")
            QTimer.singleShot(0, self, lambda: self._count(query, generation))
        if self.model.rowCount():
            self.table.selectRow(0)

    def _prompt(self, query: str) -> str | None:
        try:
            return self.backend.family_search_prompt(query)
        except EhdeskError as error:
            return str(error)

    def _count(self, query: str, generation: int) -> None:
        if generation != self._generation:  # another keystroke has started another search
            return
        try:
            total = self.backend.count_families(query)
        except EhdeskError as error:
            self.message.emit(str(error))
            return
        self._show_count(query, total)

    def _show_count(self, query: str, total: int) -> None:
        noun = "family" if total == 1 else "families"
        hint = self.backend.empty_family_list_hint() if total == 0 else None  # a worker holding none
        self.count_label.setText(
            hint or f"{count_text(total)} {noun}" + (f" matching “{query}”" if query else "")
        )

    @property
    def search_pending(self) -> bool:
        return self._timer.isActive()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def current_family(self) -> int | None:
        """The id of the family selected in the table (what Allocate acts on), if any."""
        family_id = self.model.data(self.table.currentIndex(), FAMILY_ID_ROLE)
        return family_id if isinstance(family_id, int) else None

    def _search_or_open(self) -> None:
        if self._timer.isActive():
            self.run_search()
        index = self.table.currentIndex()
        if index.isValid():
            self._activate(index)

    def _activate(self, index: QModelIndex) -> None:
        family_id = self.model.data(index, FAMILY_ID_ROLE)
        if isinstance(family_id, int):
            self.family_activated.emit(family_id)
