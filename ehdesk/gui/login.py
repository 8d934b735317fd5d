"""Getting in: the login dialog, and the first-admin dialog an empty database shows instead.

A fresh install must not be a dead end: with no users yet, the person starting ehdesk creates the first
administrator there and then, and is logged in as them.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from ehdesk.errors import EhdeskError
from ehdesk.gui.forms.ui_firstadmindialog import Ui_FirstAdminDialog
from ehdesk.gui.forms.ui_logindialog import Ui_LoginDialog

if TYPE_CHECKING:  # the login dialog is painted before the services and SQLAlchemy are imported
    from ehdesk.gui.backend import Backend
    from ehdesk.services.actor import Actor


class LoginDialog(QDialog):
    """Asks for a user name and password until the login service accepts them (or the user gives up)."""

    def __init__(self, backend: Backend | None, username: str = "", parent: QWidget | None = None) -> None:
        """With ``backend`` None the dialog is shown while the database opens (start-up, issue 18):
        people can type, and logging in waits for :meth:`attach`."""
        super().__init__(parent)
        self.backend = backend
        self.actor: Actor | None = None
        self.ui = Ui_LoginDialog()
        self.ui.setupUi(self)
        self.ui.username.setText(username)
        self.ui.error.hide()
        ok = self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText("Log in")
        self.ui.buttons.accepted.connect(self.try_login)
        self.ui.buttons.rejected.connect(self.reject)
        (self.ui.password if username else self.ui.username).setFocus()
        if backend is None:
            self.ui.intro.setText("Opening the database…")
            self._enable_login(False)
        else:
            self.attach(backend)

    def _enable_login(self, enabled: bool) -> None:
        ok = self.ui.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(enabled)

    def attach(self, backend: Backend) -> None:
        """The database is open: say which one, and let people log in."""
        self.backend = backend
        self.ui.intro.setText(login_intro(backend))
        self._enable_login(True)

    def try_login(self) -> None:
        if self.backend is None:  # Enter pressed before the database opened: nothing to check yet
            return
        try:
            self.actor = self.backend.login(self.ui.username.text(), self.ui.password.text())
        except EhdeskError as error:
            self.ui.error.setText(str(error))
            self.ui.error.show()
            self.ui.password.clear()
            self.ui.password.setFocus()
            return
        self.accept()


class FirstAdminDialog(QDialog):
    """Creates the first administrator on an empty database, then logs them in."""

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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


def login_intro(backend: Backend) -> str:
    """Whose ehdesk and which database: in team mode people must see they are on the shared one."""
    authority = backend.policy.authority_name if backend.policy is not None else "ehdesk"
    return (
        f"Log in to {html.escape(authority)} Early Help with your ehdesk user name and password."
        f"<br><small>Database: {html.escape(backend.db.safe_url)}</small>"
    )


def sign_in(backend: Backend, parent: QWidget | None = None) -> Actor | None:
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
