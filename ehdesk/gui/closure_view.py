"""Closure after a decline (G22): one letter per person or agency to be told, and when each was told.

A contact not yet told is shown as pending, never with a made-up date; marking one told asks for the
day it happened (today unless changed) and the service records it. Once every contact is told the
family's Early Help is closed, which the view says in words. Each letter can be read in the preview
and saved as a PDF to send.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ehdesk.desk.manager import ClosureLetter
from ehdesk.errors import EhdeskError
from ehdesk.gui.backend import Backend
from ehdesk.gui.pdf_preview import PdfPreview
from ehdesk.gui.tables import ColumnsModel, record_table

Index = QModelIndex | QPersistentModelIndex
PENDING = "Pending — not told yet"


def told_text(told_on: date | None) -> str:
    return told_on.strftime("%d/%m/%Y") if told_on is not None else PENDING


class ClosureModel(ColumnsModel):
    """The closure letters of one decision (a handful of rows: no paging needed)."""

    COLUMNS = ("Agency", "Who", "Told on")

    def __init__(self) -> None:
        super().__init__()
        self.letters: list[ClosureLetter] = []

    def set_letters(self, letters: list[ClosureLetter]) -> None:
        self.beginResetModel()
        self.letters = list(letters)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.letters)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.letters):
            return None
        letter = self.letters[index.row()]
        cells = (letter.agency or "—", letter.who, told_text(letter.told_on))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return cells[index.column()]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.COLUMNS[index.column()]}: {cells[index.column()]}"
        return None


class ClosureView(QWidget):
    """The letters of decision ``decision_id``; ``message`` feeds the status bar."""

    message = Signal(str)
    closed = Signal()  # every contact has been told: the family's Early Help is closed

    def __init__(self, backend: Backend, decision_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.decision_id = decision_id
        self.model = ClosureModel()
        self.table = record_table(
            self.model, "Closure letters", resize=QHeaderView.ResizeMode.Stretch, alternating=False
        )
        self.preview = PdfPreview()
        self.preview.setAccessibleName("Closure letter")

        self.told_on = QDateEdit()
        self.told_on.setCalendarPopup(True)
        self.told_on.setDisplayFormat("dd/MM/yyyy")
        self.told_on.setAccessibleName("Date told")
        self.mark_button = QPushButton("&Mark told")
        self.mark_button.setAccessibleName("Mark the selected contact told on the date given")
        self.mark_button.setToolTip("Record that this person or agency was told of the closure (Ctrl+T)")
        self.save_button = QPushButton("Save letter as &PDF…")
        self.save_button.setAccessibleName("Save the selected closure letter as a PDF")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Closure status")

        controls = QHBoxLayout()
        controls.addWidget(QLabel("Told on:"))
        controls.addWidget(self.told_on)
        controls.addWidget(self.mark_button)
        controls.addStretch(1)
        controls.addWidget(self.save_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(controls)
        left_layout.addWidget(self.status)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        intro = QLabel("<b>Closure (G22)</b>: tell each person and agency that Early Help has closed.")
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)

        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.mark_button.clicked.connect(self.mark_told)
        # Ctrl+T is the decision page's (it works anywhere in the view, not only in this table)
        self.save_button.clicked.connect(self.save_letter)
        self.reload()

    # loading ------------------------------------------------------------------------------------------
    def reload(self, select_row: int = 0) -> None:
        try:
            letters = self.backend.closure_letters(self.decision_id)
        except EhdeskError as error:
            self.status.setText(f"Closure letters could not be loaded: {error}")
            letters = []
        if letters and letters[0].decision_id:
            self.decision_id = letters[0].decision_id  # the decision in force (an addendum, once signed)
        self.model.set_letters(letters)
        self.told_on.setDate(QDate.currentDate())
        self.told_on.setMaximumDate(QDate.currentDate())  # told today at the latest (never a future date)
        if letters:
            self.table.selectRow(min(select_row, len(letters) - 1))
        self._row_changed()
        self._show_progress()

    @property
    def pending(self) -> int:
        return sum(1 for letter in self.model.letters if letter.told_on is None)

    def _show_progress(self) -> None:
        letters = self.model.letters
        if not letters:
            self.status.setText(self.status.text() or "This decision names no one to be told of closure.")
            return
        if self.pending:
            self.status.setText(f"{self.pending} of {len(letters)} still to be told.")
        else:
            self.status.setText("Everyone has been told: the family's Early Help is closed.")

    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def current_letter(self) -> ClosureLetter | None:
        row = self.current_row()
        return self.model.letters[row] if 0 <= row < len(self.model.letters) else None

    def _row_changed(self, *_args: object) -> None:
        letter = self.current_letter()
        self.mark_button.setEnabled(letter is not None and letter.told_on is None)
        self.save_button.setEnabled(letter is not None)
        if letter is not None:
            self.preview.show_pdf(letter.pdf)

    # actions ------------------------------------------------------------------------------------------
    def first_pending(self) -> int:
        return next((row for row, letter in enumerate(self.model.letters) if letter.told_on is None), -1)

    def mark_told(self) -> None:
        """The selected contact is marked told; with none selected, the first still to be told. A contact
        already told is never marked again: the status bar says what to select instead."""
        row = self.current_row()
        letter = self.current_letter()
        if letter is None:
            row = self.first_pending()
            if row < 0:
                self.message.emit("Everyone has been told: there is no one left to mark")
                return
            self.table.selectRow(row)
            letter = self.model.letters[row]
        if letter.told_on is not None:
            who = letter.agency or letter.who
            self.message.emit(
                f"{who} was already told on {letter.told_on:%d/%m/%Y}: select one still pending to mark told"
            )
            return
        told_on = self.told_on.date().toPython()
        assert isinstance(told_on, date)
        try:
            self.backend.mark_told(self.decision_id, letter.position, told_on)
        except EhdeskError as error:
            self.status.setText(f"Not marked told: {error}")
            return
        who = letter.agency or letter.who
        self.message.emit(f"{who} marked told on {told_on:%d/%m/%Y}")
        had_focus = self.mark_button.hasFocus()
        self.reload(select_row=row)
        self.table.selectRow(self.next_pending(row))
        if had_focus:  # the keyboard stays on Mark told for the next one, or goes to the table: never
            # on a button that has gone grey (nor wherever Qt sent it while the button was disabled)
            target = self.mark_button if self.mark_button.isEnabled() else self.table
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        if not self.pending:
            self.closed.emit()

    def next_pending(self, row: int) -> int:
        """The first contact still to be told after ``row`` (wrapping round), else ``row`` itself: after
        marking one told, the next to tell is selected."""
        letters = self.model.letters
        count = len(letters)
        for step in range(1, count + 1):
            candidate = (row + step) % count
            if letters[candidate].told_on is None:
                return candidate
        return row

    def save_letter(self) -> None:
        letter = self.current_letter()
        if letter is None:
            return
        name = f"closure-letter-{(letter.agency or letter.who).lower().replace(' ', '-')}.pdf"
        path, _filter = QFileDialog.getSaveFileName(self, "Save closure letter", name, "PDF (*.pdf)")
        if path:
            self.write_letter(letter, Path(path))

    def write_letter(self, letter: ClosureLetter, path: Path) -> None:
        try:
            path.write_bytes(letter.pdf)
        except OSError as error:
            self.status.setText(f"Not saved: {error.strerror}; choose another folder")
            return
        self.message.emit(f"Closure letter saved to {path}")
