"""The table of field type → input widget class. The view looks fields up here and nowhere else.

A new field type needs one class in :mod:`.inputs` and one line below. Lookup walks the field's class
hierarchy, so a subclass of ``Text`` renders as text unless it is given its own widget.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from PySide6.QtWidgets import QWidget

from ehdesk.forms import model
from ehdesk.gui.formview import inputs
from ehdesk.gui.formview.environment import FormEnvironment
from ehdesk.gui.formview.repeat import RepeatInput

INPUTS: Mapping[type[model.Field], type[inputs.FieldInput]] = MappingProxyType(
    {
        model.Text: inputs.TextInput,
        model.Postcode: inputs.TextInput,
        model.NhsNumber: inputs.TextInput,
        model.LongText: inputs.LongTextInput,
        model.DateField: inputs.DateInput,
        model.Choice: inputs.ChoiceInput,
        model.MultiChoice: inputs.MultiChoiceInput,
        model.YesNo: inputs.YesNoInput,
        model.Checkbox: inputs.CheckboxInput,
        model.AgencyPicker: inputs.AgencyInput,
        model.PersonPicker: inputs.PersonInput,
        model.Prompt: inputs.PromptInput,
        model.Repeat: RepeatInput,
    }
)


def input_class(field: model.Field) -> type[inputs.FieldInput]:
    for cls in type(field).__mro__:
        found = INPUTS.get(cls)
        if found is not None:
            return found
    raise LookupError(f"No input widget for field type {type(field).__name__} (field {field.name!r})")


def build_input(field: model.Field, env: FormEnvironment, parent: QWidget | None = None) -> inputs.FieldInput:
    return input_class(field)(field, env, parent)
