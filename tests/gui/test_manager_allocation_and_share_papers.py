"""A manager allocates a family just referred (from the family list or its casefile, not only from "My
families", which is empty for a new manager); a share's explanation record is one button away on the
casefile; a batch of packs asks where to put them and remembers the answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from ehdesk.gui.allocation_dialog import NOBODY, AllocationDialog
from ehdesk.gui.mainwindow import MainWindow
from ehdesk.gui.pdf_preview import PdfPreviewDialog
from ehdesk.gui.worker_views import PACKS_FOLDER_KEY, packs_folder
from ehdesk.storage.database import Database
from ehdesk.storage.models import Family
from tests.gui.keyboard import press, type_text
from tests.gui.workers import SHARE, make_team, open_window

CTRL = Qt.KeyboardModifier.ControlModifier
CTRL_SHIFT = CTRL | Qt.KeyboardModifier.ShiftModifier


def _worker_of(db: Database, family_id: int) -> int | None:
    with db.read() as session:
        family = session.get(Family, family_id)
        assert family is not None
        return family.worker_id


def _choose(qtbot: QtBot, dialog: AllocationDialog, name: str) -> None:
    """Pick ``name`` in the worker list by keyboard, then Enter (OK)."""
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.worker.setFocus()
    while name not in dialog.worker.currentText():
        before = dialog.worker.currentIndex()
        press(qtbot, Qt.Key.Key_Down)
        assert dialog.worker.currentIndex() != before, f"{name} is not offered"
    press(qtbot, Qt.Key.Key_Return)


def test_a_manager_allocates_a_new_family_from_the_family_list(sqlite_db: Database, qtbot: QtBot) -> None:
    team = make_team(sqlite_db)
    family = team.refer("Ava", "Smith")
    window = open_window(qtbot, team.manager)
    assert not window.worker_views.caseload.model.rows  # "My families" is empty for a new manager
    press(qtbot, Qt.Key.Key_F, CTRL)  # the family search
    type_text("Smith")
    qtbot.waitUntil(lambda: window.families.current_family() == family)
    press(qtbot, Qt.Key.Key_L, CTRL_SHIFT)
    qtbot.waitUntil(lambda: isinstance(window.worker_views.pending_dialog, AllocationDialog))
    dialog = window.worker_views.pending_dialog
    assert isinstance(dialog, AllocationDialog)
    summary = team.manager.family_summary(family)
    assert dialog.version == summary.version
    _choose(qtbot, dialog, "Wendy")
    assert team.worker.actor is not None
    qtbot.waitUntil(lambda: _worker_of(sqlite_db, family) == team.worker.actor.id)


def test_a_manager_allocates_from_the_casefile_and_its_header_names_the_worker(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team = make_team(sqlite_db)
    family = team.refer("Noah", "Jones")
    window = open_window(qtbot, team.manager)
    window.worker_views.open_casefile(family)
    casefile = window.worker_views.casefile
    assert "Not allocated yet" in casefile.header.text()
    press(qtbot, Qt.Key.Key_L, CTRL_SHIFT)
    qtbot.waitUntil(lambda: isinstance(window.worker_views.pending_dialog, AllocationDialog))
    dialog = window.worker_views.pending_dialog
    assert isinstance(dialog, AllocationDialog)
    _choose(qtbot, dialog, "Wendy")
    qtbot.waitUntil(lambda: "Allocated to" in casefile.header.text())
    assert casefile.family is not None
    assert casefile.family.worker_id == _worker_of(sqlite_db, family)
    assert casefile.family.worker_name in casefile.header.text()


def test_a_share_on_the_casefile_opens_its_explanation_record_to_save(
    sqlite_db: Database, qtbot: QtBot, tmp_path: Path
) -> None:
    team = make_team(sqlite_db)
    family = team.held_family("Isla", "Brown")
    team.worker.create_record("share", family, SHARE, confirmed_warnings=True)
    window = open_window(qtbot, team.worker)
    window.worker_views.open_casefile(family)
    casefile = window.worker_views.casefile
    qtbot.waitUntil(lambda: casefile.model.rowCount() > 0)
    shares = [row for row, entry in enumerate(casefile.model.rows) if entry.kind == "share"]
    casefile.table.selectRow(shares[0])
    assert casefile.explanation_button.isEnabled()
    casefile.explanation_button.setFocus()
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: isinstance(casefile.pending_dialog, PdfPreviewDialog))
    dialog = casefile.pending_dialog
    assert isinstance(dialog, PdfPreviewDialog)
    assert dialog.page_count >= 1
    assert dialog.save_to(tmp_path / dialog.filename)
    assert (tmp_path / dialog.filename).read_bytes().startswith(b"%PDF")
    dialog.reject()

    others = [row for row, entry in enumerate(casefile.model.rows) if entry.kind != "share"]
    casefile.table.selectRow(others[0])
    assert not casefile.explanation_button.isEnabled()  # only a share has one


def _open_batch_folder_dialog(
    sqlite_db: Database, qtbot: QtBot, home: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[MainWindow, QFileDialog]:
    """A worker with one family lacking evidence asks for batch packs; the home folder is ``home``
    (the first suggestion is made there, never in the real home)."""
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    team = make_team(sqlite_db)
    team.held_family("Mia", "Green")
    window = open_window(qtbot, team.worker)
    window.ui.actionBatchPacks.trigger()
    dialog = window.worker_views.pending_dialog
    assert isinstance(dialog, QFileDialog)
    return window, dialog


def test_batch_packs_ask_for_the_folder_and_remember_it(
    sqlite_db: Database, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, dialog = _open_batch_folder_dialog(sqlite_db, qtbot, tmp_path / "home", monkeypatch)
    assert dialog.fileMode() == QFileDialog.FileMode.Directory
    folder = tmp_path / "packs-here"
    folder.mkdir()
    dialog.selectFile(str(folder))
    dialog.accept()
    runner = window.worker_views.batch
    assert runner is not None
    qtbot.waitUntil(lambda: runner.result is not None, timeout=60_000)
    assert len(list(folder.glob("*.pdf"))) == 1
    assert QSettings().value(PACKS_FOLDER_KEY) == str(folder)
    assert packs_folder() == folder  # the next batch starts there


def test_the_first_suggested_folder_is_made_so_make_packs_here_can_be_pressed(
    sqlite_db: Database, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    QSettings().remove(PACKS_FOLDER_KEY)
    home = tmp_path / "home"
    _, dialog = _open_batch_folder_dialog(sqlite_db, qtbot, home, monkeypatch)
    assert (home / "ehdesk-packs").is_dir()
    assert Path(dialog.directory().absolutePath()) == home / "ehdesk-packs"
    dialog.reject()


def test_the_allocate_dialog_starts_on_a_worker_and_unallocating_asks_first(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team = make_team(sqlite_db)
    family = team.refer("Ella", "Price")
    window = open_window(qtbot, team.manager)
    window.worker_views.open_casefile(family)
    press(qtbot, Qt.Key.Key_L, CTRL_SHIFT)
    qtbot.waitUntil(lambda: isinstance(window.worker_views.pending_dialog, AllocationDialog))
    dialog = window.worker_views.pending_dialog
    assert isinstance(dialog, AllocationDialog)
    assert dialog.chosen_worker is not None  # a worker, not "Nobody"
    assert dialog.worker.itemText(dialog.worker.count() - 1) == NOBODY
    first = dialog.chosen_worker
    qtbot.waitUntil(dialog.isActiveWindow)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _worker_of(sqlite_db, family) == first)

    qtbot.waitUntil(lambda: window.worker_views.pending_dialog is None)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.worker_views.allocate(family)
    again = window.worker_views.pending_dialog
    assert isinstance(again, AllocationDialog)
    assert again.chosen_worker == first  # the family's current worker
    qtbot.waitUntil(again.isActiveWindow)
    again.worker.setFocus()
    press(qtbot, Qt.Key.Key_End)  # "Nobody"
    assert again.chosen_worker is None
    press(qtbot, Qt.Key.Key_Return)
    assert _worker_of(sqlite_db, family) == first  # not yet: it asks first
    assert "nobody's caseload" in again.error.text()
    assert again.isVisible()
    press(qtbot, Qt.Key.Key_Return)  # confirmed
    qtbot.waitUntil(lambda: _worker_of(sqlite_db, family) is None)
