"""A worker records a family's decline (G20) from the casefile: button, Casefile menu and Ctrl+Shift+D
open the decline form; saved, it reaches the manager's queue. The Casefile menu also works on the
casefile shown beside a decision."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ehdesk.gui.casefile_view import RecordDialog
from ehdesk.storage.database import Database
from tests.gui.keyboard import press
from tests.gui.test_manager_signoff import Office, office, window_for
from tests.gui.workers import make_team, open_window
from tests.unit.forms.formcases import DECLINE

__all__ = ["office"]
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_ctrl_shift_d_opens_the_decline_form_and_the_decline_reaches_the_queue(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team = make_team(sqlite_db)
    family = team.held_family("Ava", "Smith")
    window = open_window(qtbot, team.worker)
    window.worker_views.open_casefile(family)
    assert window.worker_views.action_new_decline in window.ui.menuCasefile.actions()
    assert window.worker_views.action_new_decline.isEnabled()
    press(qtbot, Qt.Key.Key_D, CTRL_SHIFT)
    casefile = window.worker_views.casefile
    dialog = casefile.pending_dialog
    assert isinstance(dialog, RecordDialog)
    assert dialog.page.form.id == "decline"
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.page.view.set_values({**DECLINE, "declined_by": None})
    with qtbot.waitSignal(dialog.accepted):
        press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: any(e.kind == "decline" for e in casefile.model.rows))
    assert [e.kind for e in team.manager.decision_queue()] == ["decline"]


def test_the_casefile_menu_works_on_the_casefile_beside_a_decision(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_for(qtbot, office, office.manager, monkeypatch)
    views = window.manager_views
    views.show_queue()
    queue = views.view
    assert queue is not None
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1)
    page = queue.open_entry(queue.model.entries[0])
    ui = window.ui
    assert ui.actionNewShare.isEnabled()
    assert ui.actionNewObjection.isEnabled()
    assert window.worker_views.action_new_decline.isEnabled()
    press(qtbot, Qt.Key.Key_I, CTRL_SHIFT)
    dialog = page.casefile.pending_dialog
    assert isinstance(dialog, RecordDialog)
    assert dialog.page.form.id == "share"
    dialog.reject()
    page.go_back()
    assert not ui.actionNewShare.isEnabled()  # back on the list: no casefile in view
