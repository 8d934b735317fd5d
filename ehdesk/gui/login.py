"""Getting in: the login dialog, and the first-admin dialog an empty database shows instead.

A fresh install must not be a dead end: with no users yet, the person starting ehdesk creates the first
administrator there and then, and is logged in as them.

Both dialogs need only the log-in part of the Desk (:class:`~ehdesk.desk.people.PeopleDesk`): at
start-up the rest of the Desk and the main window are still being imported behind them (issue 18).
The password is checked on a thread of its own (argon2 releases the GIL, so those imports go on
meanwhile); the log-in's rules — counting, lock-out, one message, audit — are the core's, in
:mod:`ehdesk.services.users`; this dialog only chooses the thread.
"""

from __future__ import annotations

import contextlib
import html
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from ehdesk.errors import EhdeskError
from ehdesk.gui.forms.ui_logindialog import Ui_LoginDialog

if TYPE_CHECKING:  # the login dialog is painted before the services and SQLAlchemy are imported
    from ehdesk.desk.people import PeopleDesk
    from ehdesk.services.actor import Actor
    from ehdesk.services.users import LoginAttempt


NAME_IN_PASSWORD = "That is the user name; type the password here"
"""Said, and no attempt counted, when the Password box holds the user name at Log in."""


class LoginDialog(QDialog):
    """Asks for a user name and password until the login service accepts them (or the user gives up)."""

    settled = Signal()
    """A log-in was settled: accepted (the dialog then closes), refused, or not sent as an attempt (the
    user name in Password); the message is shown."""
    _checked = Signal()  # emitted on the check's thread; delivered on the dialog's

    def __init__(self, backend: PeopleDesk | None, username: str = "", parent: QWidget | None = None) -> None:
        """With ``backend`` None the dialog is shown while the database opens (start-up, issue 18):
        people can type, and logging in waits for :meth:`attach`.

        With the last user's name filled in, the cursor starts in Password (the usual desktop habit):
        a password typed straight away goes where nothing typed is shown. Starting in User name with the
        name selected instead put the password, in clear, over the name of whoever relied on it. The
        other habit — name, Tab, password — then types the name into Password; :meth:`try_login`
        catches that slip (see :data:`NAME_IN_PASSWORD`) without counting an attempt. With no name
        remembered the cursor starts in User name."""
        super().__init__(parent)
        self.backend = backend
        self.actor: Actor | None = None
        self._attempt: LoginAttempt | None = None
        self.ui = Ui_LoginDialog()
        self.ui.setupUi(self)
        self.ui.username.setText(username)
        self.ui.error.hide()
        ok = self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText("Log in")
        self.ui.buttons.accepted.connect(self.try_login)
        self.ui.buttons.rejected.connect(self.reject)
        self._checked.connect(self._settle, Qt.ConnectionType.QueuedConnection)
        if username:
            self.ui.password.setFocus()
        else:
            self.ui.username.setFocus()
        if backend is None:
            self.ui.intro.setText("Opening the database…")
            self._enable_login(False)
        else:
            self.attach(backend)

    def _enable_login(self, enabled: bool) -> None:
        ok = self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(enabled)

    def attach(self, backend: PeopleDesk) -> None:
        """The database is open: say which one, and let people log in."""
        self.backend = backend
        self.ui.intro.setText(login_intro(backend))
        self._enable_login(True)

    @property
    def checking(self) -> bool:
        """A password is being checked (the fields are read-only and Log in is off until it is settled)."""
        return self._attempt is not None

    def try_login(self) -> None:
        """Count the attempt now and check the password on a thread of its own; :attr:`settled` follows
        (and the dialog accepts) once the check is done. Enter pressed again meanwhile does nothing."""
        if self.backend is None or self._attempt is not None:  # the database is not open yet, or busy
            return
        if self._name_in_password():
            self._slip()
            return
        try:
            attempt = self.backend.begin_login(self.ui.username.text(), self.ui.password.text())
        except EhdeskError as error:
            self._refused(error)
            self.settled.emit()
            return
        self._attempt = attempt
        self._busy(True)
        threading.Thread(target=self._check, args=(attempt,), name="ehdesk-login-check", daemon=True).start()

    def _name_in_password(self) -> bool:
        """The Password box holds the user name: typed there by the name-Tab-password habit while the
        cursor already was in Password. Never a real password (the password rules refuse the user name,
        :func:`ehdesk.services.users._check_password`), so it is not sent as an attempt."""
        name = self.ui.username.text().strip()
        return bool(name) and self.ui.password.text().strip().lower() == name.lower()

    def _slip(self) -> None:
        self.ui.error.setText(NAME_IN_PASSWORD)
        self.ui.error.show()
        self.ui.password.clear()
        self.ui.password.setFocus()
        self.settled.emit()

    def _check(self, attempt: LoginAttempt) -> None:
        """On the check's thread: argon2 and nothing else (no widget, no database), then back — even if
        the check failed, so the dialog never waits for ever (settling asks the attempt again)."""
        try:
            attempt.check()
        finally:
            with contextlib.suppress(RuntimeError):  # the dialog is gone; closing it settled the attempt
                self._checked.emit()

    def _settle(self) -> None:
        attempt, self._attempt = self._attempt, None
        if attempt is None or self.backend is None:  # settled already, by a cancel
            return
        self._busy(False)
        try:
            self.actor = self.backend.finish_login(attempt)
        except EhdeskError as error:
            self._refused(error)
            self.settled.emit()
            return
        self.accept()
        self.settled.emit()

    def _busy(self, busy: bool) -> None:
        self.ui.username.setReadOnly(busy)  # read-only, not disabled: the cursor stays where it was
        self.ui.password.setReadOnly(busy)
        self._enable_login(not busy)

    def _refused(self, error: EhdeskError) -> None:
        self.ui.error.setText(str(error))
        self.ui.error.show()
        self.ui.password.clear()
        self.ui.password.setFocus()

    def reject(self) -> None:
        """Cancel. An attempt being checked is settled first — counted, audited, the count reset on a
        right password — exactly as if the person had waited; nobody is logged in by it."""
        attempt, self._attempt = self._attempt, None
        if attempt is not None and self.backend is not None:
            before = self.backend.actor
            with contextlib.suppress(EhdeskError):
                self.backend.finish_login(attempt)
            self.backend.actor = before
            self._busy(False)
        super().reject()


