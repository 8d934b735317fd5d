"""A refusal shown in a window-modal message box that never blocks the event loop.

``QMessageBox.warning`` runs its own loop until answered, which freezes timers (a draft being saved)
and makes a test wait for a click. ``open()`` returns at once; the box closes itself when answered.
What the user typed stays where it was: the box only tells them what to do next.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def show_error(parent: QWidget, title: str, text: str) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.open()
    return box
