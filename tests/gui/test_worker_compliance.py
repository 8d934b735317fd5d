"""The compliance view: gaps oldest first with counts per worker, the same report the CSV export prints;
Enter on a gap opens the family's casefile to put it right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ehdesk.gui.compliance_view import gap_count_text
from ehdesk.gui.timeline_model import ROW_ROLE
from ehdesk.storage.database import Database
from tests.gui.keyboard import press
from tests.gui.workers import make_team, open_window


def test_ctrl_5_shows_the_gaps_oldest_first_with_counts_per_worker_and_enter_opens_the_casefile(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team = make_team(sqlite_db)
    first = team.refer("Ava", "Smith")
    second = team.refer("Noah", "Jones")
    done = team.refer("Maya", "Kowalski")
    for family in (first, second, done):
        team.allocate(family, team.worker)
    team.worker.record_pack_shared(done, "printed", team.worker.privacy_notice_pack(done))
    window = open_window(qtbot, team.manager)
    press(qtbot, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view == "compliance"
    view = window.worker_views.compliance
    report = team.manager.compliance()
    assert view.gaps.rowCount() == len(report.items)
    shown = [view.gaps.index(row, 3).data() for row in range(view.gaps.rowCount())]
    assert shown == [item.reference for item in report.items]  # the export's order: oldest first
    missing = {i.family_id for i in report.items if "privacy" in i.kind}
    assert missing == {first, second}
    wendy = next(row for row in range(view.counts.rowCount()) if view.counts.index(row, 0).data() == "Wendy")
    assert view.counts.index(wendy, 1).data() == "2"
    assert "2 families missing privacy-notice evidence" in view.summary.text()  # counted in words
    view.gaps_table.selectRow(0)
    view.focus_table()
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.current_view == "casefile")
    assert window.worker_views.casefile.family_id == report.items[0].family_id


def test_a_worker_sees_only_their_own_gaps(sqlite_db: Database, qtbot: QtBot) -> None:
    team = make_team(sqlite_db)
    mine = team.refer("Leo", "Nwosu")
    theirs = team.refer("Isla", "Brien")
    team.allocate(mine, team.worker)
    team.allocate(theirs, team.other_worker)
    window = open_window(qtbot, team.worker)
    window.worker_views.show_compliance()
    view = window.worker_views.compliance
    families = {
        view.gaps.data(view.gaps.index(r, 0), ROW_ROLE).family_id for r in range(view.gaps.rowCount())
    }
    assert families == {mine}


def test_gap_counts_agree_with_their_number() -> None:
    assert gap_count_text("objection awaiting a decision", 2) == "2 objections awaiting a decision"
    assert gap_count_text("objection awaiting a decision", 1) == "1 objection awaiting a decision"
    assert (
        gap_count_text("exception share awaiting a decision", 3) == "3 exception shares awaiting a decision"
    )
    assert gap_count_text("share: neither informed nor an exception", 2).startswith("2 shares: neither")
    assert gap_count_text("missing privacy-notice evidence", 1) == "1 family missing privacy-notice evidence"
