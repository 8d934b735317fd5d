"""Allocate (or reallocate) a family to a family worker — managers only; the service checks and audits.

The dialog lists active workers and managers from the desk and starts on the family's current worker
(else the first one: Enter on a fresh dialog never unallocates); "Nobody" comes last and asks before
taking a family off every caseload. It keeps the family's version, so two managers allocating the same
family at once cannot silently overwrite each other: the second is told to reopen the family and try
again.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from ehdesk.errors import EhdeskError
from ehdesk.gui.backend import Backend
from ehdesk.gui.error_box import show_error

NOBODY = "Nobody (take the family off every caseload)"
ALLOCATE = "&Allocate"
UNALLOCATE = "&Unallocate"


class AllocationDialog(QDialog):
    """Pick a worker; OK allocates through the desk and closes, an error is shown and the pick kept."""

    def __init__(
        self,
        backend: Backend,
        family_id: int,
        reference: str,
        *,
        version: int,
        current_worker_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.family_id = family_id
        self.version = version
        self.setWindowTitle(f"Allocate family {reference}")
        self.worker = QComboBox()
        self.worker.setAccessibleName("Family worker to allocate the family to")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Why the family was not allocated")
        self.error.hide()
        try:
            choices = backend.workers()
        except EhdeskError as error:
            choices = []
            self._show_error(str(error))
        for choice in choices:
            self.worker.addItem(f"{choice.full_name} ({choice.role})", choice.id)
            if choice.id == current_worker_id:
                self.worker.setCurrentIndex(self.worker.count() - 1)
        # last, and never the starting choice: Enter on a fresh dialog must not unallocate (94.png)
        self.worker.addItem(NOBODY, None)
        self.current_worker_id = current_worker_id
        self.confirming_nobody = False
        self.worker.currentIndexChanged.connect(self._choice_changed)

        form = QFormLayout()
        label = QLabel("&Worker:")
        label.setBuddy(self.worker)
        form.addRow(label, self.worker)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        self.ok_button = ok
        ok.setText(ALLOCATE)
        self.buttons.accepted.connect(self.allocate)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.worker.setFocus()

    @property
    def chosen_worker(self) -> int | None:
        value = self.worker.currentData()
        return value if isinstance(value, int) else None

    def _choice_changed(self) -> None:
        """Another pick withdraws a pending "take off every caseload" confirmation."""
        if self.confirming_nobody:
            self.confirming_nobody = False
            self.ok_button.setText(ALLOCATE)
            self.error.hide()

    def allocate(self) -> bool:
        """Allocate to the chosen worker. Taking the family off every caseload is asked about first
        (the button then says so and a second press confirms), since it leaves the family unheld."""
        if self.chosen_worker is None and not self.confirming_nobody:
            self.confirming_nobody = True
            self.ok_button.setText(UNALLOCATE)
            self.error.setText(
                "The family will be on nobody's caseload. Press “Unallocate” to confirm, or pick a worker."
            )
            self.error.show()
            return False
        try:
            self.backend.allocate(self.family_id, self.chosen_worker, version=self.version)
        except EhdeskError as error:
            self._show_error(str(error))
            return False
        self.accept()
        return True

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        if self.isVisible():
            show_error(self, "Not allocated", text)
