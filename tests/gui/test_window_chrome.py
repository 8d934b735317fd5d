"""The window around the pages: keys that do one thing each, a shortcut list that lists them all, a title
that names the app once, and dialogs and pages laid out without blank bands or missing margins."""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ehdesk.gui.family_dialog import FamilyDialog
from ehdesk.gui.mainwindow import MainWindow
from ehdesk.gui.shortcuts import ShortcutsDialog
from ehdesk.storage.database import Database
from tests.gui.keyboard import press
from tests.gui.workers import make_team, open_window


def _all_actions(window: MainWindow) -> list[QAction]:
    return [a for a in window.findChildren(QAction) if a.isVisible()]


def test_no_two_actions_of_a_managers_window_share_a_key(sqlite_db: Database, qtbot: QtBot) -> None:
    """A manager has every action (referrals, casefile, queue); each key must reach exactly one, enabled
    now or not: which one is enabled depends on the view, and the menus show both keys regardless."""
    team = make_team(sqlite_db)
    window = open_window(qtbot, team.manager)
    owners: dict[str, list[str]] = defaultdict(list)
    for action in _all_actions(window):
        for keys in action.shortcuts():
            if not keys.isEmpty():
                owners[keys.toString()].append(action.text())
    shared = {keys: names for keys, names in owners.items() if len(names) > 1}
    assert shared == {}
    assert window.ui.actionNewShare.shortcut().toString() == "Ctrl+Shift+I"
    assert "Ctrl+Shift+I" in window.ui.actionNewShare.toolTip()


def test_ctrl_shift_i_opens_a_new_share_and_ctrl_shift_s_does_not(sqlite_db: Database, qtbot: QtBot) -> None:
    team = make_team(sqlite_db)
    family = team.refer("Ava", "Smith")
    window = open_window(qtbot, team.manager)
    window.worker_views.open_casefile(family)
    casefile = window.worker_views.casefile
    ctrl_shift = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    press(qtbot, Qt.Key.Key_S, ctrl_shift)
    assert casefile.pending_dialog is None
    press(qtbot, Qt.Key.Key_I, ctrl_shift)
    qtbot.waitUntil(lambda: casefile.pending_dialog is not None)
    dialog = casefile.pending_dialog
    assert dialog is not None
    assert dialog.windowTitle().startswith("New information share")
    dialog.reject()


def test_f1_lists_every_key_of_the_window_from_its_actions(sqlite_db: Database, qtbot: QtBot) -> None:
    team = make_team(sqlite_db)
    window = open_window(qtbot, team.manager)
    press(qtbot, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: isinstance(window.pending_dialog, ShortcutsDialog))
    dialog = window.pending_dialog
    assert isinstance(dialog, ShortcutsDialog)
    text = dialog.text.toPlainText()
    native = QKeySequence.SequenceFormat.NativeText
    for action in _all_actions(window):
        for keys in action.shortcuts():
            if not keys.isEmpty():
                assert keys.toString(native) in text, action.text()
    for keys in ("Ctrl+6", "Ctrl+Shift+G", "Ctrl+Shift+I", "Ctrl+Shift+L", "F2", "Ctrl+Shift+A", "Ctrl+T"):
        assert keys in text
    qtbot.waitUntil(dialog.isActiveWindow)
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.pending_dialog is None)


def test_the_shortcut_list_leaves_out_what_the_role_cannot_use(sqlite_db: Database, qtbot: QtBot) -> None:
    team = make_team(sqlite_db)
    window = open_window(qtbot, team.worker)
    listed = {what for _where, _keys, what in window.shortcut_rows()}
    assert "New referral" not in listed  # greyed out for a family worker: no use listing its key
    assert "Decision queue" not in listed  # managers only
    assert "New information share" in listed


def test_the_window_title_names_the_app_once(sqlite_db: Database, qtbot: QtBot) -> None:
    team = make_team(sqlite_db)
    window = open_window(qtbot, team.admin)
    QApplication.setApplicationDisplayName("ehdesk")  # as the app sets it; Qt adds it to the title
    assert "ehdesk" not in window.windowTitle()
    assert window.windowTitle().startswith("Early Help")


def test_the_family_dialog_has_no_blank_band_above_its_summary(sqlite_db: Database, qtbot: QtBot) -> None:
    team = make_team(sqlite_db)
    family = team.refer("Zoë Anna", "Kowalczyk-Nowak")
    dialog = FamilyDialog(team.admin.family_summary(family))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.body.alignment() & Qt.AlignmentFlag.AlignTop
    margins = dialog.layout().contentsMargins()
    assert dialog.body.geometry().top() <= margins.top() + 1
    assert dialog.height() <= dialog.sizeHint().height() + 1  # as tall as its content, no taller


def test_the_decision_queue_has_the_margins_every_other_page_has(sqlite_db: Database, qtbot: QtBot) -> None:
    team = make_team(sqlite_db)
    window = open_window(qtbot, team.manager)
    press(qtbot, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.current_view == "queue")
    queue = window.manager_views.view
    assert queue is not None
    list_margins = queue.list_page.layout().contentsMargins()
    family_margins = window.families.layout().contentsMargins()
    assert list_margins.left() == family_margins.left() > 0
    assert list_margins.top() == family_margins.top() > 0
