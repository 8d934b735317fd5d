"""Typing as a person does: into whichever widget has the keyboard focus, moving on with Tab.

``qtbot.keyClicks`` cannot send characters outside ASCII, so every character is sent as a key event
carrying its text (which is what a real keyboard delivers for "é").

:func:`keys_for` says what a person presses to answer a field of a form definition, by the field's
type, the way the form view's inputs (``ehdesk.gui.formview.inputs``) expect to be driven.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from ehdesk.forms import model


def focused() -> QWidget:
    """The widget keys go to. Qt's offscreen platform sometimes drops the window's activation when
    widgets are added to a shown window (an X server with a window manager does not; see
    scripts/drive_referrals.py); the window is then made active again, as a click on it would."""
    widget = QApplication.focusWidget()
    if widget is None:
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.isWindow()]
        owners = [w for w in shown if w.focusWidget() is not None and not w.isMinimized()]
        modal = QApplication.activeModalWidget()
        window = modal if modal is not None else (owners[-1] if owners else None)
        if window is not None:
            window.activateWindow()
            for _ in range(200):  # polled as qtbot.waitUntil does, up to two seconds
                if window.isActiveWindow():
                    break
                QTest.qWait(10)
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


@dataclass(frozen=True)
class Press:
    """One key pressed (rather than text typed), with its modifiers."""

    key: Qt.Key
    modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier


Step = str | Press  # text to type, or a key to press
SPACE = Press(Qt.Key.Key_Space)
DOWN = Press(Qt.Key.Key_Down)


def perform(qtbot: QtBot, steps: Iterable[Step]) -> None:
    """Type each text and press each key, in order, on whatever has the focus at the time."""
    for step in steps:
        if isinstance(step, Press):
            press(qtbot, step.key, step.modifiers)
        else:
            type_text(step)


def _down_to(values: Sequence[str], value: Any, field: model.Field) -> list[Step]:
    assert value in values, f"{field.name}: {value!r} is not one of its choices {list(values)}"
    return [DOWN] * (values.index(value) + 1)  # the drop-down starts on its blank entry


def keys_for(field: model.Field, value: Any) -> list[Step]:
    """What a person presses, once ``field``'s input has the focus, to answer it with ``value``.

    ``value`` is the answer as stored (a ``date`` for a date field, ``True``/``False`` for yes/no, the
    choice's value for a drop-down, the ticked values for a list of ticks). A field type this does not
    know fails loudly, so a new kind of input cannot be skipped without anyone noticing.
    """
    if isinstance(field, model.DateField):
        assert isinstance(value, date), f"{field.name}: give a date, not {value!r}"
        return ["t" if value == date.today() else value.strftime("%d%m%Y")]  # "t" is today
    if isinstance(field, model.YesNo):
        assert isinstance(value, bool), f"{field.name}: give True or False, not {value!r}"
        return ["Y" if value else "N"]
    if isinstance(field, model.Checkbox):
        assert isinstance(value, bool), f"{field.name}: give True or False, not {value!r}"
        return [SPACE] if value else []
    if isinstance(field, model.MultiChoice):
        wanted = set(value)
        options = field.choices.values()
        assert wanted <= set(options), f"{field.name}: {sorted(wanted - set(options))} are not choices"
        last = max(options.index(v) for v in wanted)
        steps: list[Step] = []
        for index, option in enumerate(options[: last + 1]):  # the list starts on its first entry
            if option in wanted:
                steps.append(SPACE)
            if index < last:
                steps.append(DOWN)
        return steps
    if isinstance(field, model.Choice):
        return _down_to(field.choices.values(), value, field)
    if isinstance(field, model.Text | model.LongText | model.AgencyPicker):
        assert isinstance(value, str), f"{field.name}: give the text to type, not {value!r}"
        assert value, f"{field.name}: give some text to type"
        return [value]
    raise AssertionError(f"no keys known for a {field.type_name} field ({field.name!r})")
