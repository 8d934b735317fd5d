"""The "is this family already known?" prompt shown before a referral is saved.

Keying a second record for a family already on file splits its history, so a likely match stops the
save and asks. The user can open the existing family, add the referral to it, or carry on as new.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from PySide6.QtWidgets import QDialog, QHeaderView, QPushButton, QTableWidgetItem, QWidget

from ehdesk.gui.backend import DuplicateCandidate
from ehdesk.gui.forms.ui_duplicatedialog import Ui_DuplicateDialog


class DuplicateChoice(IntEnum):
    """The dialog's result code (``QDialog.finished`` carries it)."""

    BACK = 0
    CONTINUE = 2
    OPEN_EXISTING = 3
    ADD_TO_EXISTING = 4


class DuplicateDialog(QDialog):
    HEADERS = ("Family", "Child on record", "Born", "Postcode", "Why it matches")

    def __init__(self, candidates: Sequence[DuplicateCandidate], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.candidates = list(candidates)
        self.ui = Ui_DuplicateDialog()
        self.ui.setupUi(self)
        table = self.ui.candidates
        table.setColumnCount(len(self.HEADERS))
        table.setHorizontalHeaderLabels(list(self.HEADERS))
        table.setRowCount(len(self.candidates))
        for row, candidate in enumerate(self.candidates):
            born = candidate.birth_date.strftime("%d/%m/%Y") if candidate.birth_date else ""
            cells = (
                candidate.family_reference,
                candidate.person_name,
                born,
                candidate.postcode,
                ", ".join(candidate.reasons),
            )
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        table.verticalHeader().hide()
        if self.candidates:
            table.selectRow(0)
        self.add_button = QPushButton("&Add referral to this family")
        self.add_button.setToolTip("Save this referral on the selected family's casefile")
        self.ui.buttonRow.insertWidget(1, self.add_button)
        self.ui.openButton.clicked.connect(lambda: self.done(DuplicateChoice.OPEN_EXISTING))
        self.add_button.clicked.connect(lambda: self.done(DuplicateChoice.ADD_TO_EXISTING))
        self.ui.continueButton.clicked.connect(lambda: self.done(DuplicateChoice.CONTINUE))
        self.ui.cancelButton.clicked.connect(lambda: self.done(DuplicateChoice.BACK))
        self.ui.openButton.setDefault(True)
        table.setFocus()

    def selected(self) -> DuplicateCandidate | None:
        row = self.ui.candidates.currentRow()
        return self.candidates[row] if 0 <= row < len(self.candidates) else None
