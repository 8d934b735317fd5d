"""The view a user left is the view they come back to, per user, loaded and with the keyboard on its list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ehdesk.gui.backend import Backend
from ehdesk.gui.mainwindow import MainWindow
from ehdesk.gui.queue_view import QueueView
from ehdesk.storage.database import Database
from tests.gui.keyboard import focused, press
from tests.gui.workers import Team, make_team, open_window

CTRL = Qt.KeyboardModifier.ControlModifier


def left_on(qtbot: QtBot, user: Backend, key: Qt.Key) -> None:
    """Log in, switch view with Ctrl+``key``, close: the view to come back to."""
    window = open_window(qtbot, user)
    press(qtbot, key, CTRL)
    window.close()


def gappy_team(sqlite_db: Database) -> Team:
    team = make_team(sqlite_db)
    for given, family in (("Ava", "Smith"), ("Noah", "Jones")):
        team.allocate(team.refer(given, family), team.worker)
    return team


def test_compliance_restored_at_start_up_is_loaded_with_the_keyboard_on_its_gaps(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team = gappy_team(sqlite_db)
    left_on(qtbot, team.manager, Qt.Key.Key_5)
    window = open_window(qtbot, team.manager)
    assert window.current_view == "compliance"
    view = window.worker_views.compliance
    assert view.gaps.rowCount() == len(team.manager.compliance().items) == 2
    qtbot.waitUntil(lambda: focused() is view.gaps_table)


def test_the_queue_restored_at_start_up_has_the_keyboard_on_its_list_not_the_kind_filter(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team = gappy_team(sqlite_db)
    left_on(qtbot, team.manager, Qt.Key.Key_6)
    window = open_window(qtbot, team.manager)
    queue = window.manager_views.view
    assert isinstance(queue, QueueView)
    assert window.current_view == "queue"
    qtbot.waitUntil(lambda: focused() is queue.table)
    kind = queue.kind.currentIndex()
    press(qtbot, Qt.Key.Key_End, CTRL)
    assert queue.kind.currentIndex() == kind


def test_each_user_comes_back_to_their_own_last_view_or_their_roles_start_view(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team = gappy_team(sqlite_db)
    left_on(qtbot, team.admin, Qt.Key.Key_1)  # an admin leaves this computer on Families
    first = open_window(qtbot, team.worker)
    assert first.current_view == "caseload", "a worker starts on My families (README)"
    press(qtbot, Qt.Key.Key_5, CTRL)
    first.close()
    admin: MainWindow = open_window(qtbot, team.admin)
    assert admin.current_view == "families"
    admin.close()
    assert open_window(qtbot, team.worker).current_view == "compliance"
