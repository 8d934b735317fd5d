"""Starting the desktop app: the QApplication, the database, signing in, and the main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

import ehdesk
from ehdesk.config import Settings
from ehdesk.errors import EhdeskError
from ehdesk.gui.backend import Backend
from ehdesk.gui.login import sign_in
from ehdesk.gui.mainwindow import MainWindow
from ehdesk.policy.pack import load_pack
from ehdesk.storage.database import open_database

ORGANISATION = "ehdesk"
APPLICATION = "ehdesk"


def configure(app: QCoreApplication) -> None:
    """Names QSettings uses to find this app's stored window state."""
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(ehdesk.__version__)


def application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv)
    configure(app)
    app.setApplicationDisplayName("ehdesk")
    return app


def open_backend(settings: Settings) -> Backend:
    """The database (upgraded to the newest schema) and the policy pack; raises :class:`EhdeskError`."""
    return Backend(open_database(settings.database_url), load_pack(settings.policy_pack))


def run_gui(settings: Settings) -> int:
    """Run the desktop app until the main window closes; the exit code for the CLI."""
    app = application()
    try:
        backend = open_backend(settings)
    except EhdeskError as error:
        QMessageBox.critical(None, "ehdesk cannot start", str(error))
        return error.exit_code
    if sign_in(backend) is None:
        return 0
    window = MainWindow(backend)
    window.show()
    QTimer.singleShot(0, window.offer_restore)
    return app.exec()
