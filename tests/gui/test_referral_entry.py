"""Keying referrals in the main window: keyboard only, G2 blocking, duplicates, drafts after a kill."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ehdesk.domain import Role
from ehdesk.forms.conditions import chain
from ehdesk.forms.model import DateField, Field, FormDefinition, MultiChoice, NhsNumber, Prompt, Repeat
from ehdesk.forms.registry import get_form
from ehdesk.gui.backend import Backend
from ehdesk.gui.drafts import RestoreDraftDialog
from ehdesk.gui.duplicates import DuplicateChoice, DuplicateDialog
from ehdesk.gui.formview.repeat import RepeatInput
from ehdesk.gui.formview.view import FormView
from ehdesk.gui.mainwindow import MainWindow
from ehdesk.services import users
from ehdesk.storage.models import AgencyInvolved, Family, Person, Referral
from ehdesk.text import nhs_digits
from tests.gui.conftest import PASSWORD, MakeWindow
from tests.gui.keyboard import SPACE, Press, Step, focused, keys_for, perform, press, type_text
from tests.gui.screens import answer_next_question

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ADD_ITEM = Press(Qt.Key.Key_A, CTRL | SHIFT)  # the repeating groups' "add another" shortcut


def key_in(
    window: MainWindow, plan: Mapping[str, Sequence[Step]], qtbot: QtBot, max_steps: int = 300
) -> list[str]:
    """Tab through the form from the first field; where the focused input's accessible name is in
    ``plan``, type its text and press its keys, then Tab on (unless the keys moved the focus, as
    "add another" does). Only key events reach the window. Returns the names keyed, in order."""
    window.referral.view.focus_first()
    todo = dict(plan)
    keyed: list[str] = []
    visited: list[str] = []
    for _ in range(max_steps):
        if not todo:
            return keyed
        here = focused()
        name = here.accessibleName()
        visited.append(name or type(here).__name__)
        steps = todo.pop(name, None)
        if steps is not None:
            keyed.append(name)
            perform(qtbot, steps)
        if focused() is here:
            press(qtbot, Qt.Key.Key_Tab)
    raise AssertionError(f"never reached by Tab: {sorted(todo)}; visited {visited}")


def save(qtbot: QtBot, *, next_after: bool = False) -> None:
    if next_after:
        press(qtbot, Qt.Key.Key_Return, CTRL)
    else:
        press(qtbot, Qt.Key.Key_S, CTRL)


# -- a complete referral, planned from the definition ---------------------------------------------------


def complete_referral() -> dict[str, Any]:
    """An answer for every question the referral asks given these answers: two children (one born, one
    unborn), one carer who needs an interpreter, one agency, and talked through with the parent.

    Values are as stored (dates as dates, yes/no as booleans, choices by value). A question added to the
    referral later fails the keyboard test by name until it is answered here.
    """
    return {
        "received_on": date.today(),
        "how_received": "email",
        "referrer_name": "Sam Okafor",
        "referrer_role": "Class teacher",
        "referrer_agency": "School",
        "referrer_phone": "0161 496 0000",
        "referrer_email": "sam.okafor@school.example.org",
        "address_line1": "12 Mill Lane",
        "address_line2": "Flat 2",
        "town": "Leeds",
        "postcode": "LS6 2AB",
        "home_phone": "0113 496 0000",
        "children": [
            {
                "given_name": "Ava",
                "family_name": "Smith",
                "also_known_as": "Avie Nowak",
                "unborn": False,
                "birth_date": date(2018, 2, 3),
                "gender": "female",
                "nhs_number": "943 476 5919",
                "ethnicity": "White and Black Caribbean",
                "first_language": "English",
                "school_or_setting": "Oakfield Primary",
                "gp_practice": "Hyde Park Surgery",
                "send": True,
                "ehcp": False,
                "lives_at_address": True,
                "religion": "No religion",
            },
            {
                "given_name": "Léo",
                "family_name": "Smith",
                "also_known_as": "Baby Nowak",
                "unborn": True,
                "expected_delivery": date.today() + timedelta(days=60),
                "gender": "not_known",
                "nhs_number": "401 023 2137",
                "ethnicity": "Mixed – other",
                "first_language": "Polish",
                "school_or_setting": "Not yet born",
                "gp_practice": "Burley Park Medical Centre",
                "send": False,
                "lives_at_address": False,
                "address_if_different": "With her grandmother at 3 Park Row, LS6 1AA",
                "religion": "Roman Catholic",
            },
        ],
        "carers": [
            {
                "given_name": "Zoë",
                "family_name": "Smith",
                "also_known_as": "Zosia Nowak",
                "birth_date": date(1990, 7, 14),
                "relationship": "mother",
                "parental_responsibility": True,
                "lives_with_child": True,
                "phone": "07400 123456",
                "email": "zoe@example.org",
                "first_language": "Polish",
                "interpreter_needed": True,
                "interpreter_language": "Polish",
            }
        ],
        "reasons": "Ava's attendance has dropped; Mum asked for help with routines.",
        "needs": ["parenting", "school_attendance", "housing"],
        "family_views": "Zoë would like help with mornings and a worker who speaks Polish.",
        "agencies_involved": [
            {
                "agency": "Health visiting",
                "contact_name": "Pat Reed",
                "contact_role": "Health visitor",
                "contact_phone": "0113 496 0001",
                "contact_email": "pat.reed@nhs.example.org",
            }
        ],
        "discussed_with_parent": True,
        "family_aware": True,
        "discussed_with_safeguarding_lead": True,
        "existing_assessment": False,
    }


@dataclass(frozen=True)
class Place:
    """Where a field's value lives: a top-level field, or a field of a repeating group's item."""

    name: str
    group: str | None = None
    index: int = 0  # the item, counting from 0

    def __str__(self) -> str:
        return f"{self.group}[{self.index}].{self.name}" if self.group else self.name


@dataclass(frozen=True)
class Answer:
    """One field on show: its input's accessible name, where it is stored and what is stored."""

    input_name: str
    place: Place
    field: Field
    value: Any

    @property
    def stored(self) -> Any:
        """The value as the database holds it in its JSON ``data``."""
        if isinstance(self.field, DateField):
            return self.value.isoformat()
        if isinstance(self.field, MultiChoice):
            return [v for v in self.field.choices.values() if v in self.value]  # in the list's order
        return self.value


