"""A family worker's start screen: "My families", each with what is due (G3: privacy notice due).

Enter (or a double-click) opens the family's casefile. The list is the desk's ``my_families()``; what is
due is worked out there, so the screen and ``ehdesk report compliance`` never disagree.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ehdesk.desk.worker import CaseloadRow
from ehdesk.errors import EhdeskError
from ehdesk.gui.backend import Backend
from ehdesk.gui.tables import record_table
from ehdesk.gui.timeline_model import ROW_ROLE, CaseloadModel


class CaseloadPage(QWidget):
    """The worker's families in a lazily filled table; ``family_activated`` opens one's casefile."""

    family_activated = Signal(int)
    batch_requested = Signal()
    message = Signal(str)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.heading = QLabel("<h2>My families</h2>")
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Number of my families and how many have something due")
        self.model = CaseloadModel(self._load)
        self.table = record_table(
            self.model,
            "My families",
            description="Enter opens the family's casefile",
            widths=(110, 300, 90, 100),
        )
        self.table.activated.connect(self._activate)

        self.open_button = QPushButton("&Open casefile")
        self.open_button.setAccessibleName("Open the selected family's casefile")
        self.open_button.clicked.connect(self.open_current)
        self.batch_button = QPushButton("Privacy-notice packs for families &missing one…")
        self.batch_button.setAccessibleName("Make privacy-notice packs for every family without evidence")
        self.batch_button.clicked.connect(self.batch_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.batch_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.count_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def _load(self) -> list[CaseloadRow]:
        try:
            return self.backend.my_families()
        except EhdeskError as error:
            self.message.emit(str(error))
            return []

    def refresh(self) -> None:
        """Load the list again, keeping the selected family selected if it is still there."""
        current = self.current_family()
        self.model.reload()
        self.count_label.setText(self._count_text())
        row = 0
        for number, shown in enumerate(self.model.rows):
            if shown.id == current:
                row = number
        if self.model.rowCount():
            self.table.selectRow(row)

    def _count_text(self) -> str:
        """The header's totals, counted by the desk over the whole caseload: the table loads its rows
        a page at a time, so counting the rows shown would count only the first pages."""
        try:
            counts = self.backend.caseload_counts()
        except EhdeskError as error:
            self.message.emit(str(error))
            return ""
        if counts.families == 0:
            return "No families are allocated to you yet."
        noun = "family" if counts.families == 1 else "families"
        text = f"{counts.families} {noun}; {counts.due} with something due"
        if counts.notice_due:
            text += f" ({counts.notice_due} due the privacy notice)"
        return text

    def current_family(self) -> int | None:
        row = self.model.row_at(self.table.currentIndex().row())
        return row.id if row is not None else None

    def focus_list(self) -> None:
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def open_current(self) -> None:
        self._activate(self.table.currentIndex())

    def _activate(self, index: QModelIndex) -> None:
        row = self.model.data(index, ROW_ROLE) if index.isValid() else None
        if isinstance(row, CaseloadRow):
            self.family_activated.emit(row.id)
