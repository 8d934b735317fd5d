"""A worker records a family's decline (G20) from the casefile: button, Casefile menu and Ctrl+Shift+D
open the decline form; saved, it reaches the manager's queue. The Casefile menu also works on the
casefile shown beside a decision."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ehdesk.gui.casefile_view import RecordDialog
from ehdesk.gui.formview.inputs import PersonInput
from ehdesk.storage.database import Database
from ehdesk.storage.models import Decline
from tests.gui.keyboard import focused, press
from tests.gui.test_manager_signoff import Office, office, window_for
from tests.gui.workers import Team, make_team, open_window, worker_casefile
from tests.unit.forms.formcases import DECLINE

__all__ = ["office"]
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_ctrl_shift_d_opens_the_decline_form_and_the_decline_reaches_the_queue(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team, window, _family = worker_casefile(sqlite_db, qtbot, "Ava", "Smith")
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


def test_the_saved_decline_is_named_with_its_capitals_and_every_casefile_column_has_a_header(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    _team, window, _family = worker_casefile(sqlite_db, qtbot, "Ava", "Smith")
    press(qtbot, Qt.Key.Key_D, CTRL_SHIFT)
    casefile = window.worker_views.casefile
    dialog = casefile.pending_dialog
    assert isinstance(dialog, RecordDialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.page.view.set_values({**DECLINE, "declined_by": None})
    with qtbot.waitSignal(dialog.page.message) as said:
        press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert said.args == ["Saved: Family declined Early Help"]
    model = casefile.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert all(headers), headers  # "yours to change" sits under a heading of its own


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


def _people(team: Team, family: int) -> tuple[dict[str, str], dict[str, str]]:
    """The family's carers and children, each by key with their name."""
    people = team.worker.family_people(family)
    adults = team.worker.family_adults(family)
    carers = {key: name for key, name in people.items() if key in adults}
    children = {key: name for key, name in people.items() if key not in adults}
    return carers, children


TWO_CARERS = [
    {"given_name": "Sam", "family_name": "Smith", "relationship": "mother"},
    {"given_name": "Dara", "family_name": "Ní Bhriain", "relationship": "father"},
]


def test_who_declined_offers_the_parents_and_carers_only_and_the_pick_is_stored(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team = make_team(sqlite_db)
    family = team.held_family("Ava", "Smith", carers=TWO_CARERS)
    carers, children = _people(team, family)
    assert sorted(children.values()) == ["Ava Smith"]
    window = open_window(qtbot, team.worker)
    window.worker_views.open_casefile(family)
    press(qtbot, Qt.Key.Key_D, CTRL_SHIFT)
    dialog = window.worker_views.casefile.pending_dialog
    assert isinstance(dialog, RecordDialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    picker = dialog.page.view.rows["declined_by"].input
    assert isinstance(picker, PersonInput)
    offered = [picker.combo.itemText(i) for i in range(picker.combo.count())]
    assert offered == ["", "Sam Smith", "Dara Ní Bhriain"], "no child among who can decline"

    dialog.page.view.set_values({**DECLINE, "declined_by": None})
    picker.combo.setFocus()
    qtbot.waitUntil(lambda: focused() is picker.combo)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Down)  # the second carer, by keyboard
    with qtbot.waitSignal(dialog.accepted):
        press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    (stored,) = team.worker.list_records("decline", family)
    assert carers[stored.values["declined_by"]] == "Dara Ní Bhriain"


def test_an_old_decline_naming_a_child_shows_the_child_and_saving_asks_for_a_carer_citing_g20(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team = make_team(sqlite_db)
    family = team.held_family("Ava", "Smith")
    carers, children = _people(team, family)
    (carer,) = carers
    (child,) = children
    decline = team.worker.create_record(
        "decline", family, {**DECLINE, "declined_by": carer}, confirmed_warnings=True
    )
    with sqlite_db.session() as session:  # stored before the rule existed
        row = session.get(Decline, decline.id)
        assert row is not None
        row.data = {**row.data, "declined_by": child}

    window = open_window(qtbot, team.worker)
    casefile = window.worker_views.casefile
    window.worker_views.open_casefile(family)
    qtbot.waitUntil(lambda: any(e.kind == "decline" for e in casefile.model.rows))
    entry = next(e for e in casefile.model.rows if e.kind == "decline")
    dialog = casefile.open_entry(entry)
    assert isinstance(dialog, RecordDialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    picker = dialog.page.view.rows["declined_by"].input
    assert isinstance(picker, PersonInput)
    assert picker.combo.currentText() == "Ava Smith", "what was stored is shown, not blanked"

    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(dialog.page.view.errors()))
    (problem,) = dialog.page.view.errors()
    assert (problem.path, problem.rule_id) == ("declined_by", "G20.declined-by-adult")
    assert "Pick the parent or carer who declined" in problem.cited_message
    assert focused() is picker.combo, "the cursor goes to the answer to change"
    press(qtbot, Qt.Key.Key_Home)
    press(qtbot, Qt.Key.Key_Down)  # the carer
    with qtbot.waitSignal(dialog.accepted):
        press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    (stored,) = team.worker.list_records("decline", family)
    assert stored.values["declined_by"] == carer