@dataclass
class KeyingPlan:
    keys: dict[str, list[Step]] = field(default_factory=dict)  # input's accessible name -> keys
    answers: list[Answer] = field(default_factory=list)  # every field on show for the answers
    hidden: list[Place] = field(default_factory=list)  # the fields the answers hide
    unplanned: list[str] = field(default_factory=list)  # fields on show without an answer
    misplaced: list[str] = field(default_factory=list)  # answers to hidden or unknown fields

    def add(self, input_name: str, steps: list[Step]) -> None:
        assert input_name not in self.keys, (
            f"two inputs are called {input_name!r}: Tab cannot tell them apart"
        )
        self.keys[input_name] = steps


def plan_keying(form: FormDefinition, answers: Mapping[str, Any]) -> KeyingPlan:
    """Walk ``form`` (repeat items included) and plan the keys for every field the answers show.

    A repeating group's items beyond its minimum are added by keyboard: an empty group by Tab onto its
    "Add another ..." button and Space, later items by the add shortcut pressed in the item before.
    """
    plan = KeyingPlan()

    def walk(
        fields: Sequence[Field], values: Mapping[str, Any], root: Mapping[str, Any], item: Place | None
    ) -> str | None:
        """Plan one group of fields (the record, or one repeat item); the last input name planned."""
        scope = chain(values, root)
        title = ""
        if item is not None:
            repeat = form.field(str(item.group))
            assert isinstance(repeat, Repeat)
            title = f"{repeat.item_label[:1].upper()}{repeat.item_label[1:]} {item.index + 1}: "

        def place(name: str) -> Place:
            return Place(name) if item is None else Place(name, item.group, item.index)

        known = {f.name for f in fields}
        plan.misplaced += [str(place(name)) for name in values if name not in known]
        last: str | None = None
        for f in fields:
            if isinstance(f, Prompt):
                continue
            if f.show_when is not None and not f.show_when(scope):
                plan.hidden.append(place(f.name))
                if f.name in values:
                    plan.misplaced.append(str(place(f.name)))
            elif f.name not in values:
                plan.unplanned.append(str(place(f.name)))
            elif isinstance(f, Repeat):
                last = walk_repeat(f, values[f.name], values) or last
            else:
                last = f"{title}{f.label}"
                plan.add(last, keys_for(f, values[f.name]))
                plan.answers.append(Answer(last, place(f.name), f, values[f.name]))
        return last

    def walk_repeat(group: Repeat, items: Sequence[Mapping[str, Any]], root: Mapping[str, Any]) -> str | None:
        last: str | None = None
        for index, values in enumerate(items):
            if index >= group.min_items:
                if last is None:
                    plan.add(f"Add another {group.item_label}", [SPACE])
                else:
                    plan.keys[last].append(ADD_ITEM)
            last = walk(group.fields, values, root, Place("", group.name, index)) or last
        return last

    walk(tuple(form.fields()), answers, {}, None)
    return plan


def unkeyed_inputs(view: FormView, keyed: Sequence[str]) -> list[str]:
    """The accessible names of the inputs on show (repeat items included) that nothing was keyed into."""
    rows = []
    for row in view.rows.values():
        if isinstance(row.input, RepeatInput):
            rows += [item_row for item in row.input.items for item_row in item.rows.values()]
        else:
            rows.append(row)
    shown = [w for row in rows if row.isVisibleTo(view) for w in row.input.focus_widgets()]
    return [w.accessibleName() for w in shown if w.accessibleName() not in keyed]


