"""One input widget class per field type: each turns a field's value into a Qt control and back.

Every class has the same small interface (:class:`FieldInput`): ``value()``, ``set_value()``, a
``changed`` signal and ``focus_widgets()`` (its controls in tab order), so the view treats all fields
alike. Each control gets the field's label as its accessible name, so a screen reader announces it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from ehdesk.forms import model
from ehdesk.gui.formview import dates
from ehdesk.text import unwrap

if TYPE_CHECKING:
    from ehdesk.gui.formview.environment import FormEnvironment


class FieldInput(QWidget):
    """The common face of every input. Subclasses wrap one (or, for repeats, many) Qt controls."""

    changed = Signal()

    def __init__(self, field: model.Field, env: FormEnvironment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.env = env
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def _adopt(self, control: QWidget, accessible_name: str) -> None:
        """Put ``control`` in this input, name it for assistive technology, and focus it for us."""
        control.setAccessibleName(accessible_name)
        if self.field.help:
            control.setAccessibleDescription(self.field.help)
        self._layout.addWidget(control)
        self.setFocusProxy(control)

    def set_accessible_prefix(self, prefix: str) -> None:
        """Repeat items call this so "Given name" reads "Child 2: Given name"."""
        for widget in self.focus_widgets():
            widget.setAccessibleName(f"{prefix}{self.field.label}")

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_widgets(self) -> list[QWidget]:
        proxy = self.focusProxy()
        return [proxy] if proxy is not None else []

    def holds_value(self) -> bool:
        """False for prompts, which show text and are left out of the values."""
        return True


class TextInput(FieldInput):
    def __init__(self, field: model.Field, env: FormEnvironment, parent: QWidget | None = None) -> None:
        super().__init__(field, env, parent)
        self.edit = QLineEdit()
        if isinstance(field, model.Text):
            self.edit.setMaxLength(field.max_length)
        self.edit.setPlaceholderText(field.placeholder)
        self.edit.textChanged.connect(self.changed)
        self._adopt(self.edit, field.label)

    def value(self) -> Any:
        return self.edit.text()

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))


class LongTextInput(FieldInput):
    """Several lines of text. Tab moves to the next field (admins tab through forms), never types a tab."""

    def __init__(self, field: model.Field, env: FormEnvironment, parent: QWidget | None = None) -> None:
        super().__init__(field, env, parent)
        self.edit = QPlainTextEdit()
        self.edit.setTabChangesFocus(True)
        self.edit.setPlaceholderText(field.placeholder)
        self.edit.setMinimumHeight(60)
        self.edit.setMaximumHeight(110)
        self.edit.textChanged.connect(self.changed)
        self._adopt(self.edit, field.label)

    def value(self) -> Any:
        return self.edit.toPlainText()

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))


class DateInput(FieldInput):
    """A plain line edit for DD/MM/YYYY: quicker to key than a spin-box date editor.

    ``01022024``, ``1/2/2024`` and ``t`` (today) are tidied to ``01/02/2024`` when the field is left;
    what does not parse stays as typed for the validator to explain.
    """

    def __init__(self, field: model.Field, env: FormEnvironment, parent: QWidget | None = None) -> None:
        super().__init__(field, env, parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(field.placeholder or "DD/MM/YYYY")
        self.edit.setMaxLength(24)
        self.edit.setMaximumWidth(160)
        self.edit.textChanged.connect(self.changed)
        self.edit.editingFinished.connect(self._tidy)
        self._adopt(self.edit, field.label)
        self._layout.addStretch(1)

    def _past(self) -> bool:
        return isinstance(self.field, model.DateField) and self.field.past

    def _tidy(self) -> None:
        """On leaving the field: show a readable date as DD/MM/YYYY, and mark one that is not at once."""
        text = self.edit.text()
        shown = dates.to_display(dates.to_value(text, past=self._past()))
        if shown != text:
            self.edit.setText(shown)
        bad = dates.unreadable(text, past=self._past())
        self.edit.setProperty("unreadable", bad)
        self.edit.setToolTip(dates.UNREADABLE_MESSAGE if bad else "")
        self.edit.setStyleSheet("QLineEdit { border: 2px solid #b00020; }" if bad else "")

    def value(self) -> Any:
        return dates.to_value(self.edit.text(), past=self._past())

    def set_value(self, value: Any) -> None:
        self.edit.setText(dates.to_display(value))


class SteadyCombo(QComboBox):
    """A drop-down the mouse wheel does not change unless it has the cursor.

    A tester scrolling the form with the wheel over an agency list changed the agency without noticing,
    and the draft kept it; a list answers the wheel only once someone has clicked or tabbed into it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel alone does not give it the focus

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt override)
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # the scroll area behind scrolls the page instead


