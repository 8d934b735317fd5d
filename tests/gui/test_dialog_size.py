"""Record dialogs open wide enough for their widest row, within the screen, and remember their size.

A tester's share dialog opened 660 px wide on a 1600 px screen and cut off the family's data items.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QListWidget
from pytestqt.qtbot import QtBot

from ehdesk.gui.casefile_view import RecordDialog
from ehdesk.gui.dialog_size import available_size, opening_size
from ehdesk.storage.database import Database
from tests.gui.keyboard import press
from tests.gui.workers import make_team, open_window

LONG_ENTRY = "Health: GP, health visitor and school nurse records including dates of appointments"


def _longest_fits(tick_list: QListWidget) -> bool:
    metrics = tick_list.fontMetrics()
    items = [tick_list.item(i) for i in range(tick_list.count())]
    widest = max(metrics.horizontalAdvance(item.text()) for item in items if item is not None)
    return widest + 24 <= tick_list.viewport().width()  # the tick box and its margin beside the text


def test_opening_size_grows_to_the_content_and_stops_at_nine_tenths_of_the_screen() -> None:
    screen = QSize(1600, 900)
    assert opening_size(QSize(1100, 700), QSize(760, 680), screen) == QSize(1100, 700)
    assert opening_size(QSize(500, 300), QSize(760, 680), screen) == QSize(760, 680)
    assert opening_size(QSize(2400, 1200), QSize(760, 680), screen) == QSize(1440, 810)


def test_the_share_dialog_shows_its_data_items_whole_and_reopens_at_the_size_left(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team = make_team(sqlite_db)
    family = team.refer("Ava", "Smith")
    team.allocate(family, team.worker)
    window = open_window(qtbot, team.worker)
    window.worker_views.open_casefile(family)
    press(qtbot, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.worker_views.casefile.pending_dialog
    assert isinstance(dialog, RecordDialog)
    qtbot.waitExposed(dialog)
    row = dialog.page.view.rows["data_items"]
    tick_list = row.input.focus_widgets()[0]
    assert isinstance(tick_list, QListWidget)
    tick_list.addItem(LONG_ENTRY)  # a wider entry than any the family holds: the hint must follow it
    wanted = dialog.sizeHint()
    cap = available_size(dialog)
    dialog.resize(opening_size(wanted, QSize(760, 680), cap))
    qtbot.waitUntil(lambda: dialog.width() == opening_size(wanted, QSize(760, 680), cap).width())
    view = dialog.page.view
    assert wanted.width() >= view.sizeHint().width() > view.rows["data_items"].sizeHint().width()
    assert dialog.width() <= int(cap.width() * 0.9)
    left_at = QSize(700, 500)
    dialog.resize(left_at)
    qtbot.waitUntil(lambda: dialog.size() == left_at)
    dialog.page.view.mark_clean()
    dialog.reject()
    assert not dialog.isVisible()
    window.worker_views.open_casefile(family)
    press(qtbot, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    again = window.worker_views.casefile.pending_dialog
    assert isinstance(again, RecordDialog)
    assert again is not dialog
    assert again.size() == left_at
    again.page.view.mark_clean()
    again.reject()


def test_a_form_at_its_size_hint_shows_its_longest_tick_entry_whole(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team = make_team(sqlite_db)
    family = team.refer("Ava", "Smith")
    team.allocate(family, team.worker)
    window = open_window(qtbot, team.worker)
    window.worker_views.open_casefile(family)
    dialog = window.worker_views.casefile.new_share()
    assert isinstance(dialog, RecordDialog)
    view = dialog.page.view
    tick_list = view.rows["data_items"].input.focus_widgets()[0]
    assert isinstance(tick_list, QListWidget)
    tick_list.addItem(LONG_ENTRY)
    view.mark_clean()
    dialog.reject()
    view.setParent(None)  # on its own, at its own hint, without the screen's limit
    qtbot.addWidget(view)
    view.resize(view.sizeHint())
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: _longest_fits(tick_list))
