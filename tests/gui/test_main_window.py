"""Getting in, the window's chrome, remembered state and the lazily loaded family list."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QModelIndex, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog
from pytestqt.qtbot import QtBot

from ehdesk.domain import Role
from ehdesk.gui.backend import Backend, FamilyRow
from ehdesk.gui.family_model import FamilyTableModel
from ehdesk.gui.login import LAST_USER_KEY, FirstAdminDialog, LoginDialog, sign_in
from ehdesk.gui.mainwindow import MainWindow, view_key
from ehdesk.policy.pack import load_pack
from ehdesk.storage.database import Database
from tests.conftest import make_user
from tests.gui.conftest import PASSWORD, MakeWindow
from tests.gui.keyboard import press, type_text


def test_an_empty_database_offers_to_create_the_first_admin_and_logs_them_in(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    backend = Backend(sqlite_db, load_pack(None))
    assert backend.count_users() == 0
    dialog = FirstAdminDialog(backend)
    qtbot.addWidget(dialog)
    assert dialog.ui.password.placeholderText() == "at least 10 characters"  # said before, not after
    dialog.ui.username.setText("amira")
    dialog.ui.fullName.setText("Amira Hassan")
    dialog.ui.password.setText(PASSWORD)
    dialog.ui.confirm.setText("something else")
    dialog.try_create()
    assert dialog.ui.error.isVisibleTo(dialog)
    assert backend.count_users() == 0
    dialog.ui.confirm.setText(PASSWORD)
    dialog.try_create()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert backend.actor is not None
    assert backend.actor.username == "amira"
    assert backend.actor.role == "admin"


def test_login_shows_the_service_message_and_keeps_the_user_name(backend: Backend, qtbot: QtBot) -> None:
    backend.actor = None
    dialog = LoginDialog(backend, username="setup-admin")
    qtbot.addWidget(dialog)
    dialog.ui.password.setText("wrong")
    with qtbot.waitSignal(dialog.settled):  # the password is checked on a thread of its own
        dialog.try_login()
    assert "wrong user name or password" in dialog.ui.error.text()
    assert dialog.ui.username.text() == "setup-admin"
    dialog.ui.password.setText(PASSWORD)
    with qtbot.waitSignal(dialog.settled):
        dialog.try_login()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert backend.actor is not None


def test_status_bar_shows_who_is_logged_in_and_their_role(window: MainWindow) -> None:
    assert "Set-up Admin" in window.user_label.text()
    assert "Admin team" in window.user_label.text()
    menus = [a.text().replace("&", "") for a in window.ui.menubar.actions()]
    assert menus == ["File", "Edit", "View", "Referral", "Help"]


def test_standard_shortcuts(window: MainWindow) -> None:
    ui = window.ui
    assert ui.actionNewReferral.shortcut().toString() == "Ctrl+N"
    assert ui.actionSave.shortcut().toString() == "Ctrl+S"
    assert [k.toString() for k in ui.actionSaveAndNext.shortcuts()] == [
        "Ctrl+Shift+S",
        "Ctrl+Return",
        "Ctrl+Enter",
    ]
    assert ui.actionFindFamily.shortcut().toString() == "Ctrl+F"


def test_the_window_opens_maximised_first_then_as_it_was_left(make_window: MakeWindow) -> None:
    first = make_window()
    assert first.isMaximized(), "the first run gives the long referral form the whole screen"
    first.show_referral()
    first.showNormal()
    first.resize(700, 500)  # the offscreen screen is small; stay inside it
    first.close()
    assert QSettings().value(view_key("setup-admin")) == "referral"
    second = make_window()
    assert second.current_view == "referral"
    assert not second.isMaximized()
    assert second.size().width() == 700


def test_family_search_finds_by_name_postcode_and_birth_date_while_typing(
    window: MainWindow, backend: Backend, qtbot: QtBot
) -> None:
    born = date.today() - timedelta(days=365 * 6)
    for given, family, postcode in (("Ava", "Smith", "LS6 2AB"), ("Noah", "Jones", "M1 1AE")):
        backend.create_referral(
            {
                "received_on": date.today().isoformat(),
                "how_received": "paper",
                "referrer_name": "Ruth Ng",
                "postcode": postcode,
                "children": [{"given_name": given, "family_name": family, "birth_date": born.isoformat()}],
                "reasons": "Help with routines",
                "discussed_with_parent": True,
            },
            confirmed_warnings=True,
        )
    press(qtbot, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view == "families"
    page = window.families
    type_text("jones")
    assert page.search_pending  # debounced: nothing ran yet
    qtbot.waitUntil(lambda: not page.search_pending and page.model.rowCount() == 1)
    row = page.model.family(0)
    assert row is not None
    assert "Jones" in row.display_name
    page.search.clear()
    type_text("ls6 2ab")
    qtbot.waitUntil(lambda: not page.search_pending and page.model.rowCount() == 1)
    page.search.clear()
    type_text(born.strftime("%d/%m/%Y"))
    qtbot.waitUntil(lambda: not page.search_pending and page.model.rowCount() == 2)
    assert "2 families" in page.count_label.text()


def newest(limit: int, before_id: int | None, total: int = 100_000) -> range:
    """Ids of a pretend table of ``total`` families, newest first, below ``before_id``."""
    top = total if before_id is None else before_id - 1
    return range(top, max(top - limit, 0), -1)


def test_the_family_model_loads_pages_only_as_they_are_needed() -> None:
    calls: list[tuple[int, int | None]] = []

    def fetch(query: str, limit: int, before_id: int | None) -> list[FamilyRow]:
        calls.append((limit, before_id))
        return [
            FamilyRow(i, f"EH-{i:06d}", f"Family {i}", "LS1 1AA", "", "referred")
            for i in newest(limit, before_id)
        ]

    model = FamilyTableModel(fetch, page_size=200)
    model.set_query("")
    assert model.rowCount() == 200
    assert calls == [(200, None)]
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 400
    assert model.data(model.index(399, 0)) == "EH-099601"
    assert calls[-1] == (200, 99_801)  # the next page starts below the last id shown


def test_the_family_table_scrolls_through_a_huge_list_lazily(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QTableView

    total = 100_000

    def fetch(query: str, limit: int, before_id: int | None) -> list[FamilyRow]:
        return [FamilyRow(i, f"EH-{i:06d}", f"Family {i}", "", "", "") for i in newest(limit, before_id)]

    model = FamilyTableModel(fetch)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    model.set_query("")
    view.resize(600, 400)
    view.show()
    qtbot.waitExposed(view)
    assert model.rowCount() == 200  # the first page only, until the view scrolls
    for page in range(2, 5):
        view.scrollToBottom()  # near the end of what is loaded: the view asks for the next page
        qtbot.waitUntil(lambda page=page: model.rowCount() >= page * 200)
    assert model.rowCount() < total  # pages came as the view neared the end, not the whole list


def test_the_family_model_shows_status_labels_not_stored_codes() -> None:
    row = FamilyRow(1, "EH-000001", "Smith (Ava)", "LS6 2AB", "Ava (09/04/2016)", "allocated")
    model = FamilyTableModel(lambda _query, _limit, _before_id: [row])
    model.set_query("")
    assert model.data(model.index(0, 4)) == "Allocated"


def test_a_family_worker_cannot_start_a_referral_they_could_not_save(
    backend: Backend, sqlite_db: Database, make_window: MakeWindow, qtbot: QtBot
) -> None:
    QSettings().setValue(view_key("wendy"), "referral")  # say an admin's view had been kept under her name
    backend.actor = make_user(sqlite_db, "wendy", Role.WORKER)
    window = make_window()
    assert window.current_view == "families"
    assert not window.ui.actionNewReferral.isEnabled()
    assert "admin teams and managers" in window.ui.actionNewReferral.toolTip()
    press(qtbot, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view == "families"


def test_the_login_names_the_authority_and_database_and_remembers_the_last_user(
    backend: Backend, qtbot: QtBot
) -> None:
    backend.actor = None

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, LoginDialog)
        assert "Example Borough Council" in dialog.ui.intro.text()
        assert backend.db.safe_url in dialog.ui.intro.text()
        dialog.ui.username.setText("setup-admin")
        dialog.ui.password.setText(PASSWORD)
        dialog.try_login()

    QTimer.singleShot(0, answer)
    assert sign_in(backend) is not None
    assert QSettings().value(LAST_USER_KEY) == "setup-admin"

    QTimer.singleShot(0, lambda: _assert_prefilled_then_cancel("setup-admin"))
    assert sign_in(backend) is None


def _assert_prefilled_then_cancel(username: str) -> None:
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, LoginDialog)
    assert dialog.ui.username.text() == username
    dialog.reject()
