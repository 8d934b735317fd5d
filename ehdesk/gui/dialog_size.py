"""Record and form dialogs open big enough for their content, within the screen, and remember their size.

A fixed opening size cut off the share form's data items on a wide screen (a 660 px dialog on a
1600 px screen): the dialog now asks its content how wide its widest row is, opens at that (never
smaller than its old default, never more than nine tenths of the screen's free area), and once a
person has resized it, opens at their size from then on (kept with QSettings, like the main window).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog

SCREEN_SHARE = 0.9  # at most this much of the screen's available width and height
SETTINGS_GROUP = "dialogs"


def _key(name: str) -> str:
    return f"{SETTINGS_GROUP}/{name}/size"


def available_size(dialog: QDialog) -> QSize:
    """The free area of the screen the dialog will open on (its parent's, else the primary one)."""
    parent = dialog.parentWidget()
    screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size()


def opening_size(wanted: QSize, minimum: QSize, available: QSize) -> QSize:
    """``wanted`` grown to at least ``minimum`` and cut to nine tenths of ``available``."""
    cap_w, cap_h = int(available.width() * SCREEN_SHARE), int(available.height() * SCREEN_SHARE)
    return QSize(
        min(max(wanted.width(), minimum.width()), cap_w),
        min(max(wanted.height(), minimum.height()), cap_h),
    )


def fit_dialog(dialog: QDialog, name: str, minimum: QSize) -> None:
    """Size ``dialog`` for its content (or as last left under ``name``) and remember it when it closes."""
    available = available_size(dialog)
    stored = QSettings().value(_key(name))
    wanted = stored if isinstance(stored, QSize) and stored.isValid() else dialog.sizeHint()
    dialog.resize(opening_size(wanted, minimum if wanted is not stored else QSize(0, 0), available))
    dialog.finished.connect(lambda _result: QSettings().setValue(_key(name), dialog.size()))
