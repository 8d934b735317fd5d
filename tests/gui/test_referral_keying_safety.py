"""What a new user keying a day's referrals ran into: typing lost on an "Add …" button, a saved referral
offered for saving again, a list of ticks starting where the last referral left it, a status line out of
step with the problem list, warnings dressed as errors, and a restored draft's field off screen.

Every step here is a key event on whatever has the focus, as a person at the keyboard sends it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from ehdesk.forms.model import Severity
from ehdesk.gui.backend import Backend
from ehdesk.gui.drafts import RestoreDraftDialog
from ehdesk.gui.formview.inputs import MultiChoiceInput
from ehdesk.gui.formview.repeat import RepeatInput
from ehdesk.gui.formview.row import ERROR_COLOUR, WARNING_COLOUR
from ehdesk.gui.formview.summary import SEVERITY_ROLE
from ehdesk.gui.mainwindow import MainWindow
from ehdesk.storage.models import Family, Referral
from tests.gui.conftest import MakeWindow
from tests.gui.keyboard import focused, press, type_text

CTRL = Qt.KeyboardModifier.ControlModifier
UNLISTED_PHONE = "01632 960123"  # possible, but in no range known to be in use: a warning, not an error


def _referral(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "received_on": date.today().isoformat(),
        "how_received": "paper",
        "referrer_name": "Ruth Ng",
        "postcode": "M1 1AE",
        "children": [
            {"given_name": "Ava", "family_name": "Smith", "unborn": False, "birth_date": "2018-02-03"}
        ],
        "reasons": "Needs help with routines",
        "discussed_with_parent": True,
    }
    return {**values, **changes}


def _carers(window: MainWindow) -> RepeatInput:
    group = window.referral.view.rows["carers"].input
    assert isinstance(group, RepeatInput)
    return group


def _count(backend: Backend, model: type[Family] | type[Referral]) -> int:
    with backend.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _status(window: MainWindow) -> str:
    return window.ui.statusbar.currentMessage()


# -- 2: text typed on "Add carer" ------------------------------------------------------------------------


def test_a_name_typed_on_the_add_carer_button_adds_the_carer_with_every_letter(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.new_referral()
    carers = _carers(window)
    assert carers.items == []  # a new referral has no carer, only the button
    carers.add_button.setFocus()
    assert focused() is carers.add_button
    type_text("Thị Mai")
    assert len(carers.items) == 1
    assert carers.value()[0]["given_name"] == "Thị Mai"
    assert focused() is carers.items[0].rows["given_name"].input.focus_widgets()[0]


def test_space_on_the_add_carer_button_still_adds_an_empty_carer(window: MainWindow, qtbot: QtBot) -> None:
    window.new_referral()
    carers = _carers(window)
    carers.add_button.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(carers.items) == 1)
    assert carers.value()[0]["given_name"] == ""
    assert focused() is carers.items[0].rows["given_name"].input.focus_widgets()[0]


# -- 3: Ctrl+S on a referral already saved ----------------------------------------------------------------


def test_a_second_ctrl_s_on_a_saved_referral_says_where_it_went_and_stores_nothing(
    window: MainWindow, backend: Backend, qtbot: QtBot
) -> None:
    window.new_referral()
    page = window.referral
    page.view.set_values(_referral())
    page.view.focus_first()
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: page.last_stored is not None)
    reference = page.last_stored.family_reference
    assert _count(backend, Referral) == 1

    press(qtbot, Qt.Key.Key_S, CTRL)
    assert page.pending_dialog is None  # no duplicate prompt against the family just made
    assert _status(window) == f"Already saved as {reference} — Ctrl+N starts the next referral"
    assert (_count(backend, Referral), _count(backend, Family)) == (1, 1)

    type_text("x")  # an edit: the typing is no longer what was saved, so saving means something again
    assert page.last_stored is None
    assert page.dirty


def test_save_and_next_on_a_saved_referral_only_starts_the_next(
    window: MainWindow, backend: Backend, qtbot: QtBot
) -> None:
    window.new_referral()
    page = window.referral
    page.view.set_values(_referral())
    page.view.focus_first()
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: page.last_stored is not None)
    press(qtbot, Qt.Key.Key_Return, CTRL)
    qtbot.waitUntil(lambda: page.view.raw_values()["referrer_name"] == "")
    assert _count(backend, Referral) == 1


# -- 4: the needs list starts at its top for every referral ------------------------------------------------


def test_the_needs_list_starts_at_its_first_row_for_the_next_referral(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.new_referral()
    needs = window.referral.view.rows["needs"].input
    assert isinstance(needs, MultiChoiceInput)
    needs.list.setFocus()
    for _ in range(4):
        press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Space)
    ticked = needs.value()
    assert len(ticked) == 1
    window.referral.start_new()
    assert needs.value() == []
    assert needs.list.currentRow() == 0
    needs.list.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    first = needs.list.item(0)
    assert first is not None
    assert needs.value() == [first.data(Qt.ItemDataRole.UserRole)]  # the top row, not last time's


# -- 6: messages ----------------------------------------------------------------------------------------


def test_the_status_line_follows_the_problem_list_as_problems_are_fixed(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.new_referral()
    page = window.referral
    page.view.set_values(_referral(referrer_name="", reasons=""))
    page.view.focus_first()
    press(qtbot, Qt.Key.Key_S, CTRL)
    assert _status(window).startswith("Not saved: 2 problems")
    page.view.focus_path("referrer_name")
    type_text("Ruth Ng")
    qtbot.waitUntil(lambda: page.view.summary.list.count() == 1)
    qtbot.waitUntil(lambda: _status(window).startswith("Not saved: 1 problem to fix"))
    page.view.focus_path("reasons")
    type_text("Help with routines")
    qtbot.waitUntil(lambda: _status(window).startswith("Nothing left to fix"))


def test_a_save_straight_after_the_last_fix_keeps_its_saved_line(window: MainWindow, qtbot: QtBot) -> None:
    """The re-check still pending from the last keystroke must not replace "Saved" with "save again"."""
    window.new_referral()
    page = window.referral
    page.view.set_values(_referral(reasons=""))
    page.view.focus_first()
    press(qtbot, Qt.Key.Key_S, CTRL)
    page.view.focus_path("reasons")
    type_text("Help with routines")
    press(qtbot, Qt.Key.Key_S, CTRL)  # before the re-check of the typing has run
    qtbot.waitUntil(lambda: page.last_stored is not None)
    saved = _status(window)
    assert saved.startswith("Saved")
    qtbot.waitUntil(lambda: not page.view.recheck_pending)  # a stale re-check has had its say, if any
    assert _status(window) == saved


def test_warnings_look_unlike_errors_and_the_confirmation_names_the_field(
    window: MainWindow, backend: Backend, qtbot: QtBot
) -> None:
    window.new_referral()
    page = window.referral
    carer = {"given_name": "Sam", "family_name": "Smith", "phone": UNLISTED_PHONE}
    page.view.set_values(_referral(carers=[carer], referrer_name=""))
    page.view.focus_first()
    press(qtbot, Qt.Key.Key_S, CTRL)  # refused for the missing referrer; the phone is only a warning
    summary = page.view.summary
    lines = [summary.list.item(i) for i in range(summary.list.count())]
    kinds = {Severity(item.data(SEVERITY_ROLE)): item for item in lines if item is not None}
    warning, error = kinds[Severity.WARNING], kinds[Severity.ERROR]
    assert warning.foreground().color().name() == WARNING_COLOUR
    assert error.foreground().color().name() == ERROR_COLOUR
    assert warning.text().startswith("⚠ Warning, check — Carer 1: Phone:")  # a word, not colour alone
    assert not warning.icon().isNull()
    assert warning.icon().cacheKey() != error.icon().cacheKey()

    page.view.focus_path("referrer_name")
    type_text("Ruth Ng")
    qtbot.waitUntil(lambda: not page.view.errors())
    assert summary.severity is Severity.WARNING  # only warnings left: the panel is amber, not red
    assert WARNING_COLOUR in summary.styleSheet()
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: isinstance(page.pending_dialog, QMessageBox))
    box = page.pending_dialog
    assert isinstance(box, QMessageBox)
    assert "• Carer 1: Phone: This number is not in a range known to be in use" in box.text()
    qtbot.waitUntil(box.isActiveWindow)
    press(qtbot, Qt.Key.Key_Return)  # Enter: save anyway
    qtbot.waitUntil(lambda: _count(backend, Referral) == 1)


# -- 7: a restored draft scrolls to its field --------------------------------------------------------------


def test_a_restored_draft_scrolls_to_the_field_the_cursor_was_in(
    make_window: MakeWindow, backend: Backend, qtbot: QtBot
) -> None:
    backend.save_draft(
        "referral",
        "new-restored",
        {**_referral(carers=[{"given_name": "Sam", "family_name": ""}]), "_focus": "carers[0].family_name"},
    )
    window = make_window()
    assert window.offer_restore()
    dialog = window.pending_dialog
    assert isinstance(dialog, RestoreDraftDialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    press(qtbot, Qt.Key.Key_Return)  # Restore is the default button
    qtbot.waitUntil(lambda: window.current_view == "referral")
    view = window.referral.view
    target = _carers(window).items[0].rows["family_name"].input.focus_widgets()[0]
    qtbot.waitUntil(lambda: focused() is target)
    viewport = view.scroll_area.viewport()

    def in_view() -> bool:
        top = target.mapTo(viewport, target.rect().topLeft()).y()
        return top >= 0 and top + target.height() <= viewport.height()

    qtbot.waitUntil(in_view)
    assert view.scroll_area.verticalScrollBar().value() > 0
    type_text("Smith")
    assert window.referral.view.raw_values()["carers"][0]["family_name"] == "Smith"
