"""One field on screen: its label (with a required marker), input, help text and problem messages.

A problem is shown beside the field it concerns, with the guidance ID it serves and a "Why is this
needed?" link whose explanation is also the message's tooltip, so the reason is one hover away.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import QApplication, QGridLayout, QLabel, QLineEdit, QPlainTextEdit, QToolTip, QWidget

from ehdesk.forms.model import Checkbox, Problem, Prompt, Repeat, Severity
from ehdesk.gui.formview.inputs import FieldInput

LABEL_WIDTH = 210
ERROR_COLOUR = "#a4001d"
WARNING_COLOUR = "#8a5300"


def why_text(problem: Problem) -> str:
    """The explanation behind a problem: the rule's own ``why``, or which obligation it serves."""
    if problem.why:
        return problem.why
    if problem.obligation and problem.obligation != "DQ":
        return f"This is asked because of guidance obligation {problem.obligation} (rule {problem.rule_id})."
    return f"This keeps the record accurate and usable (rule {problem.rule_id})."


def problem_html(problem: Problem, index: int) -> str:
    colour = ERROR_COLOUR if problem.severity is Severity.ERROR else WARNING_COLOUR
    mark = "✖" if problem.severity is Severity.ERROR else "⚠"
    return (
        f'<span style="color:{colour}">{mark} {html.escape(problem.cited_message)}</span> '
        f'<a href="why:{index}">Why is this needed?</a>'
    )


def is_typing(event: QKeyEvent) -> bool:
    """Whether ``event`` types a character (not a shortcut, not a navigation or command key)."""
    command = event.modifiers() & (
        Qt.KeyboardModifier.ControlModifier
        | Qt.KeyboardModifier.AltModifier
        | Qt.KeyboardModifier.MetaModifier
    )
    text = event.text()
    return not command and bool(text) and text.isprintable()


class ProblemMessage(QLabel):
    """A field's problem messages with their "Why is this needed?" links: one Tab stop, never a trap.

    The tester typed a contact's name after Tab, Tab on the decline decision and it was saved as
    "ini": Tab had landed on a message, which swallowed the letters, needed a second Tab to leave
    (QLabel steps through its links first), and vanished under the cursor once the live re-check
    found the field fixed, sending the focus wherever Qt's creation order pointed. Here Tab leaves at
    once, Enter or Space explains, and anything typed goes into the field the message is about.
    """

    def __init__(self, row: FieldRow) -> None:
        super().__init__(row)
        self._row = row

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space)
            and not event.text().strip()
        ):
            self.linkActivated.emit("why:0")
            event.accept()
            return
        if is_typing(event) and self._row.take_typing(event):
            event.accept()
            return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802 (Qt override)
        """Tab leaves the message for the next field, rather than stepping through its links first."""
        return QWidget.focusNextPrevChild(self, next)


class FieldRow(QWidget):
    """A labelled field. Wide fields (repeating groups, prompts) put the label above the input."""

    def __init__(self, field: FieldInput, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.input = field
        self.field = field.field
        self._problems: list[Problem] = []
        self._required = False
        wide = isinstance(self.field, Repeat | Prompt)

        layout = QGridLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.setHorizontalSpacing(12)
        layout.setVerticalSpacing(2)

        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        focus = field.focus_widgets()
        if focus:
            self.label.setBuddy(focus[0])
        self.help_label = QLabel(self.field.help)
        self.help_label.setWordWrap(True)
        self.help_label.setObjectName("fieldHelp")
        self.help_label.setStyleSheet("color: palette(placeholder-text);")
        self.help_label.setVisible(bool(self.field.help) and not isinstance(self.field, Prompt))
        self.message = ProblemMessage(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setObjectName("fieldMessage")
        # Tab reaches the "Why is this needed?" links and Enter opens one, as a click does
        self.message.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.message.setAccessibleName(f"Problem with {self.field.label}")
        self.message.linkActivated.connect(self._explain)
        self.message.hide()

        if wide:
            self.label.setObjectName("groupHeading")
            layout.addWidget(self.label, 0, 0, 1, 2)
            layout.addWidget(self.help_label, 1, 0, 1, 2)
            layout.addWidget(field, 2, 0, 1, 2)
            layout.addWidget(self.message, 3, 0, 1, 2)
        else:
            self.label.setFixedWidth(LABEL_WIDTH)
            self.label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            layout.addWidget(self.label, 0, 0, Qt.AlignmentFlag.AlignTop)
            layout.addWidget(field, 0, 1)
            layout.addWidget(self.help_label, 1, 1)
            layout.addWidget(self.message, 2, 1)
            layout.setColumnStretch(1, 1)
        self._render_label()

    def _render_label(self) -> None:
        text = "" if isinstance(self.field, Checkbox) else html.escape(self.field.label)
        if self._required and text:
            text += f' <span style="color:{ERROR_COLOUR}" title="required">*</span>'
        if isinstance(self.field, Repeat | Prompt):
            text = f"<b>{text}</b>"
        self.label.setText(text)

    @property
    def required(self) -> bool:
        """Whether the required marker shows now."""
        return self._required

    def set_required(self, required: bool) -> None:
        """Show or hide the required marker (it follows "required when" conditions as values change)."""
        if required != self._required:
            self._required = required
            self._render_label()
            suffix = " (required)"
            for widget in self.input.focus_widgets():
                desc = widget.accessibleDescription().removesuffix(suffix)
                widget.setAccessibleDescription(desc + suffix if required else desc)

    @property
    def problems(self) -> list[Problem]:
        return list(self._problems)

    def set_problems(self, problems: Sequence[Problem]) -> None:
        self._problems = list(problems)
        if not self._problems:
            self.message.clear()
            self.message.setToolTip("")
            self.message.hide()
            return
        self.message.setText("<br>".join(problem_html(p, i) for i, p in enumerate(self._problems)))
        self.message.setToolTip("\n\n".join(why_text(p) for p in self._problems))
        self.message.show()

    def take_typing(self, event: QKeyEvent) -> bool:
        """Text typed on this row's message goes into the field it is about, at the end of what is
        there (a repeating group's "Add" button makes a new item for it). False if there is no field."""
        widgets = [w for w in self.input.focus_widgets() if w.isVisibleTo(self) and w.isEnabled()]
        if not widgets:
            return False
        target = widgets[-1]
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(target, QLineEdit):
            target.deselect()
            target.end(False)
        elif isinstance(target, QPlainTextEdit):
            target.moveCursor(QTextCursor.MoveOperation.End)
        copy = QKeyEvent(
            QEvent.Type.KeyPress,
            event.key(),
            event.modifiers(),
            event.text(),
            event.isAutoRepeat(),
            event.count(),
        )
        QApplication.sendEvent(target, copy)
        return True

    def _explain(self, link: str) -> None:
        index = int(link.removeprefix("why:")) if link.startswith("why:") else 0
        if 0 <= index < len(self._problems):
            # beside the message rather than at the mouse, which a keyboard user left somewhere else
            where = self.message.mapToGlobal(QPoint(0, self.message.height()))
            QToolTip.showText(where, why_text(self._problems[index]), self.message)
