"""Typing as a person does: into whichever widget has the keyboard focus, moving on with Tab.

``qtbot.keyClicks`` cannot send characters outside ASCII, so every character is sent as a key event
carrying its text (which is what a real keyboard delivers for "é").
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def _key_for(char: str) -> int:
    if char.isascii() and char.isalnum():
        return int(getattr(Qt.Key, f"Key_{char.upper()}"))
    return {" ": int(Qt.Key.Key_Space), "/": int(Qt.Key.Key_Slash)}.get(char, 0)


def type_text(text: str) -> None:
    """Send ``text`` to the focused widget one character at a time, accents included."""
    for char in text:
        target = focused()
        key = _key_for(char)
        modifiers = Qt.KeyboardModifier.ShiftModifier if char.isupper() else Qt.KeyboardModifier.NoModifier
        QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, key, modifiers, char))
        QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyRelease, key, modifiers, char))


def press(qtbot: QtBot, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press on the focused widget, delivered through Qt's shortcut machinery like a real one."""
    qtbot.keyClick(focused(), key, modifiers)


def tab(qtbot: QtBot) -> QWidget:
    press(qtbot, Qt.Key.Key_Tab)
    return focused()