def test_a_complete_referral_keyed_with_the_keyboard_only_is_stored_with_every_field(
    window: MainWindow, backend: Backend, qtbot: QtBot
) -> None:
    answers = complete_referral()
    plan = plan_keying(get_form("referral"), answers)
    assert plan.unplanned == [], "the referral asks these, but complete_referral() does not answer them"
    assert plan.misplaced == [], "complete_referral() answers these, but the form hides them or has none"
    assert sorted(map(str, plan.hidden)) == [
        "children[0].address_if_different",
        "children[0].expected_delivery",
        "children[1].birth_date",
        "children[1].ehcp",
        "immediate_safety_concern",
        "not_discussed_reason",
    ]

    press(qtbot, Qt.Key.Key_N, CTRL)
    assert window.current_view == "referral"
    keyed = key_in(window, plan.keys, qtbot)
    assert unkeyed_inputs(window.referral.view, keyed) == [], "on show, but nothing was keyed into them"
    save(qtbot)
    qtbot.waitUntil(lambda: not window.referral.dirty)
    assert window.referral.view.problems == []

    with backend.db.session() as session:
        referral = session.scalars(select(Referral)).one()
        family = session.get(Family, referral.family_id)
        assert family is not None
        people = session.scalars(select(Person).order_by(Person.id)).all()
        children = [p for p in people if p.kind == "child"]
        carers = [p for p in people if p.kind == "carer"]
        agencies = session.scalars(select(AgencyInvolved).order_by(AgencyInvolved.id)).all()
        # repeat items are checked in their own rows, whether or not the referral's data also keeps them
        item_data = {
            "children": [p.data for p in children],
            "carers": [p.data for p in carers],
            "agencies_involved": [a.data for a in agencies],
        }
        assert {group: len(rows) for group, rows in item_data.items()} == {
            group: len(answers[group]) for group in item_data
        }

        def stored_at(place: Place) -> Any:
            data = referral.data if place.group is None else item_data[place.group][place.index]
            return data.get(place.name)

        for answer in plan.answers:
            got, wanted = stored_at(answer.place), answer.stored
            if isinstance(answer.field, NhsNumber):  # typed with spaces, stored as its ten digits
                wanted = nhs_digits(str(wanted))
            assert got == wanted, f"{answer.place} ({answer.input_name!r})"
        for place in plan.hidden:  # an answer the form hides is not stored
            hidden_value = stored_at(place)
            assert hidden_value is None, str(place)

        # the columns promoted out of the JSON data for searching and enforcing
        assert referral.received_on == date.today()
        assert referral.how_received == "email"
        assert referral.discussed_with_parent is True
        assert family.postcode == "LS6 2AB"
        assert family.address == "12 Mill Lane, Flat 2, Leeds, LS6 2AB"
        for person, item in zip(
            [*children, *carers], [*answers["children"], *answers["carers"]], strict=True
        ):
            assert (person.given_name, person.family_name) == (item["given_name"], item["family_name"])
            assert person.birth_date == item.get("birth_date")
            assert person.expected_delivery == item.get("expected_delivery")
            assert person.nhs_number == "".join(str(item.get("nhs_number") or "").split())
        assert [a.agency for a in agencies] == [a["agency"] for a in answers["agencies_involved"]]
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


def test_the_unsaved_referral_prompt_answers_alt_s_alt_d_and_escape(window: MainWindow, qtbot: QtBot) -> None:
    """Alt+D did nothing in the Save / Discard / Cancel question (25c.png)."""
    for keys, answer in (
        (Press(Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier), QMessageBox.StandardButton.Discard),
        (Press(Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier), QMessageBox.StandardButton.Save),
        (Press(Qt.Key.Key_Escape), QMessageBox.StandardButton.Cancel),
    ):
        box = window.unsaved_prompt()
        qtbot.addWidget(box)
        box.open()
        qtbot.waitExposed(box)
        qtbot.waitUntil(box.isActiveWindow)
        press(qtbot, keys.key, keys.modifiers)
        qtbot.waitUntil(box.isHidden)
        assert window.unsaved_answer(box) == answer


def test_alt_d_in_the_unsaved_prompt_discards_the_referral_and_closes_the_window(
    window: MainWindow, qtbot: QtBot, monkeypatch: Any
) -> None:
    monkeypatch.setattr(window, "ask_unsaved", MainWindow.ask_unsaved.__get__(window))
    window.new_referral()
    window.referral.view.set_values({"referrer_name": "x"})
    window.referral.view.mark_dirty()
    answered = answer_next_question(qtbot, window, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert window.close()
    assert answered
    assert not window.referral.dirty


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
