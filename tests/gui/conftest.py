"""GUI fixtures: QSettings in a temp folder, a backend on a fresh SQLite database, a logged-in window.

GUI tests use SQLite only (``sqlite_db``): what they prove is the window's behaviour; the services
under it are tested on PostgreSQL as well by the integration tests.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from ehdesk.domain import Role
from ehdesk.gui.app import configure
from ehdesk.gui.backend import Backend
from ehdesk.gui.mainwindow import MainWindow
from ehdesk.policy.pack import load_pack
from ehdesk.storage.database import Database
from tests.conftest import PASSWORD, make_user

__all__ = ["PASSWORD"]


@pytest.fixture(autouse=True)
def _qsettings_in_tmp(qapp: QApplication, tmp_path: Path) -> None:
    """Window state goes to a temp folder, never the tester's own ehdesk settings."""
    configure(qapp)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def backend(sqlite_db: Database) -> Backend:
    """Logged in as an admin (admins key referrals), with the default policy pack."""
    admin = make_user(sqlite_db, "setup-admin", Role.ADMIN)
    return Backend(sqlite_db, load_pack(None), actor=admin)


MakeWindow = Callable[[], MainWindow]


@pytest.fixture
def make_window(qtbot: QtBot, backend: Backend, monkeypatch: pytest.MonkeyPatch) -> MakeWindow:
    """Builds shown, active main windows; closing one at teardown discards rather than asks."""
    made: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow(backend)
        monkeypatch.setattr(window, "ask_unsaved", lambda: QMessageBox.StandardButton.Discard)
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()
        qtbot.waitExposed(window)
        qtbot.waitUntil(window.isActiveWindow)
        made.append(window)
        return window

    return make


@pytest.fixture
def window(make_window: MakeWindow) -> MainWindow:
    return make_window()
