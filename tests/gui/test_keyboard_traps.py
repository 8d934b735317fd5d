"""No keyboard traps: Tab leaves every table (arrows move inside it), the closure table after signing is
reached by Tab, and marking a contact told never leaves the keyboard on a button that has just gone
grey."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget
from pytestqt.qtbot import QtBot

from ehdesk.storage.database import Database
from tests.gui.keyboard import focused, press, tab
from tests.gui.test_manager_addendum_and_closure import signed_page
from tests.gui.test_manager_signoff import Office, office, window_for
from tests.gui.workers import make_team, open_window, worker_casefile

__all__ = ["office"]


def test_tab_leaves_the_casefile_timeline_instead_of_walking_its_cells(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    _team, window, _family = worker_casefile(sqlite_db, qtbot, "Ava", "Smith")
    table = window.worker_views.casefile.table
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    assert tab(qtbot) is not table


def test_no_table_in_the_window_walks_its_cells_with_tab(sqlite_db: Database, qtbot: QtBot) -> None:
    team = make_team(sqlite_db)
    window = open_window(qtbot, team.manager)
    views = [v for v in window.findChildren(QAbstractItemView) if v.tabKeyNavigation()]
    assert views == []


def _tab_until(qtbot: QtBot, target: QWidget, limit: int = 120) -> bool:
    for _ in range(limit):
        if focused() is target:
            return True
        tab(qtbot)
    return focused() is target


def test_the_closure_table_is_reached_by_tab_and_marking_told_moves_to_the_next_pending(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_for(qtbot, office, office.manager, monkeypatch)
    page = signed_page(qtbot, window)
    closure = page.closure
    assert closure is not None
    window.activateWindow()  # back from the sign-off dialog
    qtbot.waitUntil(window.isActiveWindow)
    page.back_button.setFocus()
    qtbot.waitUntil(page.back_button.hasFocus)
    assert _tab_until(qtbot, closure.table), "Tab never reaches the closure table"

    assert _tab_until(qtbot, closure.mark_button)
    press(qtbot, Qt.Key.Key_Space)  # the first contact, told today
    assert closure.model.letters[0].told_on == date.today()
    assert closure.current_row() == 1  # the next still to be told is selected
    assert closure.mark_button.isEnabled()
    assert QApplication.focusWidget() is closure.mark_button
    press(qtbot, Qt.Key.Key_Space)  # and the second: nothing is left to tell
    assert closure.pending == 0
    assert not closure.mark_button.isEnabled()
    assert QApplication.focusWidget() is closure.table  # not the button that just went grey
