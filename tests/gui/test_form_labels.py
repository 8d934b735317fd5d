"""A field keeps a visible label unless its section box says the same thing and holds nothing else.

New users met the decision form's free-text "Decision" box with no label beside it: the field's label
matched its section's title ("Decision"), so it was hidden, though the section also holds "What the
decision is about" and "Rationale" and the box looked like part of the question above it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit
from pytestqt.qtbot import QtBot

from ehdesk.forms.model import FormDefinition, LongText, Section
from ehdesk.forms.registry import get_form
from ehdesk.gui.formview import FormEnvironment, FormView
from tests.gui.keyboard import focused, press, type_text

ENV = FormEnvironment(agencies=("Oakfield Primary School",), policy_text=lambda key: f"text for {key}")


def _shown(qtbot: QtBot, form: FormDefinition) -> FormView:
    view = FormView(form, ENV)
    qtbot.addWidget(view)
    view.resize(900, 900)
    view.show()
    view.activateWindow()
    qtbot.waitExposed(view)
    qtbot.waitUntil(view.isActiveWindow)
    return view


def test_decision_box_is_labelled_and_named_and_reached_by_tab(qtbot: QtBot) -> None:
    view = _shown(qtbot, get_form("decision"))
    row = view.rows["decision"]
    assert row.label.isVisible()
    assert "Decision" in row.label.text()
    box = row.input.focus_widgets()[0]
    assert isinstance(box, QPlainTextEdit)
    assert box.accessibleName() == "Decision"
    view.rows["subject"].input.focus_widgets()[0].setFocus()
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is box
    type_text("Close with a plan")
    assert view.values()["decision"] == "Close with a plan"


def test_a_lone_field_named_like_its_section_still_hides_the_repeated_label(qtbot: QtBot) -> None:
    form = FormDefinition(
        id="lone",
        title="Lone",
        version=1,
        sections=(Section("Notes", (LongText(name="notes", label="Notes"),)),),
    )
    view = _shown(qtbot, form)
    row = view.rows["notes"]
    assert not row.label.isVisible()
    assert row.input.focus_widgets()[0].accessibleName() == "Notes"
