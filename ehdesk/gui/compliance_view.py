"""Compliance: the gaps against the guidance, oldest first, and how many each worker holds.

Allocated families without privacy-notice evidence (G3, G4), shares with neither "informed in advance"
nor an exception (G10), and objections, declines and exception shares awaiting a manager's decision
(G19). The desk's ``compliance()`` report is the same one ``ehdesk report compliance --csv`` prints,
so the screen and the export never disagree. Enter on a gap opens the family's casefile to put it right.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ehdesk.desk.worker import ComplianceItem, ComplianceReport, WorkerCounts
from ehdesk.errors import EhdeskError
from ehdesk.gui.backend import Backend
from ehdesk.gui.tables import ColumnsModel, record_table
from ehdesk.gui.timeline_model import ROW_ROLE, day_text

Index = QModelIndex | QPersistentModelIndex


def gap_count_text(kind: str, count: int) -> str:
    """Say "2 objections awaiting a decision", "1 family missing privacy-notice evidence": the kind
    (a singular phrase from the service) counted in words that agree with the number."""
    if kind.startswith("missing "):
        return f"{count} {'family' if count == 1 else 'families'} {kind}"
    if count == 1:
        return f"1 {kind}"
    for joint in (" awaiting ", ":"):  # the noun ends where the phrase about it starts
        noun, found, rest = kind.partition(joint)
        if found:
            return f"{count} {noun}s{found}{rest}"
    return f"{count} × {kind}"


class _RowsModel(ColumnsModel):
    def __init__(self) -> None:
        super().__init__()
        self.items: Sequence[Any] = ()

    def set_items(self, items: Sequence[Any]) -> None:
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.items)

    def cells(self, item: Any) -> tuple[str, ...]:  # pragma: no cover - subclasses say
        raise NotImplementedError

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == ROW_ROLE:
            return item
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cells(item)[index.column()]
        return None


class GapsModel(_RowsModel):
    COLUMNS = ("Since", "Gap", "Guidance", "Reference", "Family", "Worker")

    def cells(self, item: ComplianceItem) -> tuple[str, ...]:
        return (
            day_text(item.since.date()),
            item.kind,
            item.guidance,
            item.reference,
            item.family_name,
            item.worker,
        )


class WorkerCountsModel(_RowsModel):
    COLUMNS = ("Worker", "No privacy notice", "Shares: not told, no exception", "Awaiting a decision", "All")

    def cells(self, item: WorkerCounts) -> tuple[str, ...]:
        return (
            item.worker,
            str(item.missing_evidence),
            str(item.uninformed_shares),
            str(item.awaiting_decision),
            str(item.total),
        )


def _table(model: QAbstractTableModel, name: str) -> QTableView:
    return record_table(model, name, resize=QHeaderView.ResizeMode.ResizeToContents)


class ComplianceView(QWidget):
    """The report on screen; ``family_activated`` opens the casefile where a gap is put right."""

    family_activated = Signal(int)
    message = Signal(str)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.report: ComplianceReport | None = None
        self.summary = QLabel("<h2>Compliance</h2>")
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Compliance summary")
        self.gaps = GapsModel()
        self.gaps_table = _table(self.gaps, "Gaps, oldest first")
        self.gaps_table.setAccessibleDescription("Enter opens the family's casefile")
        self.gaps_table.activated.connect(self._activate)
        self.counts = WorkerCountsModel()
        self.counts_table = _table(self.counts, "Gaps per worker")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.gaps_table)
        splitter.addWidget(self.counts_table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

    def refresh(self) -> None:
        try:
            report = self.backend.compliance()
        except EhdeskError as error:
            self.summary.setText(f"<h2>Compliance</h2><p>{html.escape(str(error))}</p>")
            self.message.emit(str(error))
            return
        self.report = report
        self.gaps.set_items(report.items)
        self.counts.set_items(report.per_worker)
        kinds: dict[str, int] = {}
        for item in report.items:
            kinds[item.kind] = kinds.get(item.kind, 0) + 1
        if not report.items:
            line = "No gaps: every allocated family has its privacy notice and every share is in order."
        else:
            line = "; ".join(gap_count_text(kind, count) for kind, count in kinds.items())
        self.summary.setText(f"<h2>Compliance</h2><p>{html.escape(line)}</p>")
        if self.gaps.rowCount():
            self.gaps_table.selectRow(0)

    def focus_table(self) -> None:
        self.gaps_table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _activate(self, index: QModelIndex) -> None:
        item = self.gaps.data(index, ROW_ROLE)
        if isinstance(item, ComplianceItem):
            self.family_activated.emit(item.family_id)
