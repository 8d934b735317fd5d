"""Lazy Qt table models for a worker's lists: the caseload and a family's casefile timeline.

Both load a page at a time when the view asks (``canFetchMore``/``fetchMore``), as the family list does,
so a long casefile costs one query of one page when it opens and the next page only when scrolled to.
The timeline pages by key set: the next page starts below the last entry shown (its cursor), never by
an offset that would skip or repeat entries someone added meanwhile. The caseload arrives as one list
from the desk (a worker holds tens of families, not thousands) and is shown a page at a time, so the
table paints the first rows at once however large a manager's list grows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from ehdesk.desk.worker import CaseloadRow, TimelineCursor, TimelineEntry
from ehdesk.gui.tables import ColumnsModel

PAGE_SIZE = 100
ROW_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's plain-data object (a CaseloadRow, a TimelineEntry)
Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")


def day_text(value: date | datetime | None) -> str:
    """Dates as people in the service write them (DD/MM/YYYY), with the time for a timeline entry."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.astimezone().strftime("%d/%m/%Y %H:%M")
            if value.tzinfo
            else value.strftime("%d/%m/%Y %H:%M")
        )
    return value.strftime("%d/%m/%Y")


class PagedModel(ColumnsModel, Generic[T]):
    """Rows of plain data loaded page by page; subclasses say how to fetch and what each cell shows."""

    def __init__(self, page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self.page_size = page_size
        self._rows: list[T] = []
        self._exhausted = True

    # paging -------------------------------------------------------------------------------------------
    def fetch_page(self, after: T | None) -> list[T]:  # pragma: no cover - subclasses fetch
        raise NotImplementedError

    def reload(self) -> None:
        """Forget every row and load the first page again (after a save, or another family)."""
        self.beginResetModel()
        self._rows = []
        self._exhausted = False
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802 (Qt API)
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index) -> None:  # noqa: N802 (Qt API)
        if parent.isValid() or self._exhausted:
            return
        page = self.fetch_page(self._rows[-1] if self._rows else None)
        if len(page) < self.page_size:
            self._exhausted = True
        if not page:
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    # reading ------------------------------------------------------------------------------------------
    def row_at(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    @property
    def rows(self) -> Sequence[T]:
        return tuple(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self._rows)

    def cells(self, row: T) -> tuple[str, ...]:  # pragma: no cover - subclasses say
        raise NotImplementedError

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cells(row)[index.column()]
        return None


class CaseloadModel(PagedModel[CaseloadRow]):
    """A worker's families with what is due for each (G3: "privacy notice due" until the pack is shared)."""

    COLUMNS = ("Reference", "Family", "Postcode", "Allocated", "Due")

    def __init__(self, load: Callable[[], list[CaseloadRow]], page_size: int = PAGE_SIZE) -> None:
        super().__init__(page_size)
        self._load = load
        self._all: list[CaseloadRow] = []

    def reload(self) -> None:
        self._all = self._load()
        super().reload()

    def fetch_page(self, after: CaseloadRow | None) -> list[CaseloadRow]:
        start = len(self._rows)
        return self._all[start : start + self.page_size]

    @property
    def total(self) -> int:
        return len(self._all)

    def cells(self, row: CaseloadRow) -> tuple[str, ...]:
        due = "; ".join(row.due) if row.due else "nothing due"
        return (row.reference, row.display_name, row.postcode, day_text(row.allocated_on), due)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid() and index.column() == 4:
            row = self.row_at(index.row())
            if row is not None and row.due:
                font = QFont()
                font.setBold(True)
                return font
        return super().data(index, role)


TimelineFetch = Callable[[int, TimelineCursor | None], list[TimelineEntry]]  # (limit, before) → entries
CursorOf = Callable[[TimelineEntry], TimelineCursor]


class TimelineModel(PagedModel[TimelineEntry]):
    """One family's casefile, newest first, a page at a time."""

    COLUMNS = ("When", "What", "Summary", "By", "State")  # "yours to change", "signed, locked"

    def __init__(self, fetch: TimelineFetch, cursor_of: CursorOf, page_size: int = PAGE_SIZE) -> None:
        super().__init__(page_size)
        self._fetch = fetch
        self._cursor_of = cursor_of

    def fetch_page(self, after: TimelineEntry | None) -> list[TimelineEntry]:
        return self._fetch(self.page_size, None if after is None else self._cursor_of(after))

    def cells(self, row: TimelineEntry) -> tuple[str, ...]:
        state = "signed, locked" if row.locked else ("yours to change" if row.editable_by_me else "")
        return (day_text(row.when), row.title, row.summary, row.author, state)
