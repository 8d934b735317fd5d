"""Drafts: what is typed is saved about a second after the last keystroke, and offered back after a crash.

The saver is debounced so a burst of typing costs one write, yet a kill loses at most the last second.
Failing to save a draft must never interrupt typing: the error is reported once, on the status bar.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QListWidgetItem, QWidget

from ehdesk.errors import EhdeskError
from ehdesk.gui.backend import Backend, DraftRow
from ehdesk.gui.forms.ui_restoredraftdialog import Ui_RestoreDraftDialog

DRAFT_DELAY_MS = 1000


class DraftSaver(QObject):
    """Call :meth:`schedule` on every edit; the snapshot is written once typing pauses."""

    saved = Signal()
    failed = Signal(str)

    def __init__(
        self,
        backend: Backend,
        form_id: str,
        snapshot: Callable[[], dict[str, Any]],
        *,
        key: str = "new",
        delay_ms: int = DRAFT_DELAY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.form_id = form_id
        self.key = key
        self.snapshot = snapshot
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def schedule(self) -> None:
        self._timer.start()

    def flush(self) -> None:
        """Write the draft now (the timer calls this; so does closing the window)."""
        self._timer.stop()
        try:
            self.backend.save_draft(self.form_id, self.key, self.snapshot())
        except EhdeskError as error:
            self.failed.emit(f"Draft not saved: {error}")
            return
        self.saved.emit()

    def discard(self) -> None:
        self._timer.stop()
        try:
            self.backend.discard_draft(self.form_id, self.key)
        except EhdeskError as error:
            self.failed.emit(f"Draft not discarded: {error}")


def describe_draft(draft: DraftRow) -> str:
    """A line a person recognises: the form, when it was last typed in, and a name from inside it."""
    when = draft.updated_at.astimezone().strftime("%d/%m/%Y %H:%M")
    names = []
    for item in draft.data.get("children") or []:
        if isinstance(item, dict):
            name = f"{item.get('given_name') or ''} {item.get('family_name') or ''}".strip()
            if name:
                names.append(name)
    about = f" — {', '.join(names)}" if names else ""
    return f"{draft.form.capitalize()} typed {when}{about}"


class RestoreDraftDialog(QDialog):
    """Offers the drafts left by a session that ended without saving. Result: restore/discard/later."""

    RESTORE = 1
    DISCARD = 2
    LATER = 0

    def __init__(self, drafts: Sequence[DraftRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.drafts = list(drafts)
        self.ui = Ui_RestoreDraftDialog()
        self.ui.setupUi(self)
        for draft in self.drafts:
            item = QListWidgetItem(describe_draft(draft))
            item.setData(Qt.ItemDataRole.UserRole, draft.key)
            self.ui.drafts.addItem(item)
        self.ui.drafts.setCurrentRow(0)
        self.ui.restoreButton.clicked.connect(lambda: self.done(self.RESTORE))
        self.ui.discardButton.clicked.connect(lambda: self.done(self.DISCARD))
        self.ui.laterButton.clicked.connect(lambda: self.done(self.LATER))
        self.ui.restoreButton.setFocus()

    def selected(self) -> DraftRow | None:
        row = self.ui.drafts.currentRow()
        return self.drafts[row] if 0 <= row < len(self.drafts) else None
