"""The Qt binding must not leak or over-release references to ``None`` (issue 13, the 6.12.0 crash).

PySide6 6.12.0 lowered ``sys.getrefcount(None)`` by one each time an empty Qt value came back to Python
as ``None``; the referral form reads combo data on every keystroke, so a few hundred keystrokes later
Python aborted with "none_dealloc" and the typing was lost. These tests call each such path 10,000
times and fail on a binding with the bug, whatever version number it carries.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib.metadata import version

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QListWidget, QListWidgetItem

CALLS = 10_000
# a handful of references may come and go with Python's own caches while the loop runs; a broken
# binding moves the count by one per call (10,000), so this tolerance cannot hide it
TOLERANCE = 16


def none_refs_lost(call: Callable[[], object]) -> int:
    """How many references to ``None`` disappear over CALLS calls (negative: references gained)."""
    call()  # warm up any lazily built wrapper once, outside the count
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        call()
    return before - sys.getrefcount(None)


def test_the_installed_pyside6_is_below_the_broken_6_12() -> None:
    installed = tuple(int(part) for part in version("PySide6-Essentials").split(".")[:2])
    assert installed < (6, 12), f"PySide6-Essentials {installed} is outside the pyproject bound <6.12"


@pytest.fixture
def combo(qtbot: object) -> QComboBox:
    box = QComboBox()
    box.addItem("", None)  # the blank first entry every choice field has
    box.addItem("Yes", True)
    box.setCurrentIndex(0)
    return box


def test_combo_current_data_of_an_item_without_data_keeps_none_refcount(combo: QComboBox) -> None:
    assert combo.currentData() is None
    assert abs(none_refs_lost(combo.currentData)) <= TOLERANCE


def test_combo_item_data_of_an_item_without_data_keeps_none_refcount(combo: QComboBox) -> None:
    assert combo.itemData(0) is None
    assert abs(none_refs_lost(lambda: combo.itemData(0))) <= TOLERANCE


def test_model_index_data_without_data_keeps_none_refcount(qtbot: object) -> None:
    model = QStandardItemModel()
    model.appendRow(QStandardItem("Ava"))
    index: QModelIndex = model.index(0, 0)
    assert index.data(Qt.ItemDataRole.UserRole) is None
    assert abs(none_refs_lost(lambda: index.data(Qt.ItemDataRole.UserRole))) <= TOLERANCE


def test_list_widget_item_data_without_data_keeps_none_refcount(qtbot: object) -> None:
    widget = QListWidget()
    item = QListWidgetItem("Ava")
    widget.addItem(item)
    assert item.data(Qt.ItemDataRole.UserRole) is None
    assert abs(none_refs_lost(lambda: item.data(Qt.ItemDataRole.UserRole))) <= TOLERANCE
