"""File ▸ Users… for admins and Change my password… for everyone, driven as a user would."""

from __future__ import annotations

from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ehdesk.domain import Role
from ehdesk.errors import EhdeskError
from ehdesk.gui.backend import Backend
from ehdesk.gui.mainwindow import MainWindow
from ehdesk.gui.users_dialog import (
    AddUserDialog,
    ChangeOwnPasswordDialog,
    IssueCertificateDialog,
    ResetPasswordDialog,
    UsersDialog,
)
from ehdesk.signing.authority import create_authority
from ehdesk.signing.identities import active_identity, issue_identity
from ehdesk.signing.keys import open_pkcs12
from ehdesk.storage.database import Database
from ehdesk.storage.models import User
from tests.conftest import make_user
from tests.gui.conftest import PASSWORD, MakeWindow
from tests.gui.keyboard import focused, press, type_text
from tests.gui.keyboard import tab as tab_key
from tests.gui.mnemonics import clashes


def open_users(window: MainWindow, qtbot: QtBot) -> UsersDialog:
    window.action_users.trigger()
    dialog = window.pending_dialog
    assert isinstance(dialog, UsersDialog)
    qtbot.waitExposed(dialog)
    return dialog


def type_into_focus(qtbot: QtBot, text: str) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClicks(widget, text)


def tab(qtbot: QtBot) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def test_an_admin_adds_a_worker_by_keyboard_and_it_is_stored(
    window: MainWindow, backend: Backend, sqlite_db: Database, qtbot: QtBot
) -> None:
    assert window.action_users.isEnabled()
    dialog = open_users(window, qtbot)
    assert [r.username for r in dialog.rows] == ["setup-admin"]

    qtbot.mouseClick(dialog.ui.addButton, Qt.MouseButton.LeftButton)
    add = dialog.pending
    assert isinstance(add, AddUserDialog)
    qtbot.waitExposed(add)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is add.username)
    type_into_focus(qtbot, "wendy")
    tab(qtbot)
    type_into_focus(qtbot, "Wendy Jones")
    tab(qtbot)
    assert QApplication.focusWidget() is add.role
    assert add.role.currentText() == Role.WORKER.title
    tab(qtbot)
    type_into_focus(qtbot, PASSWORD)
    tab(qtbot)
    type_into_focus(qtbot, PASSWORD)
    with qtbot.waitSignal(add.finished):
        qtbot.keyClick(add.confirm, Qt.Key.Key_Return)

    assert add.result() == QDialog.DialogCode.Accepted
    with sqlite_db.session() as session:
        stored = session.scalars(select(User).where(User.username == "wendy")).one()
        assert (stored.full_name, stored.role, stored.active) == ("Wendy Jones", "worker", True)
    assert [r.username for r in dialog.rows] == ["setup-admin", "wendy"]
    selected = dialog.selected()
    assert selected is not None
    assert selected.username == "wendy"
    assert dialog.ui.status.text() == "User added."


