"""Repeating groups (children, carers, agencies): one boxed item per entry, add and remove by keyboard.

Ctrl+Shift+A anywhere inside the group adds another item and puts the cursor in its first field;
Ctrl+Shift+Delete inside an item removes it, and Ctrl+Z straight afterwards puts it back (the form view
keeps the removed values). "Add" is a button in the tab order, and text typed on it goes into a new
item's first field (nothing typed is lost); each item's "Remove" button is for the
mouse only, so every child or carer takes the same number of Tabs whether or not it can be removed.

Setting a value rebuilds the items from scratch rather than refilling the ones on screen: an item
keeps no state from the referral before (issue 13 found Child 1 carried into the next referral).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ehdesk.forms import model
from ehdesk.forms.relevance import relevance
from ehdesk.gui.formview.inputs import FieldInput
from ehdesk.gui.formview.row import FieldRow

if TYPE_CHECKING:
    from ehdesk.gui.formview.environment import FormEnvironment

ADD_SHORTCUT = "Ctrl+Shift+A"
REMOVE_SHORTCUT = "Ctrl+Shift+Delete"
UNDO_SHORTCUT = "Ctrl+Z"


class RepeatItem(QGroupBox):
    """One entry of a repeating group, titled "Child 2" and holding a row per item field."""

    remove_requested = Signal(object)

    def __init__(self, group: model.Repeat, env: FormEnvironment, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ehdesk.gui.formview.registry import build_input  # registry imports this module

        self.group = group
        self.rows: dict[str, FieldRow] = {}
        layout = QVBoxLayout(self)
        for sub in group.fields:
            row = FieldRow(build_input(sub, env))
            self.rows[sub.name] = row
            layout.addWidget(row)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.remove_button = QPushButton()
        self.remove_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the shortcut is the keyboard's way
        self.remove_button.setToolTip(
            f"Remove this {group.item_label} ({REMOVE_SHORTCUT} in any of its fields; "
            f"{UNDO_SHORTCUT} puts it back)"
        )
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        buttons.addWidget(self.remove_button)
        layout.addLayout(buttons)
        shortcut = QShortcut(QKeySequence(REMOVE_SHORTCUT), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(lambda: self.remove_requested.emit(self))

    def set_number(self, number: int) -> None:
        title = f"{self.group.item_label[:1].upper()}{self.group.item_label[1:]} {number}"
        self.setTitle(title)
        self.remove_button.setText(f"Remove {self.group.item_label} {number}")
        self.remove_button.setAccessibleName(f"Remove {title}")
        for row in self.rows.values():
            row.input.set_accessible_prefix(f"{title}: ")

    def value(self) -> dict[str, Any]:
        return {name: row.input.value() for name, row in self.rows.items() if row.input.holds_value()}

    def set_value(self, values: Mapping[str, Any]) -> None:
        """Every field takes its value from ``values``; a field not named there is emptied."""
        for name, row in self.rows.items():
            row.input.set_value(values.get(name))

    def update_relevance(self, root: Mapping[str, Any]) -> None:
        """``root`` is the record's scope as decided by ``relevance`` (hidden fields taken out)."""
        decided = relevance(self.group.fields, self.value(), root)
        for row in self.rows.values():
            row.setVisible(decided.is_shown(row.field))
            row.set_required(decided.is_required(row.field))

    def focus_widgets(self) -> list[QWidget]:
        return [w for row in self.rows.values() for w in row.input.focus_widgets()]

    def first_input(self) -> QWidget | None:
        for row in self.rows.values():
            if row.isVisibleTo(self) and row.input.focus_widgets():
                return row.input.focus_widgets()[0]
        return None


class _TypeIntoNewItem(QObject):
    """Printable text typed on an "Add …" button adds the item and goes into its first field.

    A new referral has no carer, only "Add carer", and Tab lands on it: letters typed there were lost
    and the space between two given names pressed the button, so "Thị Mai" was saved as "Mai". Now the
    first letter adds the item and is typed into its first field, and so is everything after it. Space
    alone (nothing typed yet) still presses the button, which adds an empty item.
    """

    def __init__(self, group: RepeatInput) -> None:
        super().__init__(group)
        self.group = group

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        text = event.text()
        command = event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier
            | Qt.KeyboardModifier.AltModifier
            | Qt.KeyboardModifier.MetaModifier
        )
        if command or not text or not text.isprintable() or text.isspace():
            return False
        item = self.group.add_item(focus=True)
        target = item.first_input() if item is not None else None
        if target is None:
            return False
        copy = QKeyEvent(
            QEvent.Type.KeyPress, event.key(), event.modifiers(), text, event.isAutoRepeat(), event.count()
        )
        QApplication.sendEvent(target, copy)
        return True


