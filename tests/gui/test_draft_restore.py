"""A referral draft left by a session that stopped: restored with the cursor where the admin was, and
the status bar saying what became of it (restored, then discarded)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from ehdesk.gui.backend import Backend
from ehdesk.gui.drafts import RestoreDraftDialog
from ehdesk.gui.form_page import FOCUS_KEY
from ehdesk.gui.mainwindow import MainWindow
from tests.gui.conftest import MakeWindow
from tests.gui.keyboard import focused, press, type_text
from tests.gui.screens import answer_next_question

CTRL = Qt.KeyboardModifier.ControlModifier


def _input(window: MainWindow, path: str) -> QWidget:
    row = window.referral.view.row_for(path)
    assert row is not None, path
    return row.input.focus_widgets()[0]


def _restore_by_keyboard(window: MainWindow, qtbot: QtBot) -> None:
    assert window.offer_restore()
    dialog = window.pending_dialog
    assert isinstance(dialog, RestoreDraftDialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    press(qtbot, Qt.Key.Key_Return)  # Restore is the default button
    qtbot.waitUntil(lambda: window.current_view == "referral" and window.referral.dirty)


def _status(window: MainWindow) -> str:
    return window.ui.statusbar.currentMessage()


def test_the_draft_remembers_the_field_being_typed_in_and_the_restore_puts_the_cursor_back_there(
    make_window: MakeWindow, backend: Backend, qtbot: QtBot
) -> None:
    window = make_window()
    window.new_referral()
    _input(window, "children[0].given_name").setFocus()
    qtbot.waitUntil(lambda: focused() is _input(window, "children[0].given_name"))
    type_text("Siân")
    press(qtbot, Qt.Key.Key_Tab)
    type_text("Ó Briain")

    def drafted() -> dict[str, Any] | None:
        drafts = [d.data for d in backend.list_drafts()]
        return drafts[0] if drafts and drafts[0]["children"][0]["family_name"] == "Ó Briain" else None

    qtbot.waitUntil(lambda: drafted() is not None)
    assert (drafted() or {})[FOCUS_KEY] == "children[0].family_name"

    # the app stops: no close event, no last write; the next start has only what the saver wrote
    window.referral.view.blockSignals(True)
    window.hide()
    again = make_window()
    _restore_by_keyboard(again, qtbot)
    target = _input(again, "children[0].family_name")
    qtbot.waitUntil(lambda: focused() is target)
    type_text("-Kelly")  # the cursor is at the end of what was typed, not selecting it
    child = again.referral.view.raw_values()["children"][0]
    assert (child["given_name"], child["family_name"]) == ("Siân", "Ó Briain-Kelly")


@pytest.mark.parametrize(
    "focus",
    [pytest.param(None, id="a draft from before the cursor was kept"), "a_field_that_is_gone"],
)
def test_a_draft_without_a_known_field_restores_with_the_cursor_in_the_first_field(
    make_window: MakeWindow, backend: Backend, qtbot: QtBot, focus: str | None
) -> None:
    data: dict[str, Any] = {"referrer_name": "Ann Teacher"}
    if focus is not None:
        data[FOCUS_KEY] = focus
    backend.save_draft("referral", "new-old", data)
    window = make_window()
    _restore_by_keyboard(window, qtbot)
    qtbot.waitUntil(lambda: focused() is window.referral.view.focus_chain()[0])
    assert window.referral.view.raw_values()["referrer_name"] == "Ann Teacher"
    assert FOCUS_KEY not in window.referral.view.raw_values()


def test_discarding_a_restored_draft_from_the_file_menu_says_discarded(
    make_window: MakeWindow, backend: Backend, qtbot: QtBot
) -> None:
    backend.save_draft("referral", "new-left", {"referrer_name": "Ann Teacher"})
    window = make_window()
    _restore_by_keyboard(window, qtbot)
    assert _status(window) == "Unsaved referral restored"
    window.ui.actionDiscardReferral.trigger()
    box = window.pending_dialog
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isActiveWindow)
    press(qtbot, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # &Discard
    qtbot.waitUntil(lambda: not window.referral.dirty)
    assert _status(window) == "Referral discarded"
    assert backend.list_drafts() == []


def test_discarding_a_restored_draft_when_starting_the_next_referral_says_discarded(
    make_window: MakeWindow, backend: Backend, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend.save_draft("referral", "new-left", {"referrer_name": "Ann Teacher"})
    window = make_window()
    monkeypatch.setattr(window, "ask_unsaved", MainWindow.ask_unsaved.__get__(window))
    _restore_by_keyboard(window, qtbot)
    assert _status(window) == "Unsaved referral restored"
    answered = answer_next_question(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    press(qtbot, Qt.Key.Key_N, CTRL)  # the next referral: "Save it now?" — Discard
    qtbot.waitUntil(lambda: bool(answered) and not window.referral.dirty)
    assert _status(window) == "Unsaved referral discarded"
    assert window.referral.view.raw_values()["referrer_name"] == ""
    assert backend.list_drafts() == []
