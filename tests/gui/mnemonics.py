"""The Alt+letter keys a window's buttons, ticks and labelled inputs answer to, to find two sharing one."""

from __future__ import annotations

import re
from collections import defaultdict

from PySide6.QtWidgets import QAbstractButton, QLabel, QMainWindow, QWidget

_MNEMONIC = re.compile(r"&([^&])")


def mnemonic(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def _lettered(window: QWidget) -> list[QWidget]:
    """The shown buttons, ticks and buddied labels of ``window``: what can own an Alt+letter."""
    widgets: list[QWidget] = [
        *window.findChildren(QAbstractButton),
        *(label for label in window.findChildren(QLabel) if label.buddy() is not None),
    ]
    return [widget for widget in widgets if widget.isVisibleTo(window)]


def clashes(window: QWidget) -> dict[str, list[str]]:
    """Letter → texts, for every letter more than one shown button, tick or buddied label uses."""
    owners: dict[str, list[str]] = defaultdict(list)
    for widget in _lettered(window):
        text = widget.text()  # type: ignore[attr-defined]
        letter = mnemonic(text)
        if letter is not None:
            owners[letter].append(text)
    return {letter: texts for letter, texts in owners.items() if len(texts) > 1}


def menu_letters(window: QMainWindow) -> dict[str, str]:
    """Letter → title, for the menu bar's menus (Alt+R opens "&Referral" wherever the focus is)."""
    letters: dict[str, str] = {}
    for action in window.menuBar().actions():
        letter = mnemonic(action.text())
        if letter is not None and action.isVisible():
            letters[letter] = action.text()
    return letters


def menu_clashes(window: QMainWindow, within: QWidget | None = None) -> dict[str, list[str]]:
    """Letter → [menu title, texts…], for every shown button, tick or buddied label in ``within`` (the
    whole window by default) whose Alt+letter is also a menu title's."""
    menus = menu_letters(window)
    found: dict[str, list[str]] = defaultdict(list)
    for widget in _lettered(within if within is not None else window):
        text = widget.text()  # type: ignore[attr-defined]
        letter = mnemonic(text)
        if letter in menus:
            found[letter].append(text)
    return {letter: [menus[letter], *texts] for letter, texts in found.items()}
