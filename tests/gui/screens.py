"""Showing a window and answering the questions it asks, as a person at the keyboard would."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from tests.gui.keyboard import press

W = TypeVar("W", bound=QWidget)


def shown(qtbot: QtBot, widget: W) -> W:
    """``widget`` shown, painted and active (the window keys go to), closed at the test's end."""
    qtbot.addWidget(widget)
    widget.show()
    widget.activateWindow()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def answer_next_question(
    qtbot: QtBot,
    owner: QObject,
    key: Qt.Key,
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> list[QMessageBox]:
    """Press ``key`` in the next question box as soon as it is up and active; the box it went to is put
    in the list returned (empty until then).

    A question asked with ``exec()`` blocks the test until it is answered, so the key is pressed from
    inside the box's own event loop: a timer owned by ``owner`` polls for the box and stops once it has
    answered one."""
    answered: list[QMessageBox] = []
    poll = QTimer(owner)
    poll.setInterval(10)

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if answered or not isinstance(box, QMessageBox) or not box.isActiveWindow():
            return
        answered.append(box)
        poll.stop()
        press(qtbot, key, modifiers)

    poll.timeout.connect(answer)
    poll.start()
    return answered
