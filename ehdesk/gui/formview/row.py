"""One field on screen: its label (with a required marker), input, help text and problem messages.

A problem is shown beside the field it concerns, with the guidance ID it serves and a "Why is this
needed?" link whose explanation is also the message's tooltip, so the reason is one hover away.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QToolTip, QWidget

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


EXPLAIN_SHORTCUT = "Shift+F1"
"""Explains the problem of the field holding the cursor (the usual "What's this?" key; F1 lists the
app's shortcuts)."""


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
        # A message is never a Tab stop. A new-user tester typed "Tab, Tab, a name" past a message and
        # lost the name twice: once into the message itself, once into a Yes/No list the message handed
        # the letters to, which a space then opened. Tab goes from field to field; the message is read
        # with the field (its accessible description) and explained with Shift+F1 or a click.
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setObjectName("fieldMessage")
        self.message.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
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
            self._describe()

    def _describe(self) -> None:
        """Each control's accessible description: its help, "(required)", and its problems, so a
        screen reader reads the message with the field (the message itself takes no focus)."""
        parts = [self.field.help] if self.field.help else []
        if self._required:
            parts.append("(required)")
        parts += [f"Problem: {p.cited_message} (Shift+F1 explains)" for p in self._problems]
        for widget in self.input.focus_widgets():
            widget.setAccessibleDescription(" ".join(parts))

    @property
    def problems(self) -> list[Problem]:
        return list(self._problems)

    def set_problems(self, problems: Sequence[Problem]) -> None:
        self._problems = list(problems)
        self._describe()
        if not self._problems:
            self.message.clear()
            self.message.setToolTip("")
            self.message.hide()
            return
        self.message.setText("<br>".join(problem_html(p, i) for i, p in enumerate(self._problems)))
        self.message.setToolTip("\n\n".join(why_text(p) for p in self._problems))
        self.message.show()

    def explain(self) -> bool:
        """Show why this field's problems matter (Shift+F1 on the field); False if it has none."""
        if not self._problems:
            return False
        self._explain("why:0")
        return True

    def _explain(self, link: str) -> None:
        index = int(link.removeprefix("why:")) if link.startswith("why:") else 0
        if 0 <= index < len(self._problems):
            # beside the message rather than at the mouse, which a keyboard user left somewhere else
            where = self.message.mapToGlobal(QPoint(0, self.message.height()))
            text = "\n\n".join(why_text(p) for p in self._problems) if index == 0 else None
            QToolTip.showText(where, text or why_text(self._problems[index]), self.message)
