"""The "is this family already known?" prompt: reasons that do not overstate an accent-blind match, and
shown whole at the dialog's first size."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QRect, Qt
from pytestqt.qtbot import QtBot

from ehdesk.gui.backend import Backend
from ehdesk.gui.duplicates import DuplicateDialog
from ehdesk.gui.mainwindow import MainWindow
from tests.gui.keyboard import press

CTRL = Qt.KeyboardModifier.ControlModifier


def _referral(given: str, family: str) -> dict[str, Any]:
    return {
        "received_on": date.today().isoformat(),
        "how_received": "paper",
        "referrer_name": "Ruth Ng",
        "postcode": "LS6 2AB",
        "children": [
            {
                "given_name": given,
                "family_name": family,
                "unborn": False,
                "birth_date": "2015-03-14",
                "nhs_number": "943 476 5919",
            }
        ],
        "reasons": "School worried about attendance",
        "discussed_with_parent": True,
    }


def _prompt_for(
    window: MainWindow, backend: Backend, qtbot: QtBot, stored: tuple[str, str], typed: tuple[str, str]
) -> DuplicateDialog:
    backend.create_referral(_referral(*stored), confirmed_warnings=True)
    window.new_referral()
    window.referral.view.set_values(_referral(*typed))
    window.referral.view.mark_dirty()
    window.referral.view.focus_first()
    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: isinstance(window.referral.pending_dialog, DuplicateDialog))
    dialog = window.referral.pending_dialog
    assert isinstance(dialog, DuplicateDialog)
    return dialog


def _reasons(dialog: DuplicateDialog) -> str:
    item = dialog.ui.candidates.item(0, len(dialog.HEADERS) - 1)
    assert item is not None
    return item.text()


def test_names_equal_only_without_accents_are_similar_not_the_same(
    window: MainWindow, backend: Backend, qtbot: QtBot
) -> None:
    dialog = _prompt_for(window, backend, qtbot, ("Siân", "Ó Briain"), ("Sian", "O Briain"))
    reasons = _reasons(dialog)
    assert "similar given name" in reasons
    assert "similar family name" in reasons
    assert "same given name" not in reasons
    dialog.reject()


def test_a_dropped_middle_name_with_an_accent_is_similar(
    window: MainWindow, backend: Backend, qtbot: QtBot
) -> None:
    dialog = _prompt_for(window, backend, qtbot, ("Zoë Anna", "Kowalczyk"), ("Zoe", "Kowalczyk"))
    reasons = _reasons(dialog)
    assert "similar given name" in reasons
    assert "same family name" in reasons  # the family name is identical as typed
    dialog.reject()


def test_names_identical_as_typed_are_the_same(window: MainWindow, backend: Backend, qtbot: QtBot) -> None:
    dialog = _prompt_for(window, backend, qtbot, ("Siân", "Ó Briain"), ("Siân", "Ó Briain"))
    reasons = _reasons(dialog)
    assert "same given name" in reasons
    assert "same family name" in reasons
    dialog.reject()


def test_every_cell_of_the_prompt_shows_whole_at_its_first_size(
    window: MainWindow, backend: Backend, qtbot: QtBot
) -> None:
    dialog = _prompt_for(window, backend, qtbot, ("Siân", "Ó Briain"), ("Sian", "O Briain"))
    qtbot.waitExposed(dialog)
    table = dialog.ui.candidates
    metrics = table.fontMetrics()
    for column in range(table.columnCount()):
        item = table.item(0, column)
        assert item is not None
        width = table.columnWidth(column)
        assert metrics.horizontalAdvance(item.text().split()[0]) < width, (column, item.text())
        wrapped = metrics.boundingRect(QRect(0, 0, width - 8, 10_000), Qt.TextFlag.TextWordWrap, item.text())
        assert wrapped.height() <= table.rowHeight(0), (column, item.text())  # every line of it shows
    dialog.reject()
