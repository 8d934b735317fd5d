"""The Alt+letter keys a window's buttons, ticks and labelled inputs answer to, to find two sharing one."""

from __future__ import annotations

import re
from collections import defaultdict

from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

_MNEMONIC = re.compile(r"&([^&])")


def mnemonic(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def clashes(window: QWidget) -> dict[str, list[str]]:
    """Letter → texts, for every letter more than one shown button, tick or buddied label uses."""
    owners: dict[str, list[str]] = defaultdict(list)
    widgets: list[QWidget] = [
        *window.findChildren(QAbstractButton),
        *(label for label in window.findChildren(QLabel) if label.buddy() is not None),
    ]
    for widget in widgets:
        if not widget.isVisibleTo(window):
            continue
        text = widget.text()  # type: ignore[attr-defined]
        letter = mnemonic(text)
        if letter is not None:
            owners[letter].append(text)
    return {letter: texts for letter, texts in owners.items() if len(texts) > 1}