class ChoiceInput(FieldInput):
    """A drop-down with a blank first entry; typing a letter picks the matching choice."""

    combo_class: ClassVar[type[QComboBox]] = SteadyCombo

    def __init__(self, field: model.Field, env: FormEnvironment, parent: QWidget | None = None) -> None:
        super().__init__(field, env, parent)
        self.combo = self.combo_class()
        self.combo.addItem("", None)
        for value, label in self.options():
            self.combo.addItem(label, value)
        self.combo.currentIndexChanged.connect(self.changed)
        self._adopt(self.combo, field.label)
        self._layout.addStretch(1)

    def options(self) -> list[tuple[Any, str]]:
        assert isinstance(self.field, model.Choice)
        return [(o.value, o.label) for o in self.field.choices.options]

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value)
        self.combo.setCurrentIndex(max(index, 0))


class _YesNoCombo(SteadyCombo):
    """Y answers yes and N no at once, however fast they follow each other; Delete clears the answer.

    (A plain combo's type-ahead search joins letters typed within a moment, so "N" then "Y" would
    search for "ny" and change nothing.)
    """

    KEYS: ClassVar[dict[int, int]] = {
        Qt.Key.Key_Y: 1,
        Qt.Key.Key_N: 2,
        Qt.Key.Key_Delete: 0,
        Qt.Key.Key_Backspace: 0,
    }

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        index = self.KEYS.get(event.key())
        no_command = not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        )
        if index is not None and no_command:
            self.setCurrentIndex(index)
            event.accept()
            return
        super().keyPressEvent(event)


class YesNoInput(ChoiceInput):
    """Yes/No/unanswered: Y, N (and Delete to clear) on the keyboard, or pick from the list."""

    combo_class = _YesNoCombo

    def options(self) -> list[tuple[Any, str]]:
        answers: list[tuple[Any, str]] = [(True, "Yes"), (False, "No")]
        if isinstance(self.field, model.YesNo) and self.field.not_stated:  # the paper may leave it blank
            answers.append((model.NOT_STATED, model.NOT_STATED_LABEL))
        return answers

    def set_value(self, value: Any) -> None:
        if value == model.NOT_STATED and self.combo.count() > 3:
            self.combo.setCurrentIndex(3)
            return
        if isinstance(value, str):
            value = {"yes": True, "no": False}.get(value.strip().lower())
        self.combo.setCurrentIndex({True: 1, False: 2}.get(value, 0) if isinstance(value, bool) else 0)


class PersonInput(ChoiceInput):
    """A person of the family, by key; the names come from the environment. An adults-only picker
    (who declined) offers the parents and carers only."""

    def options(self) -> list[tuple[Any, str]]:
        people = self.env.people.items()
        adults = self.env.adults
        if isinstance(self.field, model.PersonPicker) and self.field.adults_only and adults is not None:
            return [(key, name) for key, name in people if key in adults]
        return list(people)

    def set_value(self, value: Any) -> None:
        """A stored answer the picker does not offer (a child, recorded before children were left out)
        is shown as it is, not silently blanked: the rule on the field then says what to change."""
        if isinstance(value, str) and value in self.env.people and self.combo.findData(value) < 0:
            self.combo.addItem(self.env.people[value], value)
        super().set_value(value)


