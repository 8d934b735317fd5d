"""The list of every problem found on save; activating one jumps to its field."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QStyle, QVBoxLayout, QWidget

from ehdesk.forms.model import Problem, Severity
from ehdesk.gui.formview.row import ERROR_COLOUR, WARNING_COLOUR

SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Look:
    """How one severity shows: colour, background, an icon and a word, so colour is never the only cue."""

    colour: str
    background: str
    icon: QStyle.StandardPixmap
    mark: str
    word: str


LOOKS = {
    Severity.ERROR: Look(ERROR_COLOUR, "#fff4f4", QStyle.StandardPixmap.SP_MessageBoxCritical, "✖", ""),
    Severity.WARNING: Look(
        WARNING_COLOUR, "#fff8e5", QStyle.StandardPixmap.SP_MessageBoxWarning, "⚠", "Warning, check"
    ),
}


def problem_line(problem: Problem, label: str) -> str:
    """One line of the panel: "✖ Name: Enter a name", or for a warning "⚠ Warning, check — Carer 1:
    Phone: This number …" (a mark, a word for warnings, the field, the message)."""
    look = LOOKS[problem.severity]
    separator = " " if label.endswith(("?", ":")) else ": "  # not "Why was it not discussed?:"
    word = f"{look.word} — " if look.word else ""
    return f"{look.mark} {word}{label}{separator}{problem.cited_message}"


class ProblemSummary(QFrame):
    """Shown above the form after a save is refused, so nothing is missed further down the page."""

    path_activated = Signal(str)
    MAX_LINES = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemSummary")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.heading = QLabel()
        self.severity = Severity.ERROR
        self._paint(Severity.ERROR)
        self.list = QListWidget()
        self.list.setAccessibleName("Problems to fix before saving")
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setSizeAdjustPolicy(QListWidget.SizeAdjustPolicy.AdjustToContents)
        self.list.itemActivated.connect(self._activate)
        self.list.itemClicked.connect(self._activate)
        layout.addWidget(self.heading)
        layout.addWidget(self.list)
        self.hide()

    def set_problems(self, problems: Sequence[Problem], label_for: Callable[[str], str]) -> None:
        self.list.clear()
        errors = [p for p in problems if p.severity is Severity.ERROR]
        warnings = [p for p in problems if p.severity is Severity.WARNING]
        if not problems:
            self.hide()
            return
        parts = []
        if errors:
            parts.append(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} to fix before saving")
        if warnings:
            parts.append(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} to check")
        self.heading.setText(" · ".join(parts) + " (click one to go to it)")
        self._paint(Severity.ERROR if errors else Severity.WARNING)
        for problem in [*errors, *warnings]:
            item = QListWidgetItem(problem_line(problem, label_for(problem.path)))
            look = LOOKS[problem.severity]
            item.setForeground(QBrush(QColor(look.colour)))
            item.setIcon(self.style().standardIcon(look.icon))
            item.setData(Qt.ItemDataRole.UserRole, problem.path)
            item.setData(SEVERITY_ROLE, problem.severity.value)
            item.setToolTip(problem.why or problem.rule_id)
            self.list.addItem(item)
        self.show()
        self.fit_height()

    def _paint(self, severity: Severity) -> None:
        """Red when something must be fixed; amber when there are only warnings to check."""
        self.severity = severity
        look = LOOKS[severity]
        self.setStyleSheet(
            f"#problemSummary {{ border: 1px solid {look.colour}; background: {look.background}; }}"
        )
        self.heading.setStyleSheet(f"font-weight: bold; color: {look.colour};")

    def fit_height(self) -> None:
        """As tall as its lines need, up to ``MAX_LINES``; beyond that the list scrolls rather than
        push the form away. Measured per line, so one short message takes one line's room."""
        self.list.doItemsLayout()
        shown = min(self.list.count(), self.MAX_LINES)
        rows = sum(max(self.list.sizeHintForRow(i), self.list.fontMetrics().height()) for i in range(shown))
        self.list.setFixedHeight(rows + 2 * self.list.frameWidth() + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)  # wrapped lines change height with the width
        if self.isVisible() and self.list.count():
            self.fit_height()

    def _activate(self, item: QListWidgetItem) -> None:
        self.path_activated.emit(str(item.data(Qt.ItemDataRole.UserRole)))
