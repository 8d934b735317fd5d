"""The family list as a Qt table model that loads one page at a time.

Qt asks ``canFetchMore``/``fetchMore`` as the view scrolls towards the end, so a search matching
100,000 families loads 200 rows at first and the next 200 only when they are about to be seen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ehdesk.domain import FamilyStatus
from ehdesk.gui.backend import FamilyRow

PAGE_SIZE = 200
FAMILY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
Fetch = Callable[[str, int, int | None], list[FamilyRow]]  # (query, limit, before_id: last id shown)
Index = QModelIndex | QPersistentModelIndex


class FamilyTableModel(QAbstractTableModel):
    COLUMNS = ("Reference", "Family", "Children", "Postcode", "Status")

    def __init__(self, fetch: Fetch, page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self._fetch = fetch
        self.page_size = page_size
        self.query = ""
        self._rows: list[FamilyRow] = []
        self._exhausted = False

    def set_query(self, query: str) -> None:
        """Start a new search; the first page loads straight away, the rest as the view scrolls."""
        self.beginResetModel()
        self.query = query
        self._rows = []
        self._exhausted = False
        self.endResetModel()
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802 (Qt API)
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index) -> None:  # noqa: N802 (Qt API)
        if parent.isValid() or self._exhausted:
            return
        page = self._fetch(self.query, self.page_size, self._rows[-1].id if self._rows else None)
        if len(page) < self.page_size:
            self._exhausted = True
        if not page:
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    def family(self, row: int) -> FamilyRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        family = self.family(index.row()) if index.isValid() else None
        if family is None:
            return None
        if role == FAMILY_ID_ROLE:
            return family.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            status = FamilyStatus.label_for(family.status)
            cells = (family.reference, family.display_name, family.children, family.postcode, status)
            return cells[index.column()]
        return None

    def headerData(  # noqa: N802 (Qt API)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None