def test_a_refused_add_shows_the_service_message_and_keeps_what_was_typed(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_users(window, qtbot)
    dialog.add_user()
    add = dialog.pending
    assert isinstance(add, AddUserDialog)
    shown: list[str] = []
    monkeypatch.setattr(add, "show_error", lambda error: shown.append(str(error)))
    add.username.setText("wendy")
    add.full_name.setText("Wendy Jones")
    add.password.setText("short")
    add.confirm.setText("short")
    add.submit()
    assert shown == ["the password is too short: use at least 10 characters"]
    assert add.isVisible()
    assert add.username.text() == "wendy"


def test_an_admin_deactivating_themself_sees_why_not(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = open_users(window, qtbot)
    shown: list[str] = []
    monkeypatch.setattr(dialog, "show_error", lambda error: shown.append(str(error)))
    monkeypatch.setattr(dialog, "confirm", lambda _question: True)
    dialog.select_user("setup-admin")
    assert dialog.ui.activeButton.text() == "&Deactivate"
    qtbot.mouseClick(dialog.ui.activeButton, Qt.MouseButton.LeftButton)
    assert shown == ["you cannot deactivate your own account; ask another admin to do it"]
    assert dialog.rows[0].active


def test_deactivating_a_user_flips_the_button_to_activate(
    window: MainWindow, sqlite_db: Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(sqlite_db, "wendy", Role.WORKER)
    dialog = open_users(window, qtbot)
    monkeypatch.setattr(dialog, "confirm", lambda _question: True)
    dialog.select_user("wendy")
    dialog.toggle_active()
    row = dialog.selected()
    assert row is not None
    assert (row.username, row.active) == ("wendy", False)
    assert dialog.ui.activeButton.text() == "Ac&tivate"
    status = dialog.ui.table.item(1, 3)
    assert status is not None
    assert status.text() == "Deactivated"


def test_every_input_in_the_user_dialogs_has_an_accessible_name(window: MainWindow, qtbot: QtBot) -> None:
    dialog = open_users(window, qtbot)
    dialog.add_user()
    add = dialog.pending
    assert isinstance(add, AddUserDialog)
    names = [w.accessibleName() for w in (add.username, add.full_name, add.role, add.password, add.confirm)]
    assert all(names), names
    assert dialog.ui.table.accessibleName() == "Users"


def test_a_worker_cannot_open_users_but_can_change_their_own_password(
    backend: Backend, sqlite_db: Database, make_window: MakeWindow, qtbot: QtBot
) -> None:
    backend.actor = make_user(sqlite_db, "wendy", Role.WORKER)
    window = make_window()
    assert not window.action_users.isEnabled()
    assert window.action_own_password.isEnabled()

    window.action_own_password.trigger()
    dialog = window.pending_dialog
    assert isinstance(dialog, ChangeOwnPasswordDialog)
    qtbot.waitExposed(dialog)
    dialog.current.setText(PASSWORD)
    dialog.password.setText("a brand new passphrase")
    dialog.confirm.setText("a brand new passphrase")
    with qtbot.waitSignal(dialog.finished):
        dialog.submit()
    assert backend.login("wendy", "a brand new passphrase").username == "wendy"
    assert window.ui.statusbar.currentMessage() == "Your password was changed."


def test_a_worker_calling_the_backend_directly_is_still_refused(
    backend: Backend, sqlite_db: Database
) -> None:
    backend.actor = make_user(sqlite_db, "wendy", Role.WORKER)
    with pytest.raises(EhdeskError, match="cannot manage users"):
        backend.list_users()


# -- a reset that makes a signing key unusable ------------------------------------------------------------

CA_PASSPHRASE = "authority passphrase"
NEW_PASSWORD = "a fresh start password"


def _manager_with_certificate(db: Database) -> int:
    """A manager holding a signing certificate sealed with their current password; returns its id."""
    admin = make_user(db, "ca-admin", Role.ADMIN)
    manager = make_user(db, "mo", Role.MANAGER)
    with db.session() as session:
        create_authority(session, admin, "Example Borough Council", CA_PASSPHRASE)
        return issue_identity(session, admin, manager.id or 0, CA_PASSPHRASE, PASSWORD).id


Prompt = TypeVar("Prompt", bound=QDialog)


def _fill_in(qtbot: QtBot, dialog: UsersDialog, kind: type[Prompt], first: str, *texts: str) -> Prompt:
    """The prompt ``dialog`` has just opened, with the cursor in its field ``first``: ``texts`` typed
    into its fields in turn (Tab between) and Enter pressed; returns once the prompt has closed."""
    qtbot.waitUntil(lambda: dialog.pending is not None)  # a mnemonic clicks after a short animation
    prompt = dialog.pending
    assert isinstance(prompt, kind)
    qtbot.waitUntil(lambda: focused() is getattr(prompt, first))
    for number, text in enumerate(texts):
        if number:
            tab_key(qtbot)
        type_text(text)
    with qtbot.waitSignal(prompt.finished):
        press(qtbot, Qt.Key.Key_Return)
    return prompt


def _reset_by_keyboard(dialog: UsersDialog, qtbot: QtBot, username: str) -> ResetPasswordDialog:
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.select_user(username)
    dialog.ui.table.setFocus()
    qtbot.waitUntil(lambda: focused() is dialog.ui.table)
    press(qtbot, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)  # &Reset password…
    return _fill_in(qtbot, dialog, ResetPasswordDialog, "password", NEW_PASSWORD, NEW_PASSWORD)


def test_resetting_a_signers_password_says_their_certificate_must_be_reissued_and_how(
    window: MainWindow, sqlite_db: Database, qtbot: QtBot
) -> None:
    _manager_with_certificate(sqlite_db)
    dialog = open_users(window, qtbot)
    _reset_by_keyboard(dialog, qtbot, "mo")

    status = dialog.ui.status.text()
    assert status.startswith("Password of mo reset. Action needed:")
    assert "mo's signing certificate is sealed with the old password and can no longer be used" in status
    assert "Press Signing certificate… (Alt+S) to issue it now" in status
    assert focused() is dialog.ui.signingButton, "the cursor waits on the button that puts it right"
    selected = dialog.selected()
    assert selected is not None
    assert selected.username == "mo"


def test_resetting_the_password_of_someone_who_cannot_sign_needs_no_action(
    window: MainWindow, sqlite_db: Database, qtbot: QtBot
) -> None:
    _manager_with_certificate(sqlite_db)
    make_user(sqlite_db, "wendy", Role.WORKER)
    dialog = open_users(window, qtbot)
    _reset_by_keyboard(dialog, qtbot, "wendy")
    assert dialog.ui.status.text() == "Password of wendy reset."


def test_after_a_reset_the_admin_issues_the_new_certificate_by_keyboard_and_it_opens_with_the_new_password(
    window: MainWindow, sqlite_db: Database, qtbot: QtBot
) -> None:
    old_identity = _manager_with_certificate(sqlite_db)
    dialog = open_users(window, qtbot)
    _reset_by_keyboard(dialog, qtbot, "mo")
    qtbot.waitUntil(lambda: focused() is dialog.ui.signingButton)
    press(qtbot, Qt.Key.Key_Space)
    fields = (CA_PASSPHRASE, NEW_PASSWORD, NEW_PASSWORD)
    issue = _fill_in(qtbot, dialog, IssueCertificateDialog, "passphrase", *fields)

    assert issue.result() == QDialog.DialogCode.Accepted
    assert dialog.ui.status.text() == (
        "Signing certificate issued for mo: they sign with their log-in password."
    )
    with sqlite_db.session() as session:
        mo = session.scalars(select(User).where(User.username == "mo")).one()
        identity = active_identity(session, mo.id)
        assert identity is not None
        assert identity.id != old_identity
        assert open_pkcs12(identity.pkcs12, NEW_PASSWORD).key is not None


@pytest.mark.parametrize(
    ("passphrase", "password", "said"),
    [
        pytest.param(
            "not the passphrase",
            PASSWORD,
            "the signing authority's passphrase is wrong; type it again (it cannot be recovered)",
            id="a wrong authority passphrase",
        ),
        pytest.param(
            CA_PASSPHRASE,
            "a mistyped password",
            "that is not mo's log-in password, and their signing key must be locked with the password "
            "they log in with (they type it to sign): type it again, or let them type it; if nobody knows "
            "it, reset their password first (Reset password…), then issue the certificate with the new one",
            id="not the person's log-in password",
        ),
    ],
)
def test_a_refused_certificate_shows_why_and_the_prompt_keeps_what_was_typed(
    window: MainWindow,
    sqlite_db: Database,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    passphrase: str,
    password: str,
    said: str,
) -> None:
    _manager_with_certificate(sqlite_db)
    dialog = open_users(window, qtbot)
    dialog.select_user("mo")
    dialog.issue_certificate()
    issue = dialog.pending
    assert isinstance(issue, IssueCertificateDialog)
    shown: list[str] = []
    monkeypatch.setattr(issue, "show_error", lambda error: shown.append(str(error)))
    issue.passphrase.setText(passphrase)
    issue.password.setText(password)
    issue.confirm.setText(password)
    issue.submit()
    assert shown == [said]
    assert issue.isVisible()
    typed = (issue.passphrase.text(), issue.password.text(), issue.confirm.text())
    assert typed == (passphrase, password, password)


def test_the_users_window_and_the_certificate_prompt_give_each_button_and_field_its_own_letter(
    window: MainWindow, sqlite_db: Database, qtbot: QtBot
) -> None:
    _manager_with_certificate(sqlite_db)
    dialog = open_users(window, qtbot)
    assert clashes(dialog) == {}
    dialog.select_user("mo")
    dialog.issue_certificate()
    issue = dialog.pending
    assert isinstance(issue, IssueCertificateDialog)
    qtbot.waitExposed(issue)
    assert clashes(issue) == {}
    assert all(w.accessibleName() for w in (issue.passphrase, issue.password, issue.confirm))