class RepeatInput(FieldInput):
    """The value is a list of dicts, one per item, in screen order."""

    items_changed = Signal()
    removed = Signal(int, object)  # the index the item had and its values, so it can be put back

    def __init__(self, field: model.Field, env: FormEnvironment, parent: QWidget | None = None) -> None:
        super().__init__(field, env, parent)
        assert isinstance(field, model.Repeat)
        self.group = field
        self.items: list[RepeatItem] = []
        body = self._body = QWidget()
        self._items_layout = QVBoxLayout(body)
        self._items_layout.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton()
        self.add_button.setToolTip(f"Add another {field.item_label} ({ADD_SHORTCUT})")
        self.add_button.clicked.connect(lambda: self.add_item(focus=True))
        self._type_into_new = _TypeIntoNewItem(self)
        self.add_button.installEventFilter(self._type_into_new)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(body)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        column.addLayout(add_row)
        self._layout.addLayout(column)
        shortcut = QShortcut(QKeySequence(ADD_SHORTCUT), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(lambda: self.add_item(focus=True))
        for _ in range(field.min_items):
            self.add_item()
        self._renumber()

    def add_item(
        self, values: Mapping[str, Any] | None = None, *, focus: bool = False, index: int | None = None
    ) -> RepeatItem | None:
        """A new, empty item (filled from ``values`` if given) at ``index`` (default: the end)."""
        if self.group.max_items is not None and len(self.items) >= self.group.max_items:
            return None
        # made inside the group: a widget made without a parent is a window of its own for a moment,
        # and on some platforms that takes the activation (and the keyboard) from the main window
        item = RepeatItem(self.group, self.env, self._body)
        if values:
            item.set_value(values)
        for row in item.rows.values():
            row.input.changed.connect(self.changed)
        item.remove_requested.connect(self._remove)
        at = len(self.items) if index is None else max(0, min(index, len(self.items)))
        self.items.insert(at, item)
        self._items_layout.insertWidget(at, item)
        if self.isVisible():
            item.show()  # now, not when the layout gets round to it, so focus can move in at once
        self._renumber()
        self.items_changed.emit()
        self.changed.emit()
        if focus:
            target = item.first_input()
            if target is not None:
                target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return item

    def _remove(self, item: object) -> None:
        """Remove ``item`` (by shortcut or button) unless the group is at its minimum; undoable."""
        if not isinstance(item, RepeatItem) or item not in self.items:
            return
        if len(self.items) <= self.group.min_items:
            return
        index = self.items.index(item)
        values = item.value()
        self._drop(item)
        self._renumber()
        self.items_changed.emit()
        self.removed.emit(index, values)
        self.changed.emit()
        neighbour = self.items[min(index, len(self.items) - 1)] if self.items else None
        target = neighbour.first_input() if neighbour is not None else None
        (target or self.add_button).setFocus(Qt.FocusReason.OtherFocusReason)

    def _drop(self, item: RepeatItem) -> None:
        self.items.remove(item)
        self._items_layout.removeWidget(item)
        item.hide()
        item.deleteLater()  # kept parented till then: a parentless widget would be a window of its own

    def put_back(self, index: int, values: Mapping[str, Any]) -> RepeatItem | None:
        """Undo a removal: the item returns at its old place, with its values, and takes the cursor."""
        item = self.add_item(values, index=index)
        if item is not None:
            target = item.first_input()
            if target is not None:
                target.setFocus(Qt.FocusReason.OtherFocusReason)
        return item

    def _renumber(self) -> None:
        for number, item in enumerate(self.items, start=1):
            item.set_number(number)
            item.remove_button.setEnabled(len(self.items) > self.group.min_items)
        label = self.group.item_label
        self.add_button.setText(f"Add another {label}" if self.items else f"Add {label}")
        self.add_button.setAccessibleName(f"Add another {label}")
        full = self.group.max_items is not None and len(self.items) >= self.group.max_items
        self.add_button.setEnabled(not full)

    def value(self) -> Any:
        return [item.value() for item in self.items]

    def set_value(self, value: Any) -> None:
        """Replace every item: fresh widgets per entry, then blank ones up to the group's minimum."""
        entries = [v for v in value if isinstance(v, Mapping)] if isinstance(value, list) else []
        for item in list(self.items):
            self._drop(item)
        for entry in entries:
            self.add_item(entry)
        while len(self.items) < self.group.min_items:
            self.add_item()
        self._renumber()
        self.items_changed.emit()

    def update_relevance(self, root: Mapping[str, Any]) -> None:
        for item in self.items:
            item.update_relevance(root)

    def focus_widgets(self) -> list[QWidget]:
        return [*(w for item in self.items for w in item.focus_widgets()), self.add_button]

    def set_accessible_prefix(self, prefix: str) -> None:
        return None
