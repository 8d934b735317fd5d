"""Starting the desktop app: the QApplication, the database, signing in, and the main window.

Start-up order is chosen for how fast it feels (issue 18): the login dialog is painted first, from Qt
and the compiled form alone; only then are SQLAlchemy, the models and the services imported and the
database opened, while the person types. The main window and its pages are imported after login.
"""

from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

import ehdesk
from ehdesk.config import Settings
from ehdesk.errors import EhdeskError
from ehdesk.gui.login import LAST_USER_KEY, FirstAdminDialog, LoginDialog
from ehdesk.storage.filemodes import private_settings_file

if TYPE_CHECKING:
    from ehdesk.gui.backend import Backend

ORGANISATION = "ehdesk"
APPLICATION = "ehdesk"
NO_USERS = 2
"""The login dialog's result when the database has no users yet: the first-admin dialog follows."""


@dataclass(frozen=True)
class StartupProbe:
    """A hook for measuring start-up (benchmarks/bench_startup.py), never set by the ``ehdesk`` command.

    ``painted`` is called with "login" when the login dialog is first painted, "submitted" when the
    automated credentials are submitted and "main" when the main window is painted; ``credentials``, if
    given, are typed into the login dialog as soon as it can log in.
    """

    painted: Callable[[str], None]
    credentials: tuple[str, str] | None = None


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


PRELOADED = (
    "ehdesk.storage.database",
    "ehdesk.policy.pack",
    "ehdesk.gui.backend",
    "ehdesk.gui.mainwindow",
)
"""What the first unit of work and the main window need, imported on a helper thread from the moment the
process starts (issue 18): SQLAlchemy, the models, the services and the pages take longer to import
than Qt takes to paint the login dialog, and on two or more cores both proceed at once."""


def preload() -> threading.Thread:
    """Start importing :data:`PRELOADED` behind the login dialog. Only imports: the database is opened
    on the GUI thread, where its errors are shown. A module the GUI thread asks for meanwhile simply
    waits for the import in progress (Python's per-module import lock)."""

    def run() -> None:
        for name in PRELOADED:
            try:
                importlib.import_module(name)
            except Exception:  # the GUI thread imports it again and shows the error
                return

    thread = threading.Thread(target=run, name="ehdesk-preload", daemon=True)
    thread.start()
    return thread


def open_backend(settings: Settings) -> Backend:
    """The database (upgraded to the newest schema) and the policy pack; raises :class:`EhdeskError`."""
    from ehdesk.gui.backend import Backend
    from ehdesk.policy.pack import load_pack
    from ehdesk.storage.database import open_database

    return Backend(open_database(settings.database_url), load_pack(settings.policy_pack))


class _FirstPaint(QObject):
    """Calls ``then`` once, just after ``widget`` is first painted (the paint itself is not delayed)."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._then: Callable[[], None] | None = then
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.Paint and self._then is not None:
            then, self._then = self._then, None
            QTimer.singleShot(0, then)
        return False


@dataclass
class _Opening:
    backend: Backend | None = None
    error: EhdeskError | None = None


def _open_behind(login: LoginDialog, settings: Settings, probe: StartupProbe | None) -> _Opening:
    """Once the login dialog is on screen, open the database and hand it to the dialog."""
    opening = _Opening()

    def open_now() -> None:
        if probe is not None:
            probe.painted("login")
        try:
            backend = open_backend(settings)
            has_users = backend.count_users() > 0
        except EhdeskError as error:
            opening.error = error
            login.reject()
            return
        opening.backend = backend
        if not has_users:
            login.done(NO_USERS)
            return
        login.attach(backend)
        if probe is not None and probe.credentials is not None:
            login.ui.username.setText(probe.credentials[0])
            login.ui.password.setText(probe.credentials[1])
            probe.painted("submitted")  # the moment a person would press Enter
            login.try_login()

    _FirstPaint(login, open_now)
    return opening


def run_gui(settings: Settings, *, probe: StartupProbe | None = None) -> int:
    """Run the desktop app until the main window closes; the exit code for the CLI."""
    preload()
    app = application()
    private_settings_file(Path(QSettings().fileName()))  # holds the last user name: owner only, as data
    last = QSettings().value(LAST_USER_KEY, "")
    login = LoginDialog(None, username=last if isinstance(last, str) else "")
    opening = _open_behind(login, settings, probe)
    result = login.exec()
    backend = opening.backend
    if opening.error is not None or backend is None:
        if opening.error is not None:
            QMessageBox.critical(None, "ehdesk cannot start", str(opening.error))
            return opening.error.exit_code
        return 0
    if result == NO_USERS:
        first = FirstAdminDialog(backend)
        if first.exec() != QDialog.DialogCode.Accepted or first.actor is None:
            return 0
    elif result != QDialog.DialogCode.Accepted or login.actor is None:
        return 0
    if backend.actor is not None:
        QSettings().setValue(LAST_USER_KEY, backend.actor.username)

    from ehdesk.gui.mainwindow import MainWindow

    window = MainWindow(backend)
    if probe is not None:
        _FirstPaint(window, lambda: probe.painted("main"))
    window.show()
    QTimer.singleShot(0, window.offer_restore)
    return app.exec()
