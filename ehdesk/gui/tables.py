"""What every list of records on screen shares: the table's keyboard set-up and the column headers.

Caseload, casefile timeline, family list, decision queue, compliance report and closure letters are all
one row per record, read-only, one row selected at a time; Tab leaves the table (so a keyboard user is
never trapped in it) and arrows move inside. Set up in one place, they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractItemModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

Index = QModelIndex | QPersistentModelIndex


class ColumnsModel(QAbstractTableModel):
    """A table model whose columns are its ``COLUMNS`` titles (subclasses supply rows and cells)."""

    COLUMNS: ClassVar[tuple[str, ...]] = ()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None


def record_table(
    model: QAbstractItemModel,
    name: str,
    *,
    description: str = "",
    widths: Sequence[int] = (),
    resize: QHeaderView.ResizeMode = QHeaderView.ResizeMode.Interactive,
    alternating: bool = True,
) -> QTableView:
    """A read-only, single-row-selection table over ``model`` named ``name`` for screen readers;
    ``widths`` are the first columns' starting widths, the last column stretches."""
    table = QTableView()
    table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
    table.setAccessibleName(name)
    if description:
        table.setAccessibleDescription(description)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(alternating)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(resize)
    header.setStretchLastSection(True)
    for column, width in enumerate(widths):
        table.setColumnWidth(column, width)
    return table
