"""The generic casefile page serves a form it has never heard of: the test form HOME_VISIT (one
definition and one spec entry, tests/integration/test_casefile_records.py) is keyed in with real key
events, refused while incomplete, saved, corrected by its author and read-only to anyone else."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from ehdesk.domain import Role
from ehdesk.gui.backend import Backend
from ehdesk.gui.record_page import RecordPage
from ehdesk.policy.pack import load_pack
from ehdesk.services.actor import Actor
from ehdesk.services.specs import SPECS
from ehdesk.storage.database import Database
from tests.conftest import make_user
from tests.gui.keyboard import focused, type_text
from tests.gui.screens import shown
from tests.integration.test_casefile_records import HOME_VISIT_SPEC, _allocated_family

SPECS_WITH_HOME_VISIT = {**SPECS, "home_visit": HOME_VISIT_SPEC}


def _backend(db: Database, actor: Actor) -> Backend:
    return Backend(db, load_pack(None), actor=actor, specs=SPECS_WITH_HOME_VISIT)


@pytest.fixture
def team(sqlite_db: Database) -> tuple[Actor, Actor, int]:
    """A manager, a worker, and a family allocated to the worker."""
    admin = make_user(sqlite_db, "ada", Role.ADMIN)
    manager = make_user(sqlite_db, "mo", Role.MANAGER)
    worker = make_user(sqlite_db, "wendy", Role.WORKER)
    return manager, worker, _allocated_family(sqlite_db, admin, manager, worker)


def test_a_form_with_only_a_definition_and_a_spec_is_keyed_in_refused_and_saved(
    qtbot: QtBot, sqlite_db: Database, team: tuple[Actor, Actor, int]
) -> None:
    _manager, worker, family_id = team
    backend = _backend(sqlite_db, worker)
    page = RecordPage(backend, "home_visit", family_id)
    shown(qtbot, page)
    page.start_new()
    qtbot.waitUntil(lambda: page.view.focused_path() == "title")

    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    type_text("Went well.")  # the body only: the title is required
    with qtbot.waitSignal(page.message) as said:
        assert not page.save()
    assert said.args == ["Not saved: 1 problem to fix (see the list)"]
    assert backend.list_records("home_visit", family_id) == []
    assert page.view.focused_path() == "title"  # the cursor goes to what needs fixing

    type_text("Morning routine")
    with qtbot.waitSignal(page.saved) as saved:
        assert page.save()
    stored = saved.args[0]
    assert stored.values == {"title": "Morning routine", "body": "Went well."}
    assert [r.values["title"] for r in backend.list_records("home_visit", family_id)] == ["Morning routine"]
    assert not page.dirty

    type_text(" and school run")  # the cursor stayed in the title; a second save corrects the record
    assert page.save()
    (only,) = backend.list_records("home_visit", family_id)
    assert only.id == stored.id
    assert only.version > stored.version
    assert only.values == {"title": "Morning routine and school run", "body": "Went well."}


def test_someone_elses_record_opens_read_only_and_its_author_can_correct_it(
    qtbot: QtBot, sqlite_db: Database, team: tuple[Actor, Actor, int]
) -> None:
    manager, worker, family_id = team
    written = _backend(sqlite_db, worker).create_record(
        "home_visit", family_id, {"title": "First visit", "body": ""}
    )

    theirs = RecordPage(_backend(sqlite_db, manager), "home_visit", family_id, record=written)
    shown(qtbot, theirs)
    assert theirs.read_only
    assert "only they can correct it" in theirs.notice.text()
    assert theirs.view.raw_values()["title"] == "First visit"
    assert not theirs.save()

    own = RecordPage(_backend(sqlite_db, worker), "home_visit", family_id, record=written)
    shown(qtbot, own)
    assert not own.read_only
    qtbot.waitUntil(lambda: own.view.focused_path() == "title")
    qtbot.keyClick(focused(), Qt.Key.Key_End)
    type_text(" at home")
    assert own.save()
    assert own.record is not None
    assert own.record.values["title"] == "First visit at home"