class CheckboxInput(FieldInput):
    def __init__(self, field: model.Field, env: FormEnvironment, parent: QWidget | None = None) -> None:
        super().__init__(field, env, parent)
        self.box = QCheckBox(field.label)
        self.box.toggled.connect(self.changed)
        self._adopt(self.box, field.label)

    def value(self) -> Any:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.setChecked(value is True)


class AgencyInput(FieldInput):
    """An agency from the policy pack's list (completed as you type, matching anywhere), or a new one."""

    def __init__(self, field: model.Field, env: FormEnvironment, parent: QWidget | None = None) -> None:
        super().__init__(field, env, parent)
        self.combo = SteadyCombo()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.addItems(list(env.agencies))
        self.combo.setCurrentIndex(-1)
        self.combo.setEditText("")
        completer = QCompleter(list(env.agencies), self.combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.combo.setCompleter(completer)
        self.combo.editTextChanged.connect(self.changed)
        line = self.combo.lineEdit()
        if line is not None:
            line.setPlaceholderText(field.placeholder or "Type to search agencies")
        self._adopt(self.combo, field.label)

    def value(self) -> Any:
        return self.combo.currentText()

    def set_value(self, value: Any) -> None:
        self.combo.setEditText("" if value is None else str(value))


class _SpaceToggles(QObject):
    """Space toggles the current item of a checkable list (Qt's default needs the item selected)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (
            isinstance(watched, QListWidget)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Space
        ):
            item = watched.currentItem()
            if item is not None:
                checked = item.checkState() == Qt.CheckState.Checked
                item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)
            return True
        return False


class MultiChoiceInput(FieldInput):
    """A list of ticks: arrow keys move, Space ticks. The value lists the ticked values in order."""

    def __init__(self, field: model.Field, env: FormEnvironment, parent: QWidget | None = None) -> None:
        super().__init__(field, env, parent)
        assert isinstance(field, model.MultiChoice)
        self.list = QListWidget()
        for option in field.choices.options:
            item = QListWidgetItem(option.label)
            item.setData(Qt.ItemDataRole.UserRole, option.value)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        rows = max(1, min(len(field.choices.options), 8))
        self.list.setFixedHeight(rows * (self.list.fontMetrics().height() + 6) + 6)
        if self.list.count():
            self.list.setCurrentRow(0)
        self._toggler = _SpaceToggles(self.list)
        self.list.installEventFilter(self._toggler)
        self.list.itemChanged.connect(lambda _item: self.changed.emit())
        self._adopt(self.list, field.label)

    def _items(self) -> list[QListWidgetItem]:
        return [item for item in (self.list.item(i) for i in range(self.list.count())) if item is not None]

    def value(self) -> Any:
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in self._items()
            if item.checkState() == Qt.CheckState.Checked
        ]

    def set_value(self, value: Any) -> None:
        """Tick exactly ``value``'s choices and start again at the top of the list: the current row
        is where Space ticks, so one left from the record before would tick the wrong need."""
        chosen = set(value) if isinstance(value, list | tuple | set) else set()
        for item in self._items():
            wanted = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.list.scrollToTop()


class PromptInput(FieldInput):
    """Policy text shown to the worker (a script, a reminder). Read-only, holds no value."""

    def __init__(self, field: model.Field, env: FormEnvironment, parent: QWidget | None = None) -> None:
        super().__init__(field, env, parent)
        key = field.policy_key if isinstance(field, model.Prompt) else ""
        # pack texts are wrapped like Markdown: shown as paragraphs, not broken where the file's lines are
        text = unwrap((env.policy_text(key) if key else "") or field.help)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setFrameShape(QLabel.Shape.StyledPanel)
        self.label.setObjectName("policyPrompt")
        self.label.setAccessibleName(field.label)
        self.label.setVisible(bool(text))  # a prompt without pack text is just its heading
        self._layout.addWidget(self.label)

    def value(self) -> Any:
        return None

    def set_value(self, value: Any) -> None:
        return None

    def focus_widgets(self) -> list[QWidget]:
        return []

    def holds_value(self) -> bool:
        return False
