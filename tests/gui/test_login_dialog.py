"""The login dialog as people use it: with a name remembered the cursor is in Password, the name typed
there by habit is caught without counting an attempt, and the password is checked off the GUI thread
without changing what a log-in counts, says or audits.

Keys are real key events sent to whichever widget has the focus (tests/gui/keyboard.py).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ehdesk.config import load_settings
from ehdesk.desk.people import PeopleDesk
from ehdesk.domain import Role
from ehdesk.gui.app import StartupProbe, run_gui
from ehdesk.gui.login import LAST_USER_KEY, NAME_IN_PASSWORD, LoginDialog
from ehdesk.gui.mainwindow import MainWindow
from ehdesk.policy.pack import load_pack
from ehdesk.services import users
from ehdesk.storage.database import Database
from ehdesk.storage.models import AuditEvent, User
from tests.conftest import make_user
from tests.gui.conftest import PASSWORD
from tests.gui.keyboard import focused, press, tab, type_text
from tests.gui.screens import shown


@pytest.fixture
def door(sqlite_db: Database) -> PeopleDesk:
    """The log-in part of the Desk, as start-up hands it to the dialog; nobody logged in."""
    make_user(sqlite_db, "amira", Role.ADMIN)
    make_user(sqlite_db, "wendy", Role.WORKER)
    return PeopleDesk(sqlite_db, load_pack(None))


def _attempts_counted(door: PeopleDesk, username: str) -> int:
    with door.db.read() as session:
        return session.scalar(select(User.failed_logins).where(User.username == username)) or 0


def test_with_a_remembered_name_a_password_typed_at_once_goes_into_password(
    qtbot: QtBot, door: PeopleDesk
) -> None:
    """The habit of relying on the remembered name: the password typed straight away lands where it is
    not shown, and logs in."""
    dialog = shown(qtbot, LoginDialog(door, username="wendy"))
    assert focused() is dialog.ui.password
    type_text(PASSWORD)
    assert dialog.ui.username.text() == "wendy"  # not overwritten with the password, in clear
    with qtbot.waitSignal(dialog.settled):
        press(qtbot, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None
    assert dialog.actor.username == "wendy"


def test_name_tab_password_over_a_remembered_name_is_caught_without_counting_an_attempt(
    qtbot: QtBot, door: PeopleDesk
) -> None:
    """The other habit: the name goes into Password (the cursor was there), Tab leaves it, the password
    goes nowhere. At Log in the name is not sent as a password: the box is cleared, the cursor stays
    there with a message, and the password typed next logs in."""
    dialog = shown(qtbot, LoginDialog(door, username="wendy"))
    type_text("wendy")
    tab(qtbot)
    type_text(PASSWORD.replace(" ", ""))  # a space would press whichever button Tab reached
    with qtbot.waitSignal(dialog.settled):
        press(qtbot, Qt.Key.Key_Return)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.ui.error.text() == NAME_IN_PASSWORD
    assert dialog.ui.password.text() == ""
    assert focused() is dialog.ui.password
    assert _attempts_counted(door, "wendy") == 0
    type_text(PASSWORD)
    with qtbot.waitSignal(dialog.settled):
        press(qtbot, Qt.Key.Key_Return)
    assert dialog.actor is not None
    assert dialog.actor.username == "wendy"


def test_someone_else_goes_back_to_user_name_and_types_over_the_remembered_one(
    qtbot: QtBot, door: PeopleDesk
) -> None:
    """Someone else logged in last: Shift+Tab to User name, their name over the selected one, Tab,
    password."""
    dialog = shown(qtbot, LoginDialog(door, username="amira"))
    press(qtbot, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is dialog.ui.username
    assert dialog.ui.username.selectedText() == "amira"  # a Tab into a line edit selects its text
    type_text("wendy")
    assert dialog.ui.username.text() == "wendy"
    assert tab(qtbot) is dialog.ui.password
    type_text(PASSWORD)
    with qtbot.waitSignal(dialog.settled):
        press(qtbot, Qt.Key.Key_Return)
    assert dialog.actor is not None
    assert dialog.actor.username == "wendy"


def test_with_no_remembered_name_the_cursor_is_in_user_name(qtbot: QtBot, door: PeopleDesk) -> None:
    dialog = shown(qtbot, LoginDialog(door))
    assert focused() is dialog.ui.username
    type_text("wendy")
    assert dialog.ui.username.text() == "wendy"


def _log_in_as_wendy(qtbot: QtBot, door: PeopleDesk, password: str) -> LoginDialog:
    """The dialog shown with wendy remembered (the cursor in Password), ``password`` typed, Enter."""
    dialog = shown(qtbot, LoginDialog(door, username="wendy"))
    type_text(password)
    press(qtbot, Qt.Key.Key_Return)
    return dialog


class HeldCheck:
    """Holds every password check until :meth:`release`, so a test can act while one is in progress;
    counts the checks and the threads they ran on."""

    def __init__(self) -> None:
        self.calls = 0
        self.threads: list[str] = []
        self._go = threading.Event()
        self._real = users._password_matches

    def __call__(self, password_hash: str, password: str) -> bool:
        self.calls += 1
        self.threads.append(threading.current_thread().name)
        assert self._go.wait(timeout=30), "the test never released the check"
        return self._real(password_hash, password)

    def release(self) -> None:
        self._go.set()


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldCheck]:
    check = HeldCheck()
    monkeypatch.setattr(users, "_password_matches", check)
    yield check
    check.release()  # never leave a check thread waiting


def test_the_password_is_checked_off_the_gui_thread_and_enter_meanwhile_starts_nothing(
    qtbot: QtBot, door: PeopleDesk, held: HeldCheck
) -> None:
    dialog = _log_in_as_wendy(qtbot, door, PASSWORD)
    qtbot.waitUntil(lambda: held.calls == 1)
    assert dialog.checking
    assert dialog.isVisible()  # the dialog is painted and answering while argon2 runs
    assert dialog.ui.password.isReadOnly()
    assert dialog.ui.username.isReadOnly()
    ok = dialog.ui.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok is not None
    assert not ok.isEnabled()
    press(qtbot, Qt.Key.Key_Return)  # an impatient second Enter
    with qtbot.waitSignal(dialog.settled):
        held.release()
    assert held.calls == 1
    assert held.threads == ["ehdesk-login-check"]  # not the GUI thread
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert door.actor is not None


def test_a_wrong_password_checked_off_thread_is_refused_with_the_one_message(
    qtbot: QtBot, door: PeopleDesk
) -> None:
    dialog = _log_in_as_wendy(qtbot, door, "not the password")
    qtbot.waitUntil(lambda: not dialog.checking)  # settled: the refusal is shown
    assert dialog.ui.error.text() == users.LOGIN_FAILED
    assert dialog.ui.password.text() == ""
    assert focused() is dialog.ui.password
    assert not dialog.ui.password.isReadOnly()  # ready for the next try
    assert door.actor is None
    with door.db.read() as session:
        failed = session.scalars(select(User.failed_logins).where(User.username == "wendy")).one()
    assert failed == 1


@pytest.mark.parametrize(("password", "counted"), [("not the password", 1), (PASSWORD, 0)])
def test_cancelling_while_the_password_is_checked_settles_the_attempt_and_logs_nobody_in(
    qtbot: QtBot, door: PeopleDesk, held: HeldCheck, password: str, counted: int
) -> None:
    """A guesser cannot dodge the count (or its audit) by closing the dialog mid-check."""
    dialog = _log_in_as_wendy(qtbot, door, password)
    qtbot.waitUntil(lambda: held.calls == 1)
    held.release()
    press(qtbot, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    qtbot.waitUntil(lambda: "ehdesk-login-check" not in {t.name for t in threading.enumerate()})
    QApplication.processEvents()  # the check's late "done" arrives, and changes nothing
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.actor is None
    assert door.actor is None
    assert held.calls == 1
    with door.db.read() as session:
        failed = session.scalars(select(User.failed_logins).where(User.username == "wendy")).one()
        audited = session.scalars(select(AuditEvent.action).where(AuditEvent.action == "login-failed")).all()
    assert failed == counted
    assert len(audited) == counted


def test_start_up_logs_in_through_the_log_in_desk_and_opens_the_window_as_that_user(
    qtbot: QtBot, door: PeopleDesk, tmp_path: Path
) -> None:
    """The whole start-up as ``ehdesk`` runs it, the credentials typed by the probe: each stage in turn,
    and the main window's Desk acting as the user who logged in."""
    stages: list[str] = []
    users_shown: list[str] = []

    def painted(stage: str) -> None:
        stages.append(stage)
        if stage == "main":
            window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
            qtbot.addWidget(window)  # closed and deleted at teardown
            actor = window.backend.actor
            users_shown.append(actor.username if actor is not None else "")
            QApplication.exit(0)  # run_gui's event loop, and nothing left queued for the next test's

    settings = load_settings(database=f"sqlite:///{tmp_path / 'ehdesk.sqlite3'}")  # the door's database
    assert run_gui(settings, probe=StartupProbe(painted, ("wendy", PASSWORD))) == 0
    assert stages == ["login", "opened", "submitted", "settled", "main"]
    assert users_shown == ["wendy"]
    assert QSettings().value(LAST_USER_KEY) == "wendy"
