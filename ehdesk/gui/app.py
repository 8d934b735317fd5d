"""Starting the desktop app: the QApplication, the database, signing in, and the main window.

Start-up order is chosen for how fast it feels (issue 18). The login dialog is painted first, from Qt
and the compiled form alone, while a helper thread imports the rest (:data:`PRELOADED`) in the order it
is needed: SQLAlchemy, the models and the log-in part of the Desk first, so the database is opened and
the person can log in as soon as possible; then the other areas' services and the main window, which
go on importing while the password is checked (argon2 releases the GIL, imports hold it, so with a
second core the two overlap). Only once the log-in has succeeded is the whole Desk made, acting as that
user, and the main window built.
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
    from ehdesk.desk.people import PeopleDesk
    from ehdesk.gui.backend import Backend

ORGANISATION = "ehdesk"
APPLICATION = "ehdesk"
NO_USERS = 2
"""The login dialog's result when the database has no users yet: the first-admin dialog follows."""


@dataclass(frozen=True)
class StartupProbe:
    """A hook for measuring start-up (benchmarks/bench_startup.py), never set by the ``ehdesk`` command.

    ``painted`` is called with "login" when the login dialog is first painted, "opened" when the database
    is open and the dialog can log in, "submitted" when the automated credentials are submitted,
    "settled" when that log-in is settled (the password checked) and "main" when the main window is
    painted; ``credentials``, if given, are typed into the login dialog as soon as it can log in.
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
    "ehdesk.desk.people",
    "ehdesk.policy.pack",
    "ehdesk.gui.backend",
    "ehdesk.gui.mainwindow",
)
"""What the log-in, the Desk and the main window need, in that order, imported on a helper thread from
the moment the process starts (issue 18): SQLAlchemy, the models, the services and the pages take
longer to import than Qt takes to paint the login dialog. The first two are all the log-in needs
(:func:`open_door`); the rest is imported while the password is checked."""


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


def open_door(settings: Settings) -> PeopleDesk:
    """The log-in part of the Desk on the database (upgraded to the newest schema) and the policy pack;
    raises :class:`EhdeskError`. Needs only the first of :data:`PRELOADED`, not the whole Desk."""
    from ehdesk.desk.people import PeopleDesk
    from ehdesk.policy.pack import load_pack
    from ehdesk.storage.database import open_database

    return PeopleDesk(open_database(settings.database_url), load_pack(settings.policy_pack))


def backend_for(door: PeopleDesk) -> Backend:
    """The whole Desk for the main window: the database and pack the log-in used, acting as the user
    who logged in through ``door``."""
    from ehdesk.gui.backend import Backend

    return Backend(door.db, door.policy, actor=door.actor)


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
    door: PeopleDesk | None = None
    error: EhdeskError | None = None


def _open_behind(login: LoginDialog, settings: Settings, probe: StartupProbe | None) -> _Opening:
    """Once the login dialog is on screen, open the database and hand it to the dialog."""
    opening = _Opening()

    def open_now() -> None:
        if probe is not None:
            probe.painted("login")
        try:
            door = open_door(settings)
            has_users = door.count_users() > 0
        except EhdeskError as error:
            opening.error = error
            login.reject()
            return
        opening.door = door
        if not has_users:
            login.done(NO_USERS)
            return
        login.attach(door)
        if probe is not None:
            probe.painted("opened")
            login.settled.connect(lambda: probe.painted("settled"))
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
    door = opening.door
    if opening.error is not None or door is None:
        if opening.error is not None:
            QMessageBox.critical(None, "ehdesk cannot start", str(opening.error))
            return opening.error.exit_code
        return 0
    if result == NO_USERS:
        first = FirstAdminDialog(door)
        if first.exec() != QDialog.DialogCode.Accepted or first.actor is None:
            return 0
    elif result != QDialog.DialogCode.Accepted or login.actor is None:
        return 0
    backend = backend_for(door)
    if backend.actor is not None:
        QSettings().setValue(LAST_USER_KEY, backend.actor.username)

    from ehdesk.gui.mainwindow import MainWindow

    window = MainWindow(backend)
    if probe is not None:
        _FirstPaint(window, lambda: probe.painted("main"))
    window.show()
    QTimer.singleShot(0, window.offer_restore)
    return app.exec()
