"""Keying a referral without the mouse: removing and undoing, equal Tabs per item, problems by Tab."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolTip
from pytestqt.qtbot import QtBot

from ehdesk.gui.formview.repeat import REMOVE_SHORTCUT, UNDO_SHORTCUT, RepeatInput
from ehdesk.gui.formview.row import why_text
from ehdesk.gui.mainwindow import MainWindow
from tests.gui.keyboard import focused, press, type_text

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def children(window: MainWindow) -> RepeatInput:
    group = window.referral.view.rows["children"].input
    assert isinstance(group, RepeatInput)
    return group


def test_every_child_takes_the_same_tabs_and_remove_buttons_are_not_in_the_chain(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.new_referral()
    kids = children(window)
    kids.add_item()
    kids.add_item()
    per_item = [len([w for w in item.focus_widgets() if w.isVisibleTo(item)]) for item in kids.items]
    assert len(set(per_item)) == 1, per_item
    chain = window.referral.view.tab_chain()
    assert not any(item.remove_button in chain for item in kids.items)
    assert REMOVE_SHORTCUT in kids.items[1].remove_button.toolTip()
    assert UNDO_SHORTCUT in kids.items[1].remove_button.toolTip()


def test_a_removed_child_comes_back_with_ctrl_z_where_it_was(window: MainWindow, qtbot: QtBot) -> None:
    window.new_referral()
    kids = children(window)
    kids.items[0].rows["given_name"].input.focus_widgets()[0].setFocus()
    type_text("Ava")
    press(qtbot, Qt.Key.Key_A, CTRL | SHIFT)
    type_text("Nguyễn")
    press(qtbot, Qt.Key.Key_A, CTRL | SHIFT)
    type_text("Léo")
    kids.items[1].rows["given_name"].input.focus_widgets()[0].setFocus()
    press(qtbot, Qt.Key.Key_Delete, CTRL | SHIFT)
    assert [i.value()["given_name"] for i in kids.items] == ["Ava", "Léo"]
    press(qtbot, Qt.Key.Key_Z, CTRL)  # focus is in a text field with its own undo: the removal wins
    assert [i.value()["given_name"] for i in kids.items] == ["Ava", "Nguyễn", "Léo"]
    assert [i.title() for i in kids.items] == ["Child 1", "Child 2", "Child 3"]
    assert focused() is kids.items[1].rows["given_name"].input.focus_widgets()[0]
    # once something else is typed, Ctrl+Z is the text field's own undo again
    press(qtbot, Qt.Key.Key_Delete, CTRL | SHIFT)
    type_text("x")
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert len(kids.items) == 2


def test_tab_reaches_the_problem_list_and_goes_field_to_field_past_the_messages(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.new_referral()
    view = window.referral.view
    press(qtbot, Qt.Key.Key_S, CTRL)  # refused: required answers missing
    assert view.summary.isVisible()
    reachable = view._reachable()
    assert reachable[0] is view.summary.list
    messages = [row.message for row in view.rows.values() if row.message.isVisible()]
    assert messages
    assert not any(m in reachable for m in messages)
    assert all("Why is this needed?" in m.text() for m in messages)
    # Tab from a field with a problem goes to the next field; its problem is read with the field
    row = view.rows["how_received"]
    first_field = row.input.focus_widgets()[0]
    first_field.setFocus()
    assert "Problem:" in first_field.accessibleDescription()
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is not row.message
    assert any(focused() is w for r in view.rows.values() for w in r.input.focus_widgets())


def test_shift_f1_explains_the_problem_of_the_field_holding_the_cursor(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.new_referral()
    view = window.referral.view
    press(qtbot, Qt.Key.Key_S, CTRL)
    row = view.rows["how_received"]
    row.input.focus_widgets()[0].setFocus()
    QToolTip.hideText()
    press(qtbot, Qt.Key.Key_F1, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(QToolTip.isVisible)
    assert why_text(row.problems[0]) in QToolTip.text()


def test_the_problem_panel_is_no_taller_than_its_messages(window: MainWindow, qtbot: QtBot) -> None:
    window.new_referral()
    view = window.referral.view
    view.set_values({"postcode": "nonsense"})
    view.validate()
    lines = view.summary.list.count()
    row = view.summary.list.sizeHintForRow(0)
    assert view.summary.list.height() <= min(lines, view.summary.MAX_LINES) * row * 2 + 8
