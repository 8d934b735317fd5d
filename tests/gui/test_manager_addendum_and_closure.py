"""After sign-off: a change is an addendum signed as a record of its own, and closure contacts are told."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ehdesk.gui.decision_page import DecisionPage
from ehdesk.gui.mainwindow import MainWindow
from ehdesk.gui.signoff_dialog import SignoffDialog
from ehdesk.storage.models import Decision, Family
from tests.conftest import PASSWORD
from tests.gui.keyboard import focused, press
from tests.gui.test_manager_signoff import Office, office, window_for

__all__ = ["office"]  # the fixture, shared with the sign-off tests

DECISION: dict[str, Any] = {
    "subject": "decline",
    "decision": "Close Early Help; school pastoral support continues.",
    "rationale": "Needs are met by school and the health visitor.",
    "decided_on": date.today().isoformat(),
    "existing_network": "School pastoral team and the health visitor.",
    "closure_contacts": [{"who": "Ann Teacher", "agency": "School"}, {"who": "Dr Jones", "agency": "GP"}],
    "concerns_raised": False,
    "concerns_reasoning": "Attendance is back to normal.",
    "threshold_needed": False,
}


def signed_page(qtbot: QtBot, window: MainWindow) -> DecisionPage:
    """The office's decline decided (values set, not typed: typing is proven elsewhere) and signed."""
    views = window.manager_views
    views.show_queue()
    queue = views.view
    assert queue is not None
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1)
    page = queue.open_entry(queue.model.entries[0])
    page.form.view.set_values(DECISION)
    assert page.save()
    page.sign()
    dialog = page.pending_dialog
    assert isinstance(dialog, SignoffDialog)
    qtbot.waitExposed(dialog)
    dialog.password.setText(PASSWORD)
    dialog.sign()
    assert dialog.result_record is not None, dialog.status.text()
    dialog.reject()
    qtbot.waitUntil(lambda: page.pending_dialog is None)
    return page


def test_a_change_after_signing_is_an_addendum_signed_and_linked_to_the_first(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_for(qtbot, office, office.manager, monkeypatch)
    page = signed_page(qtbot, window)
    first = page.signed
    assert first is not None
    assert not page.form.view.isEnabled()

    page.addendum_button.click()
    assert page.form.view.isEnabled()
    page.form.view.set_values({**DECISION, "rationale": "Needs are met by school; the GP has been told too."})
    page.addendum_button.click()  # now "Sign addendum…"
    dialog = page.pending_dialog
    assert isinstance(dialog, SignoffDialog)
    assert dialog.addendum is not None
    assert dialog.preview.page_count >= 1  # the signed record it amends
    dialog.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.signed, timeout=20000):
        dialog.sign()
    second = dialog.result_record
    assert second is not None
    assert second.document_id != first.document_id
    assert second.amends_id == first.decision_id
    with office.db.read() as session:
        rows = session.scalars(select(Decision).order_by(Decision.id)).all()
        assert [(d.id, d.amends_id, d.locked) for d in rows] == [
            (first.decision_id, None, True),
            (second.decision_id, first.decision_id, True),
        ]
        assert "GP has been told" in rows[1].data["rationale"]
        assert "GP has been told" not in rows[0].data["rationale"]  # the first stays as signed


def test_closure_contacts_start_pending_and_the_family_closes_once_each_is_marked_told(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_for(qtbot, office, office.manager, monkeypatch)
    page = signed_page(qtbot, window)
    closure = page.closure
    assert closure is not None
    assert [letter.agency for letter in closure.model.letters] == ["School", "GP"]
    assert all(letter.told_on is None for letter in closure.model.letters)
    assert closure.status.text() == "2 of 2 still to be told."
    assert closure.preview.page_count >= 1  # the selected letter, as a PDF

    window.activateWindow()  # back from the sign-off dialog
    qtbot.waitUntil(window.isActiveWindow)
    closure.table.setFocus()
    press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)  # mark the first told, today
    assert closure.model.letters[0].told_on == date.today()
    assert "Pending" in closure.model.data(closure.model.index(1, 2))
    closure.table.selectRow(1)
    with qtbot.waitSignal(closure.closed):
        closure.mark_button.click()
    assert closure.pending == 0
    assert "Early Help is closed" in closure.status.text()
    with office.db.read() as session:
        family = session.get(Family, office.family_id)
        assert family is not None
        assert family.status == "closed"


def test_ctrl_t_marks_told_from_anywhere_in_the_decision_view_and_says_why_when_it_cannot(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl+T did nothing, and said nothing, unless the focus was in the closure table (89.png, 102c.png)."""
    window = window_for(qtbot, office, office.manager, monkeypatch)
    views = window.manager_views
    views.show_queue()
    queue = views.view
    assert queue is not None
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1)
    unsigned = queue.open_entry(queue.model.entries[0])
    unsigned.back_button.setFocus()
    press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert "sign a decision to close first" in window.statusBar().currentMessage()

    page = signed_page(qtbot, window)
    closure = page.closure
    assert closure is not None
    window.activateWindow()  # back from the sign-off dialog
    qtbot.waitUntil(window.isActiveWindow)
    page.back_button.setFocus()  # outside the closure table
    press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert closure.model.letters[0].told_on == date.today()
    assert "School marked told" in window.statusBar().currentMessage()

    closure.table.selectRow(0)  # told already: never marked again, and the status bar says so
    page.back_button.setFocus()
    press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert closure.model.letters[1].told_on is None
    assert "School was already told" in window.statusBar().currentMessage()

    closure.table.clearSelection()
    closure.table.setCurrentIndex(closure.model.index(-1, -1))  # nothing selected: the first pending one
    with qtbot.waitSignal(closure.closed):
        press(qtbot, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    assert closure.model.letters[1].told_on == date.today()


def test_ctrl_shift_g_while_typing_an_addendum_opens_its_sign_off(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_for(qtbot, office, office.manager, monkeypatch)
    page = signed_page(qtbot, window)
    window.activateWindow()  # back from the sign-off dialog
    qtbot.waitUntil(window.isActiveWindow)
    page.addendum_button.setFocus()
    press(qtbot, Qt.Key.Key_Space)  # "Add addendum…"
    assert page.adding
    assert page.form.view.isAncestorOf(focused())  # typing goes into the decision form
    press(qtbot, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = page.pending_dialog
    assert isinstance(dialog, SignoffDialog), "Ctrl+Shift+G did not open the addendum's sign-off"
    assert dialog.addendum is not None
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.isAncestorOf(focused())  # the password goes to the sign-off, not into the decision
    dialog.reject()
