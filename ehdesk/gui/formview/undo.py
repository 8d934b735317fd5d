"""Putting back a removed child, carer or agency with Ctrl+Z.

Removing an item by keyboard is one chord away from typing, so it must be cheap to take back. The
removals are undoable until the next edit of the form; after that, Ctrl+Z is the text field's own undo
again. Text fields claim Ctrl+Z for themselves (Qt's "shortcut override"), so while a removal can be
undone this object turns that claim down for the form's inputs and lets its own shortcut fire.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

from ehdesk.gui.formview.repeat import RepeatInput


@dataclass(frozen=True)
class Removal:
    group: RepeatInput
    index: int
    values: Mapping[str, Any]


class RemovalUndo(QObject):
    """The removals since the last edit, most recent last.

    ``shortcut`` (Ctrl+Z inside ``view``) is enabled only while there is one; the view connects it.
    """

    def __init__(self, view: QWidget) -> None:
        super().__init__(view)
        self._removals: list[Removal] = []
        self.shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), view)
        self.shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.shortcut.setEnabled(False)

    @property
    def available(self) -> bool:
        return bool(self._removals)

    def record(self, group: RepeatInput, index: int, values: Mapping[str, Any]) -> None:
        self._removals.append(Removal(group, index, dict(values)))
        self.shortcut.setEnabled(True)

    def forget(self) -> None:
        """Called on any other edit (and for a new record): Ctrl+Z belongs to the text again."""
        self._removals.clear()
        self.shortcut.setEnabled(False)

    def undo(self) -> bool:
        if not self._removals:
            return False
        removal = self._removals.pop()
        self.shortcut.setEnabled(bool(self._removals))
        removal.group.put_back(removal.index, removal.values)
        return True

    def watch(self, widgets: Iterable[QWidget]) -> None:
        """Listen to these inputs' shortcut overrides (Qt installs a filter once per widget)."""
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (
            self._removals
            and event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Undo)
        ):
            event.ignore()  # not the text field's: the shortcut above takes it
            return True
        return False