class FirstAdminDialog(QDialog):
    """Creates the first administrator on an empty database, then logs them in."""

    def __init__(self, backend: PeopleDesk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from ehdesk.gui.forms.ui_firstadmindialog import Ui_FirstAdminDialog  # an empty database only

        self.backend = backend
        self.actor: Actor | None = None
        self.ui = Ui_FirstAdminDialog()
        self.ui.setupUi(self)
        from ehdesk.services.users import MIN_PASSWORD_LENGTH

        self.ui.password.setPlaceholderText(f"at least {MIN_PASSWORD_LENGTH} characters")
        self.ui.error.hide()
        ok = self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText("Create and log in")
        self.ui.buttons.accepted.connect(self.try_create)
        self.ui.buttons.rejected.connect(self.reject)

    def _fail(self, message: str) -> None:
        self.ui.error.setText(message)
        self.ui.error.show()

    def try_create(self) -> None:
        username = self.ui.username.text().strip()
        full_name = self.ui.fullName.text().strip()
        password = self.ui.password.text()
        if not username or not full_name:
            self._fail("Enter a user name and the person's full name.")
            return
        if password != self.ui.confirm.text():
            self._fail("The two passwords differ: type the same password twice.")
            self.ui.confirm.clear()
            self.ui.confirm.setFocus()
            return
        try:
            self.backend.create_first_admin(username, full_name, password)
            self.actor = self.backend.login(username, password)
        except EhdeskError as error:
            self._fail(str(error))
            return
        self.accept()


LAST_USER_KEY = "login/username"


def login_intro(backend: PeopleDesk) -> str:
    """Whose ehdesk and which database: in team mode people must see they are on the shared one."""
    authority = backend.policy.authority_name if backend.policy is not None else "ehdesk"
    return (
        f"Log in to {html.escape(authority)} Early Help with your ehdesk user name and password."
        f"<br><small>Database: {html.escape(backend.db.safe_url)}</small>"
    )


def sign_in(backend: PeopleDesk, parent: QWidget | None = None) -> Actor | None:
    """The start-up conversation: first admin on an empty database, otherwise the login dialog
    (with the last user name on this computer filled in, so people type only their password)."""
    if backend.count_users() == 0:
        first = FirstAdminDialog(backend, parent)
        if first.exec() != QDialog.DialogCode.Accepted:
            return None
        return first.actor
    last = QSettings().value(LAST_USER_KEY, "")
    login = LoginDialog(backend, username=last if isinstance(last, str) else "", parent=parent)
    if login.exec() != QDialog.DialogCode.Accepted or login.actor is None:
        return None
    QSettings().setValue(LAST_USER_KEY, login.actor.username)
    return login.actor
