"""The family list under a long list and a short query: bounded memory, a capped count, a prompt."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from ehdesk.gui.backend import Backend, FamilyRow
from ehdesk.gui.family_list import FamilyListPage
from ehdesk.gui.family_model import LOADING, FamilyTableModel
from ehdesk.services.families import NO_FAMILIES_ALLOCATED
from ehdesk.storage.database import Database
from ehdesk.storage.models import Family
from tests.gui.workers import make_team


def _newest(limit: int, before_id: int | None, total: int = 100_000) -> list[FamilyRow]:
    top = total if before_id is None else before_id - 1
    return [
        FamilyRow(i, f"EH-{i:06d}", f"Family {i}", "", "", "") for i in range(top, max(top - limit, 0), -1)
    ]


def test_scrolling_to_the_end_keeps_only_a_window_of_rows_in_memory(qtbot: QtBot) -> None:
    model = FamilyTableModel(lambda _q, limit, before: _newest(limit, before), page_size=100, window_pages=4)
    model.set_query("")
    for _ in range(50):
        model.fetchMore(model.index(0, 0).parent())
    assert model.rowCount() == 5_100
    assert model.rows_in_memory == 400  # four pages, however far the list was scrolled


def test_a_row_whose_page_was_dropped_comes_back_without_blocking_the_paint(qtbot: QtBot) -> None:
    calls: list[int | None] = []

    def fetch(_query: str, limit: int, before: int | None) -> list[FamilyRow]:
        calls.append(before)
        return _newest(limit, before)

    model = FamilyTableModel(fetch, page_size=100, window_pages=2)
    model.set_query("")
    for _ in range(4):
        model.fetchMore(model.index(0, 0).parent())
    asked = len(calls)
    assert model.data(model.index(0, 0)) == LOADING  # page 0 was dropped; nothing fetched in the paint
    assert len(calls) == asked
    qtbot.waitUntil(lambda: model.data(model.index(0, 0)) == "EH-100000")
    assert calls[-1] is None  # fetched again from the top, by key


def test_one_or_two_letters_show_a_prompt_and_a_broad_search_a_capped_count(
    backend: Backend, qtbot: QtBot
) -> None:
    with backend.db.session() as session:
        session.execute(
            insert(Family),
            [{"reference": f"EH-{n:06d}", "search_text": f"eh {n:06d} hartley"} for n in range(1, 1_101)],
        )
    page = FamilyListPage(backend)
    qtbot.addWidget(page)
    page.search.setText("ha")
    page.run_search()
    assert page.count_label.text().startswith("Type at least 3 letters")
    assert page.model.rowCount() == 0
    page.search.setText("hartley")
    page.run_search()
    assert page.model.rowCount() == 200
    qtbot.waitUntil(lambda: page.count_label.text().startswith("1,000+ families"))


def test_a_worker_holding_no_family_is_told_a_manager_allocates_families(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team = make_team(sqlite_db)
    family_id = team.refer("Ava", "Hartley")
    page = FamilyListPage(team.worker)
    qtbot.addWidget(page)
    page.search.setText("hartley")
    page.run_search()
    assert page.model.rowCount() == 0
    assert page.count_label.text() == NO_FAMILIES_ALLOCATED  # not a bare "0 families"
    team.allocate(family_id, team.worker)
    page.search.setText("nobody-by-this-name")
    page.run_search()
    assert page.count_label.text().startswith("0 families")  # holds one now: no match is no match
    page.search.setText("hartley")
    page.run_search()
    assert page.model.rowCount() == 1
