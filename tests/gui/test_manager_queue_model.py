"""The decision queue's table model: oldest first with their age, a page at a time, filtered at source."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont

from ehdesk.desk.manager import QueueEntry
from ehdesk.gui.queue_model import ENTRY_ROLE, QueueFilter, QueueModel, age_text

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def entry(number: int, kind: str = "decline", age: int = 3) -> QueueEntry:
    return QueueEntry(
        kind=kind,
        record_id=number,
        family_id=100 + number,
        family_reference=f"EH-{number:06d}",
        family_name=f"Family {number}",
        worker_name="Wendy Worker",
        raised_at=NOW - timedelta(days=age),
        age_days=age,
        summary=f"Declined: reason {number}",
    )


class Source:
    """A queue of entries served page by page the way the service does (after the last one shown)."""

    def __init__(self, entries: list[QueueEntry]) -> None:
        self.entries = entries
        self.calls: list[tuple[QueueFilter, int, int | None]] = []

    def __call__(self, queue_filter: QueueFilter, limit: int, last: QueueEntry | None) -> list[QueueEntry]:
        self.calls.append((queue_filter, limit, last.record_id if last else None))
        chosen = [e for e in self.entries if queue_filter.kind in (None, e.kind)]
        start = 0 if last is None else [e.record_id for e in chosen].index(last.record_id) + 1
        return chosen[start : start + limit]


def test_nothing_is_fetched_until_a_filter_is_set_then_one_page() -> None:
    source = Source([entry(n) for n in range(1, 6)])
    model = QueueModel(source, page_size=2)
    assert not model.canFetchMore(QModelIndex())
    assert source.calls == []
    model.set_filter(QueueFilter())
    assert model.rowCount() == 2
    assert source.calls == [(QueueFilter(), 2, None)]


def test_scrolling_fetches_the_next_page_after_the_last_entry_shown() -> None:
    source = Source([entry(n) for n in range(1, 6)])
    model = QueueModel(source, page_size=2)
    model.set_filter(QueueFilter())
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert [e.record_id for e in model.entries] == [1, 2, 3, 4, 5]
    assert [last for _f, _n, last in source.calls] == [None, 2, 4]
    assert model.exhausted


def test_a_kind_filter_is_passed_to_the_source_and_starts_from_the_top() -> None:
    source = Source([entry(1), entry(2, "objection"), entry(3, "share"), entry(4, "objection")])
    model = QueueModel(source, page_size=10)
    model.set_filter(QueueFilter())
    assert model.rowCount() == 4
    model.set_filter(QueueFilter(kind="objection"))
    assert [e.record_id for e in model.entries] == [2, 4]
    assert source.calls[-1] == (QueueFilter(kind="objection"), 10, None)


def test_cells_show_age_kind_family_and_worker_and_overdue_ages_are_bold() -> None:
    model = QueueModel(Source([entry(1, age=12), entry(2, "share", age=0)]))
    model.set_filter(QueueFilter())
    cells = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert cells[:5] == ["12 days", "Decline", "Family 1", "EH-000001", "Wendy Worker"]
    assert cells[5] == (NOW - timedelta(days=12)).strftime("%d/%m/%Y")
    font = model.data(model.index(0, 0), Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont)
    assert font.bold()
    assert model.data(model.index(1, 0)) == "today"
    assert model.data(model.index(1, 1)) == "Share under an exception"
    assert model.data(model.index(1, 0), Qt.ItemDataRole.FontRole) is None
    assert model.data(model.index(1, 2), ENTRY_ROLE).record_id == 2
    assert model.data(model.index(0, 2), Qt.ItemDataRole.AccessibleTextRole) == "Family: Family 1"


def test_age_reads_as_people_say_it() -> None:
    assert [age_text(d) for d in (0, 1, 2)] == ["today", "1 day", "2 days"]
