"""The form view: lays out a definition's sections and fields, and routes values and problems.

It knows fields only through the definition and the input table, so the referral, sharing and decline
forms all render through this one class. Relevance ("show when") is re-evaluated on every change;
after a refused save the form re-validates as the user types so messages clear as things are fixed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ehdesk.forms.model import FormDefinition, Problem, Repeat, Severity, ValidationResult
from ehdesk.forms.relevance import relevance, relevant_values
from ehdesk.gui.formview.environment import FormEnvironment
from ehdesk.gui.formview.paths import parse_path
from ehdesk.gui.formview.registry import build_input
from ehdesk.gui.formview.repeat import RepeatInput
from ehdesk.gui.formview.row import EXPLAIN_SHORTCUT, FieldRow
from ehdesk.gui.formview.summary import ProblemSummary
from ehdesk.gui.formview.undo import RemovalUndo

Validator = Callable[[dict[str, Any]], ValidationResult]
REVALIDATE_DELAY_MS = 300


class FormView(QWidget):
    """Renders ``form``; ``changed`` fires on every edit (the draft saver and dirty flag listen)."""

    changed = Signal()
    revalidated = Signal()  # live validation has re-checked the form (the status line follows)

    def __init__(
        self,
        form: FormDefinition,
        env: FormEnvironment | None = None,
        validator: Validator | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = form
        self.env = env or FormEnvironment()
        self.validator = validator
        self.rows: dict[str, FieldRow] = {}
        self._loading = False
        self._live = False
        self._dirty = False
        self._problems: list[Problem] = []
        self._structure_edit = False  # the change being signalled is a removal or its undo
        self.undo = RemovalUndo(self)
        self.undo.shortcut.activated.connect(self.undo_removal)
        self.explain_shortcut = QShortcut(QKeySequence(EXPLAIN_SHORTCUT), self)
        self.explain_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.explain_shortcut.activated.connect(self.explain_focused)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(f"<h2>{form.title}</h2>")
        self.title.setContentsMargins(8, 4, 8, 0)
        outer.addWidget(self.title)
        self.summary = ProblemSummary()
        self.summary.path_activated.connect(self.focus_path)
        outer.addWidget(self.summary)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        outer.addWidget(self.scroll_area, 1)

        content = QWidget()
        column = QVBoxLayout(content)
        if form.description:
            intro = QLabel(form.description)
            intro.setWordWrap(True)
            column.addWidget(intro)
        for section in form.sections:
            box = QGroupBox(section.title)
            box_layout = QVBoxLayout(box)
            if section.help:
                note = QLabel(section.help)
                note.setWordWrap(True)
                box_layout.addWidget(note)
            for field in section.fields:
                row = FieldRow(build_input(field, self.env))
                if field.label == section.title and len(section.fields) == 1:
                    # the section box already says it; with other fields beside it, the box's title
                    # names the group and this field still needs its own label
                    row.label.hide()
                for widget in row.input.focus_widgets():
                    if not widget.accessibleName():
                        widget.setAccessibleName(field.label)  # read aloud even when the label is hidden
                row.input.changed.connect(self._on_changed)
                if isinstance(row.input, RepeatInput):
                    row.input.items_changed.connect(self._on_structure_changed)
                    row.input.removed.connect(
                        lambda index, values, group=row.input: self._on_removed(group, index, values)
                    )
                self.rows[field.name] = row
                box_layout.addWidget(row)
            column.addWidget(box)
        column.addStretch(1)
        self.scroll_area.setWidget(content)

        self._revalidate_timer = QTimer(self)
        self._revalidate_timer.setSingleShot(True)
        self._revalidate_timer.setInterval(REVALIDATE_DELAY_MS)
        self._revalidate_timer.timeout.connect(self.revalidate)
        self._on_structure_changed()

    # values -----------------------------------------------------------------------------------------
    def raw_values(self) -> dict[str, Any]:
        """Everything typed, relevant or not (what a draft keeps)."""
        return {name: row.input.value() for name, row in self.rows.items() if row.input.holds_value()}

    def values(self) -> dict[str, Any]:
        """What is saved: the relevant answers only."""
        return relevant_values(self.form.fields(), self.raw_values())

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Fill the form (a restored draft, or a refused save's values) without marking it edited.

        Every field is set, a field missing from ``values`` to empty, so nothing on screen survives
        from what was there before.
        """
        self._loading = True
        try:
            for name, row in self.rows.items():
                row.input.set_value(values.get(name))
        finally:
            self._loading = False
        self.undo.forget()
        self._on_structure_changed()

    def clear(self, defaults: Mapping[str, Any] | None = None) -> None:
        """Empty the form for the next record: only ``defaults``, no messages, no undo, not dirty."""
        self._revalidate_timer.stop()
        self.set_values(defaults or {})
        self.show_problems([])
        self._live = False
        self._dirty = False
        self.scroll_area.verticalScrollBar().setValue(0)

    @property
    def dirty(self) -> bool:
        return self._dirty

    def mark_clean(self) -> None:
        self._dirty = False

    def mark_dirty(self) -> None:
        """Restored work is unsaved work: closing must still ask about it."""
        self._dirty = True

    # relevance and tab order ------------------------------------------------------------------------
    def _on_changed(self) -> None:
        self.update_relevance()
        if self._loading:
            return
        if self._structure_edit:
            self._structure_edit = False  # this change is the removal (or its undo) itself
        else:
            self.undo.forget()
        self._dirty = True
        if self._live:
            self._revalidate_timer.start()
        self.changed.emit()

    def _on_structure_changed(self) -> None:
        self.update_relevance()
        self.undo.watch(self.focus_chain())

    def _on_removed(self, group: RepeatInput, index: int, values: Mapping[str, Any]) -> None:
        """Signalled just before the removal's ``changed``, which must not forget it again."""
        self.undo.record(group, index, values)
        self._structure_edit = True

    def undo_removal(self) -> bool:
        """Put back the item removed last (what Ctrl+Z does straight after a removal)."""
        self._structure_edit = True
        try:
            return self.undo.undo()
        finally:
            self._structure_edit = False

    def update_relevance(self) -> None:
        """Show, hide and mark fields exactly as the validator will judge them.

        ``ehdesk.forms.relevance`` is the validator's own decision, so a field that depends on a
        hidden field is hidden here too, rather than staying on screen while its value is dropped.
        """
        decided = relevance(self.form.fields(), self.raw_values())
        for row in self.rows.values():
            row.setVisible(decided.is_shown(row.field))
            row.set_required(decided.is_required(row.field))
            if isinstance(row.input, RepeatInput):
                row.input.update_relevance(decided.scope)

    def focus_chain(self) -> list[QWidget]:
        """Every input control in page order, repeat items included (hidden ones too)."""
        return [w for row in self.rows.values() for w in row.input.focus_widgets()]

    def tab_chain(self) -> list[QWidget]:
        """What Tab visits, in page order: the problem list when it shows, then each field's controls,
        hidden ones too. Problem messages are not stops (see :class:`FieldRow`)."""
        chain: list[QWidget] = [self.summary.list]
        for row in self.rows.values():
            chain += self._row_stops(row)
        return chain

    def _row_stops(self, row: FieldRow) -> list[QWidget]:
        if isinstance(row.input, RepeatInput):
            stops = [w for item in row.input.items for r in item.rows.values() for w in self._row_stops(r)]
            stops.append(row.input.add_button)
        else:
            stops = list(row.input.focus_widgets())
        return stops

    def _reachable(self) -> list[QWidget]:
        return [w for w in self.tab_chain() if w.isVisibleTo(self) and w.isEnabled()]

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802 (Qt override)
        """Tab and Shift+Tab follow the page top to bottom, whatever order widgets were created in.

        Items added to a repeating group later are created last; Qt's own focus chain (and
        ``setTabOrder`` on widgets inside focus-proxy containers) would send Tab back to the group's
        first item. Walking the definition's order here keeps Tab predictable.

        It is also where the focus goes when the widget holding it is hidden (a problem message the
        live re-check cleared, an item removed): Qt asks for the next stop, and that is the next one
        in page order still on screen, never whatever Qt's creation order points at.
        """
        current = QApplication.focusWidget()
        target = self._next_stop(current, next) if current is not None else None
        if target is not None:
            reason = Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
            target.setFocus(reason)
            self.scroll_area.ensureWidgetVisible(target, 20, 40)
            return True
        return super().focusNextPrevChild(next)

    def _next_stop(self, current: QWidget, forward: bool) -> QWidget | None:
        """The stop after (or before) ``current`` in page order that is on screen and enabled;
        ``current`` itself may just have been hidden."""
        chain = self.tab_chain()
        here = -1
        for index, widget in enumerate(chain):
            if widget is current or widget.isAncestorOf(current):
                here = index
                break
        if here < 0:
            return None
        ahead = chain[here + 1 :] if forward else reversed(chain[:here])
        for widget in ahead:
            if widget.isVisibleTo(self) and widget.isEnabled():
                return widget
        return None

    def explain_focused(self) -> bool:
        """Why the field holding the cursor has its problem (the innermost field, inside a repeating
        group's item); False when that field has none."""
        widget = QApplication.focusWidget()
        while widget is not None and widget is not self:
            if isinstance(widget, FieldRow) and widget.explain():
                return True
            widget = widget.parentWidget()
        return False

    def focus_first(self) -> None:
        """The cursor in the first field, its text selected so typing replaces a default."""
        for widget in self.focus_chain():
            if widget.isVisibleTo(self) and widget.isEnabled():
                self._focus(widget)
                return

    def _focus(self, widget: QWidget, *, select: bool = True) -> None:
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(widget, QLineEdit):
            if select:
                widget.selectAll()
            else:
                widget.end(False)
        self.scroll_to(widget)

    def scroll_to(self, widget: QWidget) -> None:
        """Scroll so ``widget`` is in view, now and once more when the event loop has laid out.

        Just after the form is filled (a restored draft, a new page shown) the items' layouts are
        still pending, every widget sits at its old place and scrolling "to" it did nothing: the
        cursor was back in the right field but off screen. Pending layouts are run first, and the
        scroll is repeated after the loop has settled the page, in case it was not shown yet.
        """
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self.scroll_area.ensureWidgetVisible(widget, 20, 40)
        QTimer.singleShot(0, self, lambda: self._scroll_again(widget))

    def _scroll_again(self, widget: QWidget) -> None:
        try:
            still_here = widget.hasFocus()
        except RuntimeError:  # the widget went meanwhile (an item removed, the form rebuilt)
            return
        if still_here:
            self.scroll_area.ensureWidgetVisible(widget, 20, 40)

    def focused_path(self) -> str | None:
        """The path of the field holding the cursor (``children[1].given_name``), for drafts."""
        current = QApplication.focusWidget() or self.window().focusWidget()
        if current is None or not self.isAncestorOf(current):
            return None
        for name, row in self.rows.items():
            if isinstance(row.input, RepeatInput):
                for index, item in enumerate(row.input.items):
                    for sub, item_row in item.rows.items():
                        if _holds(item_row, current):
                            return f"{name}[{index}].{sub}"
            elif _holds(row, current):
                return name
        return None

    # problems ---------------------------------------------------------------------------------------
    def validate(self) -> ValidationResult | None:
        """Run the validator on what would be saved and show the result (None without a validator)."""
        if self.validator is None:
            return None
        result = self.validator(self.values())
        self.show_problems(result.problems)
        return result

    def revalidate(self) -> None:
        if self.validator is not None:
            self.show_problems(self.validator(self.values()).problems, summary=self.summary.isVisible())
            self.revalidated.emit()

    @property
    def live(self) -> bool:
        """Whether messages follow the typing (after a refused save, until the form is cleared)."""
        return self._live

    def start_live_validation(self) -> None:
        """After a refused save, keep the messages current as the user fixes things."""
        self._live = True

    @property
    def recheck_pending(self) -> bool:
        """Whether a re-check of the typing is waiting for the typing to pause."""
        return self._revalidate_timer.isActive()

    def stop_live_validation(self) -> None:
        """After a save: no re-check still pending from the last keystroke may speak about a stored record."""
        self._revalidate_timer.stop()
        self._live = False

    def show_problems(self, problems: Iterable[Problem], *, summary: bool = True) -> None:
        self._problems = list(problems)
        placed: dict[FieldRow, list[Problem]] = {}
        for problem in self._problems:
            row = self.row_for(problem.path)
            if row is not None:
                placed.setdefault(row, []).append(problem)
        for row in self._all_rows():
            row.set_problems(placed.get(row, []))
        if summary:
            self.summary.set_problems(self._problems, self.label_for)
        elif not self._problems:
            self.summary.hide()

    @property
    def problems(self) -> list[Problem]:
        return list(self._problems)

    def errors(self) -> list[Problem]:
        return [p for p in self._problems if p.severity is Severity.ERROR]

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        """The size that shows every row whole: the widest row (a list of ticks as wide as its longest
        entry, which a list's own hint ignores) and the whole height, so a dialog can open at it."""
        base = super().sizeHint()
        content = self.scroll_area.widget()
        if content is None:
            return base
        rows = list(self._all_rows())
        row_width = max((row.sizeHint().width() for row in rows), default=0)
        chrome = max(0, content.sizeHint().width() - row_width)  # group boxes' and the column's margins
        widest = max((self._row_width(row) for row in rows), default=0)
        scrollbar = self.scroll_area.verticalScrollBar().sizeHint().width()
        height = self.title.sizeHint().height() + content.sizeHint().height() + 8
        return QSize(max(base.width(), widest + chrome + scrollbar + 4), max(base.height(), height))

    @staticmethod
    def _row_width(row: FieldRow) -> int:
        width = row.sizeHint().width()
        for widget in row.input.focus_widgets():
            if isinstance(widget, QListWidget):
                frame = 2 * widget.frameWidth() + widget.verticalScrollBar().sizeHint().width()
                need = widget.sizeHintForColumn(0) + frame + 8
                width = max(width, width - widget.sizeHint().width() + need)
        return width

    def _all_rows(self) -> Iterable[FieldRow]:
        for row in self.rows.values():
            yield row
            if isinstance(row.input, RepeatInput):
                for item in row.input.items:
                    yield from item.rows.values()

    def row_for(self, path: str) -> FieldRow | None:
        """The row a problem path points at: ``postcode``, ``children[1].birth_date`` or ``children``."""
        parsed = parse_path(path)
        if parsed is None or parsed.name not in self.rows:
            return None
        row = self.rows[parsed.name]
        if parsed.index is None or parsed.sub is None or not isinstance(row.input, RepeatInput):
            return row
        items = row.input.items
        if parsed.index >= len(items):
            return row
        return items[parsed.index].rows.get(parsed.sub, row)

    def label_for(self, path: str) -> str:
        parsed = parse_path(path)
        if parsed is None or parsed.name not in self.rows:
            return path
        field = self.rows[parsed.name].field
        if parsed.index is None or not isinstance(field, Repeat):
            return field.label
        item = f"{field.item_label[:1].upper()}{field.item_label[1:]} {parsed.index + 1}"
        subs = {f.name: f.label for f in field.fields}
        return f"{item}: {subs.get(parsed.sub or '', '')}".rstrip(": ")

    def focus_path(self, path: str, *, select: bool = True) -> None:
        """Scroll to the field a problem is about and put the cursor in it (its text selected, so a
        wrong answer is typed over; ``select=False`` leaves the cursor at the end, to carry on typing)."""
        row = self.row_for(path)
        if row is None:
            return
        widgets = [w for w in row.input.focus_widgets() if w.isEnabled()]
        target: QWidget = widgets[0] if widgets else row
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
        self.scroll_area.ensureWidgetVisible(row, 20, 40)
        self._focus(target, select=select)

    def focus_first_problem(self) -> None:
        ordered = self.errors() or self._problems
        if ordered:
            self.focus_path(ordered[0].path)


def _holds(row: FieldRow, widget: QWidget) -> bool:
    return any(w is widget or w.isAncestorOf(widget) for w in row.input.focus_widgets())
