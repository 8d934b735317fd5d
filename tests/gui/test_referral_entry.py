"""Keying referrals in the main window: keyboard only, G2 blocking, duplicates, drafts after a kill."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ehdesk.domain import Role
from ehdesk.gui.backend import Backend
from ehdesk.gui.drafts import RestoreDraftDialog
from ehdesk.gui.duplicates import DuplicateChoice, DuplicateDialog
from ehdesk.gui.formview.repeat import RepeatInput
from ehdesk.gui.mainwindow import MainWindow
from ehdesk.services import users
from ehdesk.storage.models import AgencyInvolved, Family, Person, Referral
from tests.gui.conftest import PASSWORD, MakeWindow
from tests.gui.keyboard import focused, press, type_text

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
SPACE = "<space>"  # press Space on a button: focus moves into the new item, so no Tab follows
DOWN = "<down>"


def key_in(
    window: MainWindow, plan: Mapping[str, str | list[str]], qtbot: QtBot, max_steps: int = 200
) -> None:
    """Tab through the form from the first field; where the focused input's accessible name is in
    ``plan``, type its text (or press its keys). Only key events reach the window."""
    window.referral.view.focus_first()
    todo = dict(plan)
    visited: list[str] = []
    for _ in range(max_steps):
        if not todo:
            return
        name = focused().accessibleName()
        visited.append(name or type(focused()).__name__)
        action = todo.pop(name, None)
        steps = action if isinstance(action, list) else [action] if action is not None else []
        moved = False
        for step in steps:
            if step == SPACE:
                press(qtbot, Qt.Key.Key_Space)
                moved = True
            elif step == DOWN:
                press(qtbot, Qt.Key.Key_Down)
            else:
                type_text(step)
        if not moved:
            press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"never reached by Tab: {sorted(todo)}; visited {visited}")


def save(qtbot: QtBot, *, next_after: bool = False) -> None:
    if next_after:
        press(qtbot, Qt.Key.Key_Return, CTRL)
    else:
        press(qtbot, Qt.Key.Key_S, CTRL)


def _uk(day: date) -> str:
    return day.strftime("%d%m%Y")


def test_a_complete_referral_keyed_with_the_keyboard_only_is_stored_with_every_field(
    window: MainWindow, backend: Backend, qtbot: QtBot
) -> None:
    press(qtbot, Qt.Key.Key_N, CTRL)
    assert window.current_view == "referral"
    due = date.today() + timedelta(days=60)
    plan: dict[str, str | list[str]] = {
        "Date received": "t",
        "How received": "E",
        "Referrer's name": "Sam Okafor",
        "Referrer's role or job title": "Class teacher",
        "Referrer's agency": "School",
        "Referrer's phone": "0161 496 0000",
        "Referrer's e-mail": "sam.okafor@school.example.org",
        "Address line 1": "12 Mill Lane",
        "Address line 2": "Flat 2",
        "Town or city": "Leeds",
        "Postcode": "LS6 2AB",
        "Home phone": "0113 496 0000",
        "Child 1: Given name": "Ava",
        "Child 1: Family name": "Smith",
        "Child 1: Unborn?": "N",
        "Child 1: Date of birth": "03022018",
        "Child 1: Gender": "F",
        "Child 1: NHS number": "943 476 5919",
        "Child 1: School, nursery or setting": "Oakfield Primary",
        "Child 1: Special educational needs or disability (SEND)?": "Y",
        "Child 1: Has an education, health and care plan (EHCP)?": "N",
        "Add another child": SPACE,
        "Child 2: Given name": "Léo",
        "Child 2: Family name": "Smith",
        "Child 2: Unborn?": "Y",
        "Child 2: Expected date of delivery": _uk(due),
        "Add another carer": SPACE,
        "Carer 1: Given name": "Zoë",
        "Carer 1: Family name": "Smith",
        "Carer 1: Date of birth": "14071990",
        "Carer 1: Relationship to the child(ren)": "M",
        "Carer 1: Has parental responsibility?": "Y",
        "Carer 1: Lives with the child(ren)?": "Y",
        "Carer 1: Phone": "07400 123456",
        "Carer 1: E-mail": "zoe@example.org",
        "Carer 1: First language": "Polish",
        "Carer 1: Interpreter or signer needed?": "Y",
        "Carer 1: Language or signing needed": "Polish",
        "Reasons for the referral": "Ava's attendance has dropped; Mum asked for help with routines.",
        "Needs identified": [" ", DOWN, " "],  # tick the first two with Space
        "Add another agency": SPACE,
        "Agency 1: Agency": "Health visiting",
        "Agency 1: Contact name": "Pat Reed",
        "Agency 1: Contact phone": "0113 496 0001",
        "Referral discussed with the parent or carer before it was made?": "Y",
    }
    key_in(window, plan, qtbot)
    save(qtbot)
    qtbot.waitUntil(lambda: not window.referral.dirty)
    assert window.referral.view.problems == []

    with backend.db.session() as session:
        referral = session.scalars(select(Referral)).one()
        family = session.get(Family, referral.family_id)
        assert family is not None
        people = session.scalars(select(Person).order_by(Person.id)).all()
        agencies = session.scalars(select(AgencyInvolved)).all()
        assert referral.received_on == date.today()
        assert referral.how_received == "email"
        assert referral.discussed_with_parent is True
        data = referral.data
        expected_top = {
            "referrer_name": "Sam Okafor",
            "referrer_role": "Class teacher",
            "referrer_agency": "School",
            "referrer_phone": "0161 496 0000",
            "referrer_email": "sam.okafor@school.example.org",
            "address_line1": "12 Mill Lane",
            "address_line2": "Flat 2",
            "town": "Leeds",
            "reasons": "Ava's attendance has dropped; Mum asked for help with routines.",
        }
        for name, value in expected_top.items():
            assert data[name] == value, name
        assert data["needs"] == ["parenting", "school_attendance"]
        assert family.postcode == "LS6 2AB"
        assert "0113" in str(data["home_phone"])
        assert [(p.kind, p.given_name, p.family_name) for p in people] == [
            ("child", "Ava", "Smith"),
            ("child", "Léo", "Smith"),
            ("carer", "Zoë", "Smith"),
        ]
        ava, leo, zoe = people
        assert ava.birth_date == date(2018, 2, 3)
        assert ava.nhs_number == "9434765919"
        assert ava.data["gender"] == "female"
        assert ava.data["school_or_setting"] == "Oakfield Primary"
        assert ava.data["send"] is True
        assert ava.data["ehcp"] is False
        assert leo.birth_date is None
        assert leo.expected_delivery == due
        assert leo.data["unborn"] is True
        assert zoe.birth_date == date(1990, 7, 14)
        assert zoe.data["relationship"] == "mother"
        assert zoe.data["parental_responsibility"] is True
        assert zoe.data["lives_with_child"] is True
        assert zoe.data["email"] == "zoe@example.org"
        assert zoe.data["first_language"] == "Polish"
        assert zoe.data["interpreter_needed"] is True
        assert zoe.data["interpreter_language"] == "Polish"
        assert "07400" in str(zoe.data["phone"])
        assert [(a.agency, a.data["contact_name"]) for a in agencies] == [("Health visiting", "Pat Reed")]
        assert "0113" in str(agencies[0].data["contact_phone"])
    assert backend.list_drafts() == []


def _minimal(view_values: dict[str, Any] | None = None) -> dict[str, Any]:
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
    values.update(view_values or {})
    return values


def test_g2_message_shows_beside_the_field_and_blocks_saving_until_a_reason_is_given(
    window: MainWindow, backend: Backend, qtbot: QtBot
) -> None:
    window.new_referral()
    view = window.referral.view
    view.set_values(_minimal({"discussed_with_parent": None, "immediate_safety_concern": True}))
    answer = view.rows["discussed_with_parent"].input.focus_widgets()[0]
    answer.setFocus()
    type_text("N")
    reason_row = view.rows["not_discussed_reason"]
    assert reason_row.isVisible()

    save(qtbot)
    assert reason_row.message.isVisible()
    assert reason_row.message.text().count("G2") == 1  # cited once, beside the field
    assert "Why is this needed?" in reason_row.message.text()
    assert reason_row.message.toolTip()
    assert focused() is reason_row.input.focus_widgets()[0]
    assert any(p.obligation == "G2" for p in view.errors())
    with backend.db.session() as session:
        assert session.scalars(select(Referral)).all() == []

    type_text("Dad was abroad; the school spoke to him after the referral went in.")
    qtbot.waitUntil(lambda: not reason_row.message.isVisible())
    save(qtbot)
    qtbot.waitUntil(lambda: not window.referral.dirty)
    with backend.db.session() as session:
        stored = session.scalars(select(Referral)).one()
    assert stored.discussed_with_parent is False
    assert stored.data["not_discussed_reason"].startswith("Dad was abroad")


def test_a_near_duplicate_child_brings_up_the_duplicate_prompt(
    window: MainWindow, backend: Backend, qtbot: QtBot
) -> None:
    backend.create_referral(_minimal(), confirmed_warnings=True)
    window.new_referral()
    window.referral.view.set_values(
        _minimal({"children": [{"given_name": "Eva", "family_name": "Smith", "birth_date": "2018-02-03"}]})
    )
    window.referral.view.mark_dirty()
    window.referral.view.focus_first()
    save(qtbot)
    qtbot.waitUntil(lambda: isinstance(window.referral.pending_dialog, DuplicateDialog))
    dialog = window.referral.pending_dialog
    assert isinstance(dialog, DuplicateDialog)
    assert dialog.isVisible()
    first = dialog.candidates[0]
    assert first.person_name == "Ava Smith"
    assert "same birth date" in first.reasons

    dialog.ui.continueButton.click()
    qtbot.waitUntil(lambda: not window.referral.dirty)
    with backend.db.session() as session:
        assert len(session.scalars(select(Referral)).all()) == 2
        assert len(session.scalars(select(Family)).all()) == 2


def test_add_to_the_existing_family_from_the_duplicate_prompt(
    window: MainWindow, backend: Backend, qtbot: QtBot
) -> None:
    first = backend.create_referral(_minimal(), confirmed_warnings=True)
    window.new_referral()
    window.referral.view.set_values(_minimal())
    save(qtbot)
    qtbot.waitUntil(lambda: isinstance(window.referral.pending_dialog, DuplicateDialog))
    dialog = window.referral.pending_dialog
    assert isinstance(dialog, DuplicateDialog)
    dialog.done(DuplicateChoice.ADD_TO_EXISTING)
    qtbot.waitUntil(lambda: window.referral.pending_dialog is None)
    with backend.db.session() as session:
        referrals = session.scalars(select(Referral)).all()
        assert {r.family_id for r in referrals} == {first.family_id}


def test_killed_mid_entry_the_next_start_offers_the_draft_back(
    make_window: MakeWindow, backend: Backend, qtbot: QtBot
) -> None:
    window = make_window()
    window.new_referral()
    kids = window.referral.view.rows["children"].input
    assert isinstance(kids, RepeatInput)
    kids.items[0].rows["given_name"].input.focus_widgets()[0].setFocus()
    type_text("Siân")
    qtbot.waitUntil(lambda: any(d.data["children"][0]["given_name"] == "Siân" for d in backend.list_drafts()))

    # the kill: the window vanishes without closeEvent (no "unsaved changes?", no clean-up, no final
    # draft write); all the next window has is what the debounced saver already put in the database
    window.referral.view.blockSignals(True)
    window.hide()

    again = make_window()
    assert again.offer_restore()
    dialog = again.pending_dialog
    assert isinstance(dialog, RestoreDraftDialog)
    assert "Siân" in dialog.ui.drafts.item(0).text()  # type: ignore[union-attr]
    dialog.ui.restoreButton.click()
    qtbot.waitUntil(lambda: again.current_view == "referral")
    restored = again.referral.view.raw_values()
    assert restored["children"][0]["given_name"] == "Siân"
    assert again.referral.dirty


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(
    window: MainWindow, qtbot: QtBot, monkeypatch: Any
) -> None:
    window.new_referral()
    window.referral.view.set_values({"referrer_name": "x"})
    window.referral.view.mark_dirty()
    asked: list[bool] = []

    def cancel() -> QMessageBox.StandardButton:
        asked.append(True)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(window, "ask_unsaved", cancel)
    assert not window.close()
    assert asked == [True]
    assert window.isVisible()


def test_save_and_next_starts_an_empty_form(window: MainWindow, backend: Backend, qtbot: QtBot) -> None:
    window.new_referral()
    window.referral.view.set_values(_minimal())
    window.referral.view.focus_first()
    save(qtbot, next_after=True)
    qtbot.waitUntil(lambda: window.referral.view.raw_values()["referrer_name"] == "")
    assert focused() is window.referral.view.focus_chain()[0]
    with backend.db.session() as session:
        assert len(session.scalars(select(Referral)).all()) == 1


def test_a_process_killed_mid_entry_leaves_a_draft_the_next_start_restores(
    backend: Backend, make_window: MakeWindow, qtbot: QtBot, tmp_path: Path
) -> None:
    """The real thing: another ehdesk process is sent SIGKILL while a referral is half typed."""
    assert backend.actor is not None
    with backend.db.session() as session:
        users.create_user(session, backend.actor, "kim", "Kim Admin", Role.ADMIN, PASSWORD)
    entry = [sys.executable, "-m", "tests.gui.crashing_entry"]
    crashed = subprocess.run(
        [*entry, backend.db.url, "kim", PASSWORD, str(tmp_path / "qs")],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )
    assert crashed.returncode == -signal.SIGKILL, crashed.stderr

    with backend.db.session() as session:
        backend.actor = users.login(session, "kim", PASSWORD)
    again = make_window()
    assert again.offer_restore()
    dialog = again.pending_dialog
    assert isinstance(dialog, RestoreDraftDialog)
    dialog.ui.restoreButton.click()
    qtbot.waitUntil(lambda: again.current_view == "referral")
    assert again.referral.view.raw_values()["children"][0]["given_name"] == "Siân"
