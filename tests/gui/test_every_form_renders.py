"""Every real form definition renders: each field, including repeat items, gets a labelled widget.

This is the GUI's half of "a form is defined once": the view knows no field by name, so a new field in
any definition must appear on screen without GUI changes, with an accessible name.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from ehdesk.forms.model import FormDefinition, Prompt, Repeat
from ehdesk.forms.registry import FORMS
from ehdesk.gui.formview import FormEnvironment, FormView
from ehdesk.gui.formview.repeat import RepeatInput
from ehdesk.gui.formview.row import FieldRow
from ehdesk.policy import default_pack
from ehdesk.text import unwrap


def _assert_row_is_usable(row: FieldRow, label: str) -> None:
    assert row.field.label == label
    if isinstance(row.field, Prompt | Repeat):
        return
    widgets = row.input.focus_widgets()
    assert widgets, f"{label} has no input widget"
    assert all(w.accessibleName() for w in widgets), f"{label} has an input without an accessible name"


@pytest.mark.parametrize("form", list(FORMS.values()), ids=list(FORMS))
def test_each_field_of_the_definition_has_a_widget(qtbot: QtBot, form: FormDefinition) -> None:
    pack = default_pack()
    view = FormView(form, FormEnvironment(agencies=pack.agencies, policy_text=pack.text))
    qtbot.addWidget(view)
    for field in form.fields():
        row = view.rows[field.name]
        _assert_row_is_usable(row, field.label)
        if isinstance(field, Repeat):
            assert isinstance(row.input, RepeatInput)
            item = row.input.add_item()
            assert item is not None
            assert list(item.rows) == [sub.name for sub in field.fields]
            for sub in field.fields:
                _assert_row_is_usable(item.rows[sub.name], sub.label)
    assert set(view.rows) == {f.name for f in form.fields()}


PROMPTED = {
    form_id: form
    for form_id, form in FORMS.items()
    if any(isinstance(f, Prompt) and f.policy_key for f in form.fields())
}


@pytest.mark.parametrize("form", list(PROMPTED.values()), ids=list(PROMPTED))
def test_policy_prompts_show_whole_paragraphs_not_the_files_line_breaks(
    qtbot: QtBot, form: FormDefinition
) -> None:
    """The share form's reassurance broke at "…that need it to help / your children" (the pack's wrap)."""
    pack = default_pack()
    view = FormView(form, FormEnvironment(agencies=pack.agencies, policy_text=pack.text))
    qtbot.addWidget(view)
    prompts = [f for f in form.fields() if isinstance(f, Prompt) and f.policy_key]
    for field in prompts:
        wrapped = pack.text(field.policy_key)
        shown = view.rows[field.name].findChild(QLabel, "policyPrompt")
        assert isinstance(shown, QLabel)
        assert shown.text() == unwrap(wrapped)
        paragraphs = [p for p in wrapped.split("\n\n") if p.strip()]
        assert shown.text().count("\n") == len(paragraphs) - 1, f"{field.name} breaks inside a paragraph"
