"""User management for admins, and "change my password" for everyone.

The list and its buttons come from ``ui/usersdialog.ui``; the small prompts (add a user, a new password,
a new role) are a few labelled fields each, built here. Every change goes through :class:`Backend`, so the
services decide what is allowed and audit it; a refusal is shown as the service's own message, which says
what to do next. Prompts stay open after a refusal so nothing typed is lost, and the list reloads after
each change (or a conflict) so the admin always acts on what is really stored.

A reset password cannot re-seal the person's signing key (nobody typed the old password), so the reset
returns a notice; the dialog shows it with what to do next and moves the cursor to "Signing
certificate…", where the admin issues the replacement (the authority's passphrase and the person's new
password). Without that button the notice would name a task nobody could do.

Sub-dialogs are opened with ``open()`` rather than ``exec()``: the event loop keeps running, which is what
lets tests drive them, and ``pending`` holds the one that is showing.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ehdesk.domain import Role
from ehdesk.errors import ConflictError, EhdeskError
from ehdesk.gui.backend import Backend, UserRow
from ehdesk.gui.forms.ui_usersdialog import Ui_UsersDialog


def _same_twice(password: str, again: str) -> None:
    if password != again:
        raise EhdeskError("the two passwords differ: type the same password in both boxes")


class _PromptDialog(QDialog):
    """A titled form of labelled fields with OK/Cancel; OK runs :meth:`apply` and closes only if the
    backend accepted it, otherwise shows the error and keeps what was typed."""

    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(intro)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText(ok_text)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

    def _line(self, label: str, accessible: str, *, secret: bool = False) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(accessible)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self._row(label, edit)
        return edit

    def _row(self, label: str, widget: QWidget) -> None:
        caption = QLabel(label)
        caption.setBuddy(widget)
        self.form.addRow(caption, widget)

    def apply(self) -> None:
        raise NotImplementedError

    def submit(self) -> None:
        try:
            self.apply()
        except ConflictError as error:
            self.show_error(error)
            self.reject()  # what was on screen is out of date: back to the reloaded list
            return
        except EhdeskError as error:
            self.show_error(error)
            return
        self.accept()

    def show_error(self, error: EhdeskError) -> None:
        """A method so tests can see the message without a blocking box."""
        QMessageBox.warning(self, self.windowTitle(), str(error))


def _role_box(accessible: str, current: Role | None = None) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(accessible)
    for role in Role:
        box.addItem(role.title, role.value)
    if current is not None:
        box.setCurrentIndex(box.findData(current.value))
    return box


class AddUserDialog(_PromptDialog):
    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(
            "Add a user",
            "Give the new user a first password and tell it to them privately; they can change it "
            "from Change my password.",
            "A&dd user",
            parent,
        )
        self.backend = backend
        self.new_id: int | None = None
        self.username = self._line("&User name", "User name")
        self.full_name = self._line("&Full name", "Full name")
        self.role = _role_box("Role", Role.WORKER)
        self._row("&Role", self.role)
        self.password = self._line("&Password", "Password", secret=True)
        self.confirm = self._line("Password &again", "Password again", secret=True)
        self.username.setFocus()

    def apply(self) -> None:
        _same_twice(self.password.text(), self.confirm.text())
        self.new_id = self.backend.add_user(
            self.username.text(), self.full_name.text(), Role(self.role.currentData()), self.password.text()
        )


class ResetPasswordDialog(_PromptDialog):
    def __init__(self, backend: Backend, user: UserRow, parent: QWidget | None = None) -> None:
        super().__init__(
            f"Reset the password of {user.username}",
            f"Set a new password for {user.full_name}. This also unlocks the account if it was "
            "locked after failed log-ins.",
            "&Reset password",
            parent,
        )
        self.backend = backend
        self.user = user
        #: what the admin must be told after the reset (the signing key it made unusable), if anything
        self.notice: str | None = None
        self.password = self._line("&New password", "New password", secret=True)
        self.confirm = self._line("Password &again", "New password again", secret=True)
        self.password.setFocus()

    def apply(self) -> None:
        _same_twice(self.password.text(), self.confirm.text())
        self.notice = self.backend.reset_password(
            self.user.id, self.password.text(), version=self.user.version
        )


class IssueCertificateDialog(_PromptDialog):
    """A new signing certificate from the authority's CA, its key sealed with the person's own log-in
    password (so they can open it when they sign); any certificate they had stops being used."""

    def __init__(self, backend: Backend, user: UserRow, parent: QWidget | None = None) -> None:
        super().__init__(
            f"Signing certificate for {user.username}",
            f"Issue {user.full_name} a new signing certificate. Their key is locked with the password "
            "they log in with: type it here, or let them type it. The authority's signing passphrase "
            "was chosen when ehdesk was set up (ehdesk init). Any certificate they had stops being used; "
            "what they signed with it stays valid.",
            "&Issue certificate",
            parent,
        )
        self.backend = backend
        self.user = user
        self.passphrase = self._line("Authority &passphrase", "Authority signing passphrase", secret=True)
        self.password = self._line("&Their log-in password", "Their log-in password", secret=True)
        self.confirm = self._line("Password &again", "Their log-in password again", secret=True)
        self.passphrase.setFocus()

    def apply(self) -> None:
        _same_twice(self.password.text(), self.confirm.text())
        self.backend.issue_identity(self.user.id, self.passphrase.text(), self.password.text())


class ChangeRoleDialog(_PromptDialog):
    def __init__(self, backend: Backend, user: UserRow, parent: QWidget | None = None) -> None:
        super().__init__(
            f"Change the role of {user.username}",
            f"What may {user.full_name} do? The change applies from their next log-in.",
            "&Change role",
            parent,
        )
        self.backend = backend
        self.user = user
        self.role = _role_box("New role", user.role)
        self._row("&Role", self.role)
        self.role.setFocus()

    def apply(self) -> None:
        self.backend.change_role(self.user.id, Role(self.role.currentData()), version=self.user.version)


class ChangeOwnPasswordDialog(_PromptDialog):
    """Open to every role: proving the current password is the permission."""

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(
            "Change my password",
            "Type your current password, then the new one twice.",
            "Change pass&word",
            parent,
        )
        self.backend = backend
        self.current = self._line("&Current password", "Current password", secret=True)
        self.password = self._line("&New password", "New password", secret=True)
        self.confirm = self._line("Password &again", "New password again", secret=True)
        self.current.setFocus()

    def apply(self) -> None:
        _same_twice(self.password.text(), self.confirm.text())
        self.backend.change_own_password(self.current.text(), self.password.text())


class UsersDialog(QDialog):
    """The team list with Add, Reset password, Activate/Deactivate, Change role and Signing
    certificate."""

    HEADERS = ("User name", "Full name", "Role", "Status")

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.rows: list[UserRow] = []
        self.pending: QDialog | None = None
        self.ui = Ui_UsersDialog()
        self.ui.setupUi(self)
        table = self.ui.table
        table.setColumnCount(len(self.HEADERS))
        table.setHorizontalHeaderLabels(list(self.HEADERS))
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        table.verticalHeader().hide()
        table.itemSelectionChanged.connect(self._update_buttons)
        self.ui.addButton.clicked.connect(self.add_user)
        self.ui.resetButton.clicked.connect(self.reset_password)
        self.ui.activeButton.clicked.connect(self.toggle_active)
        self.ui.roleButton.clicked.connect(self.change_role)
        self.ui.signingButton.clicked.connect(self.issue_certificate)
        self.ui.closeButton.clicked.connect(self.accept)
        self.reload()
        table.setFocus()

    # the list -----------------------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        """Fetch the list again and keep (or move) the selection by user id, not by row number."""
        keep = select_id if select_id is not None else self._selected_id()
        try:
            self.rows = self.backend.list_users()
        except EhdeskError as error:
            self.rows = []
            self.show_error(error)
        table = self.ui.table
        table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            status = ("Active" if row.active else "Deactivated") + (", locked" if row.locked else "")
            for column, text in enumerate((row.username, row.full_name, row.role.title, status)):
                table.setItem(index, column, QTableWidgetItem(text))
        ids = [row.id for row in self.rows]
        if keep in ids:
            table.selectRow(ids.index(keep))
        elif self.rows:
            table.selectRow(0)
        self._update_buttons()

    def _selected_id(self) -> int | None:
        row = self.selected()
        return row.id if row is not None else None

    def selected(self) -> UserRow | None:
        index = self.ui.table.currentRow()
        selected = self.ui.table.selectionModel().hasSelection()
        return self.rows[index] if selected and 0 <= index < len(self.rows) else None

    def select_user(self, username: str) -> None:
        for index, row in enumerate(self.rows):
            if row.username == username:
                self.ui.table.selectRow(index)
                return

    def _update_buttons(self) -> None:
        row = self.selected()
        for button in (self.ui.resetButton, self.ui.activeButton, self.ui.roleButton, self.ui.signingButton):
            button.setEnabled(row is not None)
        self.ui.activeButton.setText("Ac&tivate" if row is not None and not row.active else "&Deactivate")

    def status(self, text: str) -> None:
        self.ui.status.setText(text)

    # actions ------------------------------------------------------------------------------------------
    def _open(self, dialog: QDialog, done: str) -> None:
        """Show a prompt; when it closes, reload (it may have ended in a conflict) and say what
        happened, with anything the admin must now do (a notice the prompt holds)."""
        self.pending = dialog

        def finished(code: int) -> None:
            self.pending = None
            new_id = getattr(dialog, "new_id", None)
            self.reload(select_id=new_id if isinstance(new_id, int) else None)
            if code == QDialog.DialogCode.Accepted:
                notice = getattr(dialog, "notice", None)
                if isinstance(notice, str) and notice:
                    self.needs_certificate(done, notice)
                else:
                    self.status(done)
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def add_user(self) -> None:
        self._open(AddUserDialog(self.backend, self), "User added.")

    def reset_password(self) -> None:
        row = self.selected()
        if row is not None:
            self._open(ResetPasswordDialog(self.backend, row, self), f"Password of {row.username} reset.")

    def needs_certificate(self, done: str, notice: str) -> None:
        """After a reset that made the person's signing key unusable: say so, say how to put it right
        here, and put the cursor on the button that does (the person stays selected)."""
        self.status(
            f"{done} Action needed: {notice}. Press Signing certificate… (Alt+S) to issue it now; you "
            "need the authority's signing passphrase and the new password."
        )
        self.ui.signingButton.setFocus()

    def issue_certificate(self) -> None:
        row = self.selected()
        if row is not None:
            self._open(
                IssueCertificateDialog(self.backend, row, self),
                f"Signing certificate issued for {row.username}: they sign with their log-in password.",
            )

    def change_role(self) -> None:
        row = self.selected()
        if row is not None:
            self._open(ChangeRoleDialog(self.backend, row, self), f"Role of {row.username} changed.")

    def toggle_active(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.active and not self.confirm(
            f"Deactivate {row.full_name} ({row.username})? They will not be able to log in; "
            "their records and history stay, and you can activate them again."
        ):
            return
        try:
            self.backend.set_active(row.id, not row.active, version=row.version)
        except EhdeskError as error:
            self.show_error(error)
            if isinstance(error, ConflictError):
                self.reload()
            return
        self.reload()
        self.status(f"{row.username} {'deactivated' if row.active else 'activated'}.")

    def confirm(self, question: str) -> bool:
        """A method so tests can answer it."""
        answer = QMessageBox.question(
            self,
            "Deactivate user?",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def show_error(self, error: EhdeskError) -> None:
        """A method so tests can see the message without a blocking box."""
        QMessageBox.warning(self, "Users", str(error))
