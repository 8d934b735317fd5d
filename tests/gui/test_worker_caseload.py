"""A worker's day starts on My families: what is due shows (G3), Enter opens the casefile, and a manager
allocates from the list with the allocation on the casefile."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ehdesk.gui.allocation_dialog import AllocationDialog
from ehdesk.gui.caseload import CaseloadPage
from ehdesk.gui.timeline_model import CaseloadModel
from ehdesk.storage.database import Database
from tests.gui.keyboard import press
from tests.gui.workers import make_team, open_window


def test_a_worker_starts_on_my_families_and_a_new_allocation_shows_privacy_notice_due(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team = make_team(sqlite_db)
    mine = team.refer("Ava", "Smith")
    theirs = team.refer("Noah", "Jones")
    team.allocate(mine, team.worker)
    team.allocate(theirs, team.other_worker)
    window = open_window(qtbot, team.worker)
    assert window.current_view == "caseload"
    rows = window.worker_views.caseload.model.rows
    assert [r.id for r in rows] == [mine]  # only the worker's own families
    assert "privacy notice due" in rows[0].due
    due_cell = window.worker_views.caseload.model.index(0, 4).data()
    assert "privacy notice due" in due_cell
    assert "1 family; 1 with something due" in window.worker_views.caseload.count_label.text()


def test_enter_on_my_families_opens_the_casefile_and_ctrl_3_comes_back(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team = make_team(sqlite_db)
    family = team.held_family("Zoë", "Ó Briain")
    window = open_window(qtbot, team.worker)
    window.worker_views.caseload.focus_list()
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_view == "casefile")
    casefile = window.worker_views.casefile
    assert casefile.family_id == family
    titles = [e.title for e in casefile.model.rows]
    assert any("Zoë" in t for t in titles), titles
    whens = [e.when for e in casefile.model.rows]
    assert whens == sorted(whens, reverse=True)  # newest first
    press(qtbot, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view == "caseload"
    press(qtbot, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view == "casefile"


def test_admins_get_no_casefile_menu_or_worker_views(sqlite_db: Database, qtbot: QtBot) -> None:
    team = make_team(sqlite_db)
    window = open_window(qtbot, team.admin)
    menus = [a.text().replace("&", "") for a in window.ui.menubar.actions()]
    assert "Casefile" not in menus
    assert "caseload" not in window.views
    worker = open_window(qtbot, team.worker)
    assert "Casefile" in [a.text().replace("&", "") for a in worker.ui.menubar.actions()]


def test_the_caseload_model_shows_a_long_list_a_page_at_a_time(sqlite_db: Database, qtbot: QtBot) -> None:
    team = make_team(sqlite_db)
    for n in range(7):
        team.allocate(team.refer(f"Child{n}", f"Family{n}"), team.worker)
    model = CaseloadModel(team.worker.my_families, page_size=3)
    model.reload()
    assert model.total == 7
    assert model.rowCount() == 3
    assert model.canFetchMore(model.index(0, 0).parent())
    model.fetchMore(model.index(0, 0).parent())
    model.fetchMore(model.index(0, 0).parent())
    assert model.rowCount() == 7
    assert not model.canFetchMore(model.index(0, 0).parent())


def test_a_manager_allocates_from_their_list_and_the_casefile_shows_it(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team = make_team(sqlite_db)
    family = team.refer("Maya", "Kowalski")
    team.allocate(family, team.manager)  # on the manager's own caseload first
    window = open_window(qtbot, team.manager)
    assert window.current_view == "caseload"
    press(qtbot, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.worker_views.pending_dialog
    assert isinstance(dialog, AllocationDialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    wendy = dialog.worker.findText("Wendy (worker)")
    assert wendy > 0
    dialog.worker.setCurrentIndex(wendy)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.worker_views.pending_dialog is None)
    assert [r.id for r in team.worker.my_families()] == [family]
    page: CaseloadPage = window.worker_views.caseload
    assert page.model.total == 0  # no longer the manager's
    entries = team.worker.casefile(family)
    assert any(e.kind == "allocation" for e in entries)


def test_an_allocation_refused_by_the_service_keeps_the_dialog_open_with_the_reason(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team = make_team(sqlite_db)
    family = team.refer("Leo", "Nwosu")
    team.allocate(family, team.manager)
    row = team.manager.my_families()[0]
    dialog = AllocationDialog(team.manager, family, row.reference, version=row.version + 5)
    qtbot.addWidget(dialog)
    dialog.worker.setCurrentIndex(1)
    assert not dialog.allocate()
    assert dialog.error.isVisibleTo(dialog)
    assert dialog.error.text()
    assert dialog.result() == 0


def test_the_header_counts_the_whole_caseload_not_the_rows_loaded(sqlite_db: Database, qtbot: QtBot) -> None:
    team = make_team(sqlite_db)
    for n in range(7):
        team.allocate(team.refer(f"Child{n}", f"Family{n}"), team.worker)
    page = CaseloadPage(team.worker)
    qtbot.addWidget(page)
    page.model.page_size = 3  # a big caseload: only the first page is loaded
    page.refresh()
    assert page.model.rowCount() == 3
    assert page.count_label.text() == "7 families; 7 with something due (7 due the privacy notice)"
