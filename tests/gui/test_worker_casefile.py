"""The casefile: one timeline, newest first and lazy; entries open read-only or, for their author, ready
to amend; the share form offers only the family's own data items (G7)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ehdesk.forms.choices import DATA_ITEMS
from ehdesk.gui.casefile_view import CasefilePage, EntryDialog, RecordDialog, with_family_items
from ehdesk.gui.formview.inputs import MultiChoiceInput
from ehdesk.gui.timeline_model import TimelineModel
from ehdesk.storage.database import Database
from tests.gui.keyboard import press, type_text
from tests.gui.workers import SHARE, make_team, open_window, worker_casefile


def _share_values(**changes: Any) -> dict[str, Any]:
    return {**SHARE, **changes}


def _offered(dialog: RecordDialog) -> list[str]:
    row = dialog.page.view.rows["data_items"]
    assert isinstance(row.input, MultiChoiceInput)
    items = [row.input.list.item(i) for i in range(row.input.list.count())]
    return [str(item.data(Qt.ItemDataRole.UserRole)) for item in items if item is not None]


def test_the_share_form_offers_only_what_the_familys_record_holds(sqlite_db: Database, qtbot: QtBot) -> None:
    team = make_team(sqlite_db)
    family = team.held_family("Ava", "Smith")
    held = {item.key for item in team.worker.family_data_items(family)}
    window = open_window(qtbot, team.worker)
    window.worker_views.open_casefile(family)
    press(qtbot, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.worker_views.casefile.pending_dialog
    assert isinstance(dialog, RecordDialog)
    offered = _offered(dialog)
    assert set(offered) == held
    assert set(DATA_ITEMS.values()) - held  # some kinds of information this family never gave (G7)
    dialog.page.view.mark_clean()
    dialog.reject()


def test_a_share_typed_and_saved_with_the_keyboard_lands_on_the_timeline(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team, window, _family = worker_casefile(sqlite_db, qtbot, "Isla", "O'Brien")
    casefile = window.worker_views.casefile
    before = casefile.model.rowCount()
    press(qtbot, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = casefile.pending_dialog
    assert isinstance(dialog, RecordDialog)
    qtbot.waitUntil(dialog.isActiveWindow)
    view = dialog.page.view
    view.set_values(_share_values(what_shared=""))
    view.focus_path("what_shared")
    type_text("Names, dates of birth — and Zoë's school")  # non-ASCII, as a keyboard sends it
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: casefile.pending_dialog is None)
    assert casefile.model.rowCount() == before + 1
    newest = casefile.model.rows[0]
    assert newest.kind == "share"
    assert newest.editable_by_me
    stored = team.worker.get_record("share", newest.record_id)
    assert stored.values["what_shared"] == "Names, dates of birth — and Zoë's school"
    assert stored.values["data_items"] == ["identity"]


def test_a_refused_share_keeps_every_answer_and_says_what_to_do(sqlite_db: Database, qtbot: QtBot) -> None:
    _team, window, _family = worker_casefile(sqlite_db, qtbot, "Noah", "Jones")
    casefile = window.worker_views.casefile
    dialog = casefile.new_share()
    assert isinstance(dialog, RecordDialog)
    dialog.page.view.set_values(_share_values(informed_in_advance=False))  # no exception, no reason
    assert not dialog.page.save()
    assert dialog.isVisible()
    assert any(p.rule_id.startswith("G10") for p in dialog.page.view.errors())
    assert dialog.page.view.values()["what_shared"] == SHARE["what_shared"]
    dialog.page.view.mark_clean()
    dialog.reject()


def test_an_entry_opens_for_its_author_to_amend_and_read_only_for_anyone_else(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team = make_team(sqlite_db)
    family = team.held_family("Leo", "Nwosu")
    record = team.worker.create_record("share", family, _share_values(), confirmed_warnings=True)
    window = open_window(qtbot, team.worker)
    window.worker_views.open_casefile(family)
    casefile = window.worker_views.casefile
    entry = next(e for e in casefile.model.rows if e.kind == "share")
    mine = casefile.open_entry(entry)
    assert isinstance(mine, RecordDialog)
    mine.page.view.set_values(_share_values(recipient_role="Head teacher"))
    mine.page.view.mark_dirty()
    qtbot.waitUntil(mine.isActiveWindow)
    press(qtbot, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: casefile.pending_dialog is None)
    assert team.worker.get_record("share", record.id).values["recipient_role"] == "Head teacher"

    manager_page = CasefilePage(team.manager)  # a manager sees the family, but did not write the share
    qtbot.addWidget(manager_page)
    assert manager_page.open_family(family)
    entry = next(e for e in manager_page.model.rows if e.kind == "share")
    assert not entry.editable_by_me
    other = manager_page.open_entry(entry)
    assert isinstance(other, EntryDialog)
    assert other.view is not None
    content = other.view.scroll_area.widget()
    assert content is not None
    assert not content.isEnabled()
    assert other.view.values()["recipient_role"] == "Head teacher"
    other.reject()


def test_the_timeline_loads_a_page_at_a_time_without_repeats(sqlite_db: Database) -> None:
    team = make_team(sqlite_db)
    family = team.held_family("Amelia", "Patel")
    for n in range(5):
        team.worker.create_record(
            "share", family, _share_values(recipient_role=f"Role {n}"), confirmed_warnings=True
        )
    everything = team.worker.casefile(family, limit=1000)
    model = TimelineModel(
        lambda limit, before: team.worker.casefile(family, limit=limit, before=before),
        lambda entry: entry.cursor,
        page_size=3,
    )
    model.reload()
    assert model.rowCount() == 3
    while model.canFetchMore(model.index(0, 0).parent()):
        model.fetchMore(model.index(0, 0).parent())
    assert [(e.kind, e.record_id) for e in model.rows] == [(e.kind, e.record_id) for e in everything]


def test_cutting_the_data_items_keeps_an_item_an_old_record_already_names(sqlite_db: Database) -> None:
    team = make_team(sqlite_db)
    family = team.held_family("Harry", "Wilson")
    items = team.worker.family_data_items(family)
    missing = next(key for key in DATA_ITEMS.values() if key not in {i.key for i in items})
    form = with_family_items(team.worker.spec("share").definition, items, keep=[missing])
    field = next(f for s in form.sections for f in s.fields if f.name == "data_items")
    values = [o.value for o in field.choices.options]  # type: ignore[attr-defined]
    assert values == [i.key for i in items] + [missing]
