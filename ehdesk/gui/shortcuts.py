"""Help ▸ Keyboard shortcuts: every key the window answers, read from its own actions.

A hand-kept list drifted (the tester found Ctrl+6, Ctrl+Shift+G and the casefile keys missing from it),
so the window's keys are read from the actions themselves: each menu in menu-bar order, then the
actions that live on the window only (the decision queue's Ctrl+6 …). Keys that work inside one widget
(a list, a form, a decision) are not window actions; they are listed from the constants the widgets
themselves use, so changing a key in one place changes it here too.

An action greyed out because of the user's role (a family worker's "New referral") carries the
:data:`UNAVAILABLE` property and is left out: a list of keys one cannot use only misleads.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMainWindow,
    QMenu,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ehdesk.gui.formview.repeat import ADD_SHORTCUT, REMOVE_SHORTCUT, UNDO_SHORTCUT
from ehdesk.gui.formview.row import EXPLAIN_SHORTCUT

#: Property set on an action the user's role can never use; such actions are not listed.
UNAVAILABLE = "ehdeskUnavailable"

#: Keys that work inside one part of a page, in the words a user looks for: (where, keys, what).
IN_PLACE: tuple[tuple[str, str, str], ...] = (
    ("In a form", "Tab / Shift+Tab", "Next / previous field"),
    ("In a form", "Y / N", "Answer a yes/no question (Delete clears it)"),
    ("In a form", "Space", "Tick or untick the current choice in a list of ticks"),
    ("In a form", ADD_SHORTCUT, "Add another child, carer or agency (inside that group)"),
    ("In a form", "Typing on “Add …”", "Adds the child, carer or agency and types into its first field"),
    ("In a form", REMOVE_SHORTCUT, "Remove the child, carer or agency the cursor is in"),
    ("In a form", UNDO_SHORTCUT, "Straight after removing one: put it back"),
    ("In a form", "Enter", "On “Check before saving”: save anyway"),
    ("In a form", EXPLAIN_SHORTCUT, "In a field with a problem: why it is asked"),
    ("In a list", "Enter", "Open the family, the casefile entry or the queue entry"),
    ("In the decision queue", "F5", "Load the queue again"),
)


def _keys(action: QAction) -> str:
    native = QKeySequence.SequenceFormat.NativeText
    return " or ".join(k.toString(native) for k in action.shortcuts() if not k.isEmpty())


def _name(action: QAction) -> str:
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…").strip()


def _listed(action: QAction) -> bool:
    return bool(_keys(action)) and action.isVisible() and not action.property(UNAVAILABLE)


def _menu_actions(menu: QMenu) -> Iterable[QAction]:
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            yield from _menu_actions(sub)
        elif not action.isSeparator():
            yield action


def action_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """(where, keys, what) for every action of ``window`` with a key: menus first, in menu-bar order,
    then actions added to the window alone. An action in two places is listed once."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()

    def add(where: str, action: QAction) -> None:
        key = id(action)
        if key in seen or not _listed(action):
            return
        seen.add(key)
        rows.append((where, _keys(action), _name(action)))

    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu) and top.isVisible():
            for action in _menu_actions(menu):
                add(f"{_name(top)} menu", action)
    for action in window.actions():
        add("Anywhere", action)
    return rows


def in_place_rows(extra: Iterable[tuple[str, str, str]] = ()) -> list[tuple[str, str, str]]:
    """The keys that belong to one widget, plus those a view adds (``extra``)."""
    return [*IN_PLACE, *extra]


def shortcuts_html(rows: Iterable[tuple[str, str, str]]) -> str:
    parts: list[str] = []
    where_before = None
    for where, keys, what in rows:
        if where != where_before:
            parts.append(f'<tr><td colspan="2"><br><b>{html.escape(where)}</b></td></tr>')
            where_before = where
        parts.append(f"<tr><td><b>{html.escape(keys)}</b></td><td>{html.escape(what)}</td></tr>")
    return f'<table cellspacing="4">{"".join(parts)}</table>'


class ShortcutsDialog(QDialog):
    """The list in a scrolling window (it is longer than a message box can show); Escape closes it."""

    def __init__(self, rows: Iterable[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(620, 640)
        self.rows = list(rows)
        self.text = QTextBrowser()
        self.text.setAccessibleName("Keyboard shortcuts")
        self.text.setHtml(shortcuts_html(self.rows))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.text.setFocus()
