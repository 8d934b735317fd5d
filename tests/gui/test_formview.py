"""The form view renders any definition: a widget per field type, relevance, repeats, problems, keyboard."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from ehdesk.forms.model import Field, Problem, Repeat, Severity
from ehdesk.forms.registry import get_form
from ehdesk.forms.relevance import relevant_values
from ehdesk.forms.validate import validate
from ehdesk.gui.formview import FormEnvironment, FormView
from ehdesk.gui.formview.dates import parse_typed, to_display, to_value
from ehdesk.gui.formview.inputs import ChoiceInput, DateInput, TextInput, YesNoInput
from ehdesk.gui.formview.paths import FieldPath, parse_path
from ehdesk.gui.formview.registry import INPUTS, input_class
from ehdesk.gui.formview.repeat import RepeatInput
from tests.gui.keyboard import focused, press, type_text
from tests.gui.sample_form import SAMPLE, sample_validator

ENV = FormEnvironment(
    agencies=("Oakfield Primary School", "Health visiting team"),
    people={"p1": "Ava Smith"},
    policy_text=lambda key: f"policy text for {key}",
)


@pytest.fixture
def view(qtbot: QtBot) -> FormView:
    form_view = FormView(SAMPLE, ENV, validator=sample_validator)
    qtbot.addWidget(form_view)
    form_view.resize(800, 900)
    form_view.show()
    form_view.activateWindow()
    qtbot.waitExposed(form_view)
    qtbot.waitUntil(form_view.isActiveWindow)
    return form_view


def _all_fields(fields: tuple[Field, ...] | list[Field]) -> list[Field]:
    out: list[Field] = []
    for field in fields:
        out.append(field)
        if isinstance(field, Repeat):
            out += _all_fields(field.fields)
    return out


# Qt-free helpers ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("01/02/2024", "2024-02-01"),
        ("1/2/2024", "2024-02-01"),
        ("01022024", "2024-02-01"),
        ("1.2.2024", "2024-02-01"),
        ("2024-02-01", "2024-02-01"),
        ("t", "2024-05-06"),
        ("31/02/2024", "31/02/2024"),
        ("soon", "soon"),
        ("", ""),
    ],
)
def test_dates_are_read_day_first_and_kept_as_typed_when_not_real(typed: str, expected: str) -> None:
    assert to_value(typed, today=date(2024, 5, 6)) == expected


def test_dates_display_as_dd_mm_yyyy() -> None:
    assert to_display("2024-02-01") == "01/02/2024"
    assert to_display(date(2020, 12, 31)) == "31/12/2020"
    assert to_display("nonsense") == "nonsense"
    assert parse_typed("29/02/2023") is None


def test_problem_paths_split_into_group_item_and_field() -> None:
    assert parse_path("children[1].birth_date") == FieldPath("children", 1, "birth_date")
    assert parse_path("postcode") == FieldPath("postcode")
    assert str(parse_path("kids[0]")) == "kids[0]"
    assert parse_path("") is None


def test_relevant_values_drop_hidden_answers_inside_repeats_too() -> None:
    raw = {"talked": True, "why_not": "typed before", "kids": [{"unborn": False, "due": "2024-01-01"}]}
    assert relevant_values(SAMPLE.fields(), raw) == {"talked": True, "kids": [{"unborn": False}]}


# the dispatch table ---------------------------------------------------------------------------------
def test_every_field_type_of_the_model_has_an_input_class() -> None:
    for field in _all_fields(list(SAMPLE.fields())):
        assert input_class(field) is INPUTS[type(field)]


def test_every_input_has_an_accessible_name(view: FormView) -> None:
    chain = view.focus_chain()
    assert chain, "the form has focusable inputs"
    for widget in chain:
        assert widget.accessibleName(), f"{widget!r} has no accessible name"
    kids = view.rows["kids"].input
    assert isinstance(kids, RepeatInput)
    assert kids.items[0].rows["given_name"].input.focus_widgets()[0].accessibleName() == "Child 1: Given name"


def test_required_marker_help_and_prompt_text(view: FormView) -> None:
    assert "*" in view.rows["name"].label.text()
    assert "*" not in view.rows["colour"].label.text()
    prompt = view.rows["note"].input
    assert "policy text for script" in prompt.label.text()  # type: ignore[attr-defined]
    assert not prompt.holds_value()


# values round trip -----------------------------------------------------------------------------------
def test_values_round_trip_through_every_widget(view: FormView) -> None:
    values = {
        "name": "Zoë",
        "seen_on": "2024-03-04",
        "colour": "green",
        "likes": ["red", "blue"],
        "agree": True,
        "agency": "Health visiting team",
        "who": "p1",
        "talked": False,
        "why_not": "Out of the country",
        "kids": [
            {"given_name": "Ava", "unborn": False},
            {"given_name": "", "unborn": True, "due": "2025-01-02"},
        ],
    }
    view.set_values(values)
    assert view.values() == values
    assert not view.dirty


# relevance -------------------------------------------------------------------------------------------
def test_show_when_hides_and_shows_as_the_answer_changes(view: FormView) -> None:
    reason = view.rows["why_not"]
    assert not reason.isVisible()
    talked = view.rows["talked"].input
    assert isinstance(talked, YesNoInput)
    talked.combo.setFocus()
    type_text("N")
    assert talked.value() is False
    assert reason.isVisible()
    type_text("Y")
    assert talked.value() is True
    assert not reason.isVisible()


def test_a_field_shown_by_a_hidden_field_hides_as_the_validator_drops_it(qtbot: QtBot) -> None:
    """Decline, threshold needed, "with whom" typed, then the subject changed to sharing: the view hides
    "with whom" and its required marker, exactly as the validator drops its value."""
    form = get_form("decision")
    view = FormView(form, ENV, validator=lambda values: validate(form, values))
    qtbot.addWidget(view)
    view.show()
    view.activateWindow()
    qtbot.waitExposed(view)
    qtbot.waitUntil(view.isActiveWindow)
    subject = view.rows["subject"].input
    assert isinstance(subject, ChoiceInput)
    subject.combo.setCurrentIndex(subject.combo.findData("decline"))
    needed = view.rows["threshold_needed"].input
    assert isinstance(needed, YesNoInput)
    needed.combo.setFocus()
    type_text("Y")
    with_whom = view.rows["threshold_with"]
    assert with_whom.isVisible()
    assert with_whom.required
    with_whom.input.focus_widgets()[0].setFocus()
    type_text("Duty team")

    subject.combo.setCurrentIndex(subject.combo.findData("share"))

    assert not with_whom.isVisible()
    assert not with_whom.required
    assert "threshold_with" not in view.values()
    kept = validate(form, view.raw_values()).values
    on_screen = {name for name, row in view.rows.items() if row.isVisible() and row.input.holds_value()}
    assert on_screen == set(kept)


# keyboard --------------------------------------------------------------------------------------------
def test_long_text_tab_moves_focus_and_never_types_a_tab(view: FormView, qtbot: QtBot) -> None:
    view.set_values({"talked": False})
    why = view.rows["why_not"].input.focus_widgets()[0]
    assert isinstance(why, QPlainTextEdit)
    why.setFocus()
    type_text("Away")
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is not why
    assert why.toPlainText() == "Away"


def test_date_is_tidied_when_the_field_is_left(view: FormView, qtbot: QtBot) -> None:
    date_input = view.rows["seen_on"].input
    assert isinstance(date_input, DateInput)
    date_input.edit.setFocus()
    type_text("4032024")
    press(qtbot, Qt.Key.Key_Tab)
    # seven digits is not a date: kept as typed for the validator to explain
    assert date_input.edit.text() == "4032024"
    date_input.edit.setFocus()
    date_input.edit.selectAll()
    type_text("04032024")
    press(qtbot, Qt.Key.Key_Tab)
    assert date_input.edit.text() == "04/03/2024"
    assert date_input.value() == "2024-03-04"


def test_tab_order_follows_the_page_including_added_items(view: FormView, qtbot: QtBot) -> None:
    kids = view.rows["kids"].input
    assert isinstance(kids, RepeatInput)
    kids.items[0].rows["given_name"].input.focus_widgets()[0].setFocus()
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(kids.items) == 2
    second = kids.items[1].rows["given_name"].input.focus_widgets()[0]
    assert focused() is second
    type_text("Léa")
    # walk from the top of the page: Tab reaches the new item's field after the first item's controls
    view.focus_first()
    seen = [focused()]
    for _ in range(40):
        press(qtbot, Qt.Key.Key_Tab)
        seen.append(focused())
        if focused() is second:
            break
    assert second in seen
    names = [w.accessibleName() for w in seen]
    assert names.index("Child 1: Given name") < names.index("Child 2: Given name")


def test_remove_item_by_keyboard(view: FormView, qtbot: QtBot) -> None:
    kids = view.rows["kids"].input
    assert isinstance(kids, RepeatInput)
    kids.add_item(focus=True)
    assert len(kids.items) == 2
    press(qtbot, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(kids.items) == 1)
    assert kids.items[0].title() == "Child 1"


def test_accented_text_typed_as_key_events_is_kept(view: FormView) -> None:
    name = view.rows["name"].input
    assert isinstance(name, TextInput)
    name.edit.setFocus()
    type_text("Zoë Ó Briain-Müller")
    assert view.values()["name"] == "Zoë Ó Briain-Müller"


def test_agency_picker_offers_the_policy_list_and_takes_new_names(view: FormView) -> None:
    agency = view.rows["agency"].input
    combo = agency.focus_widgets()[0]
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == list(ENV.agencies)
    completer = combo.completer()
    assert completer is not None
    assert completer.filterMode() == Qt.MatchFlag.MatchContains
    line = combo.lineEdit()
    assert isinstance(line, QLineEdit)
    line.setFocus()
    type_text("Youth club")
    assert agency.value() == "Youth club"


# problems --------------------------------------------------------------------------------------------
def test_problem_shows_beside_its_field_with_obligation_and_why(view: FormView) -> None:
    view.set_values({"name": "Ann", "talked": False})
    result = view.validate()
    assert result is not None
    assert not result.ok
    row = view.rows["why_not"]
    assert row.message.isVisible()
    assert "guidance G2" in row.message.text()  # cited even when the message does not say it
    assert "Say why you did not talk to them" in row.message.text()
    assert "Why is this needed?" in row.message.text()
    assert row.message.toolTip() == "The reason must be on the record."
    assert view.summary.isVisible()
    assert view.summary.list.count() == 1


def test_problem_inside_a_repeat_item_goes_to_that_item(view: FormView) -> None:
    view.set_values({"name": "Ann", "kids": [{"given_name": "A"}, {"given_name": "B", "unborn": True}]})
    view.validate()
    kids = view.rows["kids"].input
    assert isinstance(kids, RepeatInput)
    due_row = kids.items[1].rows["due"]
    assert due_row.message.isVisible()
    assert not kids.items[0].rows["due"].message.isVisible()
    assert view.label_for("kids[1].due") == "Child 2: Due"


def test_clicking_a_summary_line_jumps_to_the_field(view: FormView, qtbot: QtBot) -> None:
    view.set_values({"talked": False})
    view.validate()
    assert view.summary.list.count() == 2
    item = view.summary.list.item(1)
    assert item is not None
    rect = view.summary.list.visualItemRect(item)
    qtbot.mouseClick(view.summary.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert focused() is view.rows["why_not"].input.focus_widgets()[0]


def test_summary_lines_read_as_label_then_message(view: FormView) -> None:
    view.set_values({"talked": False})
    view.validate()
    lines = [view.summary.list.item(i).text() for i in range(view.summary.list.count())]  # type: ignore[union-attr]
    assert lines[0] == "✖ Name: Enter a name"
    assert lines[1].startswith("✖ Why not? Say why")  # a question label takes no extra colon


def test_messages_update_as_the_user_fixes_things_after_a_refused_save(view: FormView, qtbot: QtBot) -> None:
    view.set_values({"name": "Ann", "talked": False})
    view.validate()
    view.start_live_validation()
    row = view.rows["why_not"]
    assert row.message.isVisible()
    row.input.focus_widgets()[0].setFocus()
    type_text("Family abroad")
    qtbot.waitUntil(lambda: not row.message.isVisible())
    assert view.problems == []


def test_show_problems_ignores_paths_it_cannot_place(view: FormView) -> None:
    view.show_problems([Problem("", "X.internal", "DQ", Severity.ERROR, "Something went wrong")])
    assert view.summary.isVisible()
    assert all(not row.message.isVisible() for row in view.rows.values())


def test_the_mouse_wheel_over_a_list_without_the_cursor_scrolls_the_page_not_the_answer(
    qtbot: QtBot,
) -> None:
    form = get_form("decision")
    view = FormView(form, ENV, validator=lambda values: validate(form, values))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    subject = view.rows["subject"].input
    assert isinstance(subject, ChoiceInput)
    combo = subject.combo
    combo.setCurrentIndex(1)
    view.rows["decision"].input.focus_widgets()[0].setFocus()

    def wheel() -> None:
        centre = QPointF(combo.rect().center())
        event = QWheelEvent(
            centre,
            QPointF(combo.mapToGlobal(combo.rect().center())),
            QPoint(0, 0),
            QPoint(0, -120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(combo, event)

    wheel()
    assert combo.currentIndex() == 1  # the wheel passed by: the answer stays
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    wheel()
    assert combo.currentIndex() == 2  # with the cursor in it, the wheel changes it as usual
