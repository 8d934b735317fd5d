"""The "is this family already known?" prompt shown before a referral is saved.

Keying a second record for a family already on file splits its history, so a likely match stops the
save and asks. The user can open the existing family, add the referral to it, or carry on as new.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHeaderView, QPushButton, QTableWidgetItem, QWidget

from ehdesk.gui.backend import DuplicateCandidate
from ehdesk.gui.forms.ui_duplicatedialog import Ui_DuplicateDialog
from ehdesk.text import fold

#: Wide enough for the reasons of a typical match on two lines, at the dialog's first size.
DEFAULT_SIZE = (900, 340)


def _accent_only_differences(typed: list[str], stored: list[str]) -> bool:
    """Whether a word of one name equals a word of the other only once accents and case are folded."""
    folded = {fold(word): word for word in stored}
    return any(fold(word) in folded and folded[fold(word)] != word for word in typed)


def reasons_text(candidate: DuplicateCandidate) -> str:
    """Why it matches, in words that do not overstate: the matcher compares folded names, so it says
    "similar given name" for Sian / Siân; that becomes "same" only where the names are identical as
    typed (the first given name for the given name; the last word, with no accent-only difference
    among the words after the first, for the family name)."""
    typed, stored = candidate.typed_name.split(), candidate.person_name.split()
    same_given = bool(typed and stored) and typed[0] == stored[0]
    same_family = (
        bool(typed and stored)
        and typed[-1] == stored[-1]
        and not _accent_only_differences(typed[1:], stored[1:])
    )
    shown = []
    for reason in candidate.reasons:
        if reason == "similar given name" and same_given:
            reason = "same given name"
        elif reason == "similar family name" and same_family:
            reason = "same family name"
        shown.append(reason)
    return ", ".join(shown)


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
                reasons_text(candidate),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, column, item)
        # the facts take the room their text needs; the reasons get the rest and wrap onto more lines
        # rather than end in "same postcod…", and each row grows to fit them
        header = table.horizontalHeader()
        for column in range(len(self.HEADERS) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(self.HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        table.setWordWrap(True)
        table.setTextElideMode(Qt.TextElideMode.ElideNone)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.verticalHeader().hide()
        self.resize(*DEFAULT_SIZE)
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
