"""The family list as a Qt table model that loads one page at a time and keeps only a window of them.

Qt asks ``canFetchMore``/``fetchMore`` as the view scrolls towards the end, so a search matching
100,000 families loads 200 rows at first and the next 200 only when they are about to be seen: one
query of one page, never the whole list. Memory stays flat however far the user scrolls (issue 18):
the model keeps at most :data:`WINDOW_PAGES` pages of rows and, for every page, only the id the next
page starts below (one integer per 200 families). A row scrolled back into view whose page was
dropped shows "…" for a moment: its page is fetched again on the next turn of the event loop (key-set
paging from the remembered id), never inside the paint that asked for it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer

from ehdesk.domain import FamilyStatus
from ehdesk.gui.backend import FamilyRow

PAGE_SIZE = 200
WINDOW_PAGES = 8  # rows held in memory: at most 1,600, whatever the number of families
FAMILY_ID_ROLE = Qt.ItemDataRole.UserRole + 1
LOADING = "…"
Fetch = Callable[[str, int, int | None], list[FamilyRow]]  # (query, limit, before_id: last id shown)
Index = QModelIndex | QPersistentModelIndex


class FamilyTableModel(QAbstractTableModel):
    COLUMNS = ("Reference", "Family", "Children", "Postcode", "Status")

    def __init__(self, fetch: Fetch, page_size: int = PAGE_SIZE, window_pages: int = WINDOW_PAGES) -> None:
        super().__init__()
        self._fetch = fetch
        self.page_size = page_size
        self.window_pages = max(window_pages, 2)
        self.query = ""
        self._pages: OrderedDict[int, list[FamilyRow]] = OrderedDict()  # page number → rows, oldest use first
        # page number → the id that page starts below (None: the top); the first page is there to fetch
        # even before a search is typed, so a view that asks early lists the newest families
        self._starts: list[int | None] = [None]
        self._rows = 0
        self._exhausted = False
        self._wanted: set[int] = set()  # dropped pages asked for again, fetched on the next event-loop turn

    # -- searching and paging ---------------------------------------------------------------------

    def set_query(self, query: str) -> None:
        """Start a new search; the first page loads straight away, the rest as the view scrolls."""
        self.beginResetModel()
        self.query = query
        self._pages.clear()
        self._starts = [None]
        self._rows = 0
        self._exhausted = False
        self._wanted.clear()
        self.endResetModel()
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())

    def clear(self, query: str) -> None:
        """Show no rows for ``query`` (too short to search) and fetch nothing."""
        self.beginResetModel()
        self.query = query
        self._pages.clear()
        self._starts = [None]
        self._rows = 0
        self._exhausted = True
        self._wanted.clear()
        self.endResetModel()

    @property
    def exhausted(self) -> bool:
        """Every match has been loaded once (so the row count is the number of matches)."""
        return self._exhausted

    @property
    def rows_in_memory(self) -> int:
        return sum(len(rows) for rows in self._pages.values())

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802 (Qt API)
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index) -> None:  # noqa: N802 (Qt API)
        if parent.isValid() or self._exhausted:
            return
        number = len(self._starts) - 1
        page = self._fetch(self.query, self.page_size, self._starts[number])
        if len(page) < self.page_size:
            self._exhausted = True
        if not page:
            return
        self.beginInsertRows(QModelIndex(), self._rows, self._rows + len(page) - 1)
        self._keep(number, page)
        self._starts.append(page[-1].id)
        self._rows += len(page)
        self.endInsertRows()

    def _keep(self, number: int, rows: list[FamilyRow]) -> None:
        self._pages[number] = rows
        self._pages.move_to_end(number)
        while len(self._pages) > self.window_pages:
            self._pages.popitem(last=False)

    def _page_of(self, row: int) -> list[FamilyRow] | None:
        number = row // self.page_size
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
        elif 0 <= row < self._rows and number not in self._wanted:
            self._wanted.add(number)
            QTimer.singleShot(0, self, lambda: self._refetch(number, self.query))
        return page

    def _refetch(self, number: int, query: str) -> None:
        """Load a page that was dropped from memory, unless a new search has started since."""
        if query != self.query or number not in self._wanted:
            return
        self._wanted.discard(number)
        self._keep(number, self._fetch(query, self.page_size, self._starts[number]))
        first = number * self.page_size
        last = min(first + self.page_size, self._rows) - 1
        self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.COLUMNS) - 1))

    # -- reading rows ------------------------------------------------------------------------------

    def family(self, row: int) -> FamilyRow | None:
        """The family on ``row``, or ``None`` while its page is being fetched again."""
        if not 0 <= row < self._rows:
            return None
        page = self._page_of(row)
        offset = row % self.page_size
        return page[offset] if page is not None and offset < len(page) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        family = self.family(index.row())
        if family is None:
            return LOADING if role == Qt.ItemDataRole.DisplayRole else None
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
