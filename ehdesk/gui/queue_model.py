"""The decision queue as a Qt table model: what waits for a manager, oldest first, one page at a time.

Declines (G20), objections and shares made under a G10 exception wait here until a manager decides.
The service returns them oldest first; the model asks for the first page when a filter is set and the
next only when the view scrolls near the end (``canFetchMore``/``fetchMore``), continuing after the last
entry it holds, so a team with a long backlog still opens the queue with one small query.

The model knows nothing of sessions or cursors: ``fetch`` is given the filter, the page size and the
last entry shown, and returns the next entries (the view turns the entry into the service's cursor).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ehdesk.desk.manager import QueueEntry
from ehdesk.gui.tables import ColumnsModel

PAGE_SIZE = 200
#: A decline should reach a manager "at the earliest opportunity" (G20); past this many days the age is
#: shown in bold so the oldest waiting entries stand out even without colour.
OVERDUE_DAYS = 7
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex

KIND_LABELS = {
    "decline": "Decline",
    "objection": "Objection",
    "share": "Share under an exception",
}


@dataclass(frozen=True)
class QueueFilter:
    """Which entries to show: one kind or all (``None``), one worker's or everyone's (``None``)."""

    kind: str | None = None
    worker_id: int | None = None


#: (filter, page size, last entry already shown or None for the first page) → the next entries
Fetch = Callable[[QueueFilter, int, QueueEntry | None], list[QueueEntry]]


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def age_text(days: int) -> str:
    if days <= 0:
        return "today"
    return "1 day" if days == 1 else f"{days} days"


class QueueModel(ColumnsModel):
    COLUMNS = ("Waiting", "Kind", "Family", "Reference", "Worker", "Raised", "Summary")

    def __init__(self, fetch: Fetch, page_size: int = PAGE_SIZE) -> None:
        super().__init__()
        self._fetch = fetch
        self.page_size = page_size
        self.filter = QueueFilter()
        self.entries: list[QueueEntry] = []
        self._exhausted = False
        self._started = False

    # loading ------------------------------------------------------------------------------------------
    def set_filter(self, queue_filter: QueueFilter) -> None:
        """Start again under ``queue_filter``; the first page loads straight away."""
        self.beginResetModel()
        self.filter = queue_filter
        self.entries = []
        self._exhausted = False
        self._started = True
        self.endResetModel()
        self.fetchMore(QModelIndex())

    def reload(self) -> None:
        """The same filter from the top (after a decision took an entry off the queue)."""
        self.set_filter(self.filter)

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802 (Qt API)
        return self._started and not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index) -> None:  # noqa: N802 (Qt API)
        if not self.canFetchMore(parent):
            return
        last = self.entries[-1] if self.entries else None
        page = self._fetch(self.filter, self.page_size, last)
        if len(page) < self.page_size:
            self._exhausted = True
        if not page:
            return
        self.beginInsertRows(QModelIndex(), len(self.entries), len(self.entries) + len(page) - 1)
        self.entries.extend(page)
        self.endInsertRows()

    # reading ------------------------------------------------------------------------------------------
    def entry(self, row: int) -> QueueEntry | None:
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 (Qt API)
        return 0 if parent.isValid() else len(self.entries)

    def cells(self, entry: QueueEntry) -> tuple[str, ...]:
        return (
            age_text(entry.age_days),
            kind_label(entry.kind),
            entry.family_name,
            entry.family_reference,
            entry.worker_name or "—",
            entry.raised_at.strftime("%d/%m/%Y"),
            entry.summary,
        )

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry(index.row()) if index.isValid() else None
        if entry is None:
            return None
        if role == ENTRY_ROLE:
            return entry
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cells(entry)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 0:
                return f"Raised on {entry.raised_at:%d %B %Y}, waiting {age_text(entry.age_days)}"
            return self.cells(entry)[index.column()]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.COLUMNS[index.column()]}: {self.cells(entry)[index.column()]}"
        overdue = entry.age_days > OVERDUE_DAYS
        if role == Qt.ItemDataRole.FontRole and index.column() == 0 and overdue:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0 and overdue:
            return QBrush(QColor("#b71c1c"))
        return None
