"""The list of every problem found on save; activating one jumps to its field."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ehdesk.forms.model import Problem, Severity


class ProblemSummary(QFrame):
    """Shown above the form after a save is refused, so nothing is missed further down the page."""

    path_activated = Signal(str)
    MAX_LINES = 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("problemSummary")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#problemSummary { border: 1px solid #a4001d; background: #fff4f4; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-weight: bold; color: #a4001d;")
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
        for problem in [*errors, *warnings]:
            mark = "✖" if problem.severity is Severity.ERROR else "⚠"
            label = label_for(problem.path)
            separator = " " if label.endswith(("?", ":")) else ": "  # not "Why was it not discussed?:"
            item = QListWidgetItem(f"{mark} {label}{separator}{problem.cited_message}")
            item.setData(Qt.ItemDataRole.UserRole, problem.path)
            item.setToolTip(problem.why or problem.rule_id)
            self.list.addItem(item)
        self.show()
        self.fit_height()

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
