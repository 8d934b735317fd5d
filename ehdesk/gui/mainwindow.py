"""The main window: family search and referral entry as two views, with menus, toolbar and shortcuts.

The chrome comes from ``ui/mainwindow.ui`` (compiled by ``ui/compile.py``); this class gives it
behaviour. The window opens maximised the first time (the referral form is long and needs the room),
then at the size and place it was left, remembered with QSettings; the view is written as soon as it
changes, so even a killed session reopens where the user was.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMessageBox, QWidget

import ehdesk
from ehdesk.errors import EhdeskError
from ehdesk.forms.registry import get_form
from ehdesk.gui.backend import Backend
from ehdesk.gui.decision_page import HELP_ROWS as DECISION_KEYS
from ehdesk.gui.drafts import RestoreDraftDialog
from ehdesk.gui.family_dialog import FamilyDialog
from ehdesk.gui.family_list import FamilyListPage
from ehdesk.gui.forms.ui_mainwindow import Ui_MainWindow
from ehdesk.gui.pack_dialog import HELP_ROWS as PACK_KEYS
from ehdesk.gui.queue_view import ManagerViews
from ehdesk.gui.referral_page import FORM_ID, ReferralPage
from ehdesk.gui.shortcuts import UNAVAILABLE, ShortcutsDialog, action_rows, in_place_rows
from ehdesk.gui.users_dialog import ChangeOwnPasswordDialog, UsersDialog
from ehdesk.gui.worker_views import WorkerViews
from ehdesk.services.permissions import Permission, allowed

#: Every view the window can show, by name; a role sees only those it may use (see ``_views``).
VIEWS = ("families", "referral", "caseload", "casefile", "compliance")
VIEW_KEY = "mainwindow/view"


def view_key(username: str | None) -> str:
    """Where the last view is remembered: per user, as people share a computer and each role has its
    own start view (a worker who logs in after an admin starts on My families, not on Families)."""
    return f"{VIEW_KEY}/{username}" if username else VIEW_KEY


class MainWindow(QMainWindow):
    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.families = FamilyListPage(backend)
        self._referral: ReferralPage | None = None  # built when first opened (start-up, issue 18)
        self._referral_slot = QWidget()  # holds the referral view's place in the stack until then
        self._views: dict[str, QWidget] = {}  # name → page in the stack, in the order added
        self.add_view("families", self.families)
        self.add_view("referral", self._referral_slot)
        self.pending_dialog: QWidget | None = None
        self.worker_views = WorkerViews(self)  # My families, casefile, compliance (workers and managers)
        self.manager_views = ManagerViews(self)  # the decision queue (managers only)
        self._add_user_actions()
        self._apply_role()
        self._set_shortcuts()
        self._connect()

        actor = backend.actor
        self.user_label = QLabel(f"Logged in: {actor.label}" if actor is not None else "Not logged in")
        self.user_label.setAccessibleName("Logged-in user and role")
        self.ui.statusbar.addPermanentWidget(self.user_label)
        authority = backend.policy.authority_name if backend.policy is not None else ""
        # Qt adds the application's display name ("— ehdesk") to every window title itself
        self.setWindowTitle(f"Early Help{f' · {authority}' if authority else ''}")
        self._restore_state()

    # set-up -------------------------------------------------------------------------------------------
    def _set_shortcuts(self) -> None:
        ui = self.ui
        ui.actionNewReferral.setShortcut(QKeySequence(QKeySequence.StandardKey.New))
        ui.actionSave.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        ui.actionSaveAndNext.setShortcuts(
            [QKeySequence("Ctrl+Shift+S"), QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")]
        )
        ui.actionFindFamily.setShortcut(QKeySequence(QKeySequence.StandardKey.Find))
        ui.actionQuit.setShortcut(QKeySequence(QKeySequence.StandardKey.Quit))
        for action in (ui.actionNewReferral, ui.actionSave, ui.actionSaveAndNext, ui.actionFindFamily):
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

    def _add_user_actions(self) -> None:
        """File ▸ Users… (admins; greyed out for others as a courtesy, the services still enforce) and
        File ▸ Change my password… (everyone), placed above Quit. Made here, not in the .ui, because
        whether Users… is enabled depends on who logged in."""
        actor = self.backend.actor
        self.action_users = QAction("&Users…", self)
        self.action_users.setStatusTip("Add users, reset passwords, deactivate people who left")
        self.action_users.setEnabled(actor is not None and allowed(actor, Permission.MANAGE_USERS))
        self.action_users.triggered.connect(self.manage_users)
        self.action_own_password = QAction("Change my &password…", self)
        self.action_own_password.setEnabled(actor is not None)
        self.action_own_password.triggered.connect(self.change_own_password)
        menu = self.ui.menuFile
        menu.insertActions(self.ui.actionQuit, [self.action_users, self.action_own_password])
        menu.insertSeparator(self.ui.actionQuit)

    @property
    def can_refer(self) -> bool:
        actor = self.backend.actor
        return actor is not None and allowed(actor, Permission.CREATE_REFERRAL)

    def _apply_role(self) -> None:
        """Family workers do not key in referrals: rather than let them type a whole form that the
        service would then refuse, the referral actions are greyed out with the reason on hover."""
        if self.can_refer:
            return
        reason = "Referrals are keyed in by admin teams and managers"
        for action in (self.ui.actionNewReferral, self.ui.actionShowReferral):
            action.setEnabled(False)
            action.setProperty(UNAVAILABLE, True)  # left out of Help ▸ Keyboard shortcuts
            action.setToolTip(reason)
            action.setStatusTip(reason)

    def _connect(self) -> None:
        ui = self.ui
        ui.actionNewReferral.triggered.connect(self.new_referral)
        ui.actionSave.triggered.connect(lambda: self.save_referral(start_next=False))
        ui.actionSaveAndNext.triggered.connect(lambda: self.save_referral(start_next=True))
        ui.actionDiscardReferral.triggered.connect(self.discard_referral)
        ui.actionFindFamily.triggered.connect(self.find_family)
        ui.actionShowFamilies.triggered.connect(self.show_families)
        ui.actionShowReferral.triggered.connect(self.show_referral)
        ui.actionQuit.triggered.connect(self.close)
        ui.actionShortcuts.triggered.connect(self.show_shortcuts)
        ui.actionAbout.triggered.connect(self.show_about)
        ui.stack.currentChanged.connect(self._view_changed)
        self.families.family_activated.connect(self.open_family)
        self.families.message.connect(self.status)

    @property
    def referral(self) -> ReferralPage:
        """The referral entry page, built the first time anything needs it: most sessions start on the
        family list, and the long referral form is the costliest widget to build."""
        if self._referral is None:
            page = ReferralPage(self.backend, get_form(FORM_ID))
            self.replace_view("referral", page)
            page.message.connect(self.status)
            page.open_family_requested.connect(self.open_family)
            page.saved.connect(lambda _stored: self.families.run_search())
            self._referral = page
        return self._referral

    @property
    def referral_dirty(self) -> bool:
        """Unsaved typing in the referral page (never builds the page to find out)."""
        return self._referral is not None and self._referral.dirty

    def status(self, text: str) -> None:
        self.ui.statusbar.showMessage(text, 8000)

    # views --------------------------------------------------------------------------------------------
    def add_view(self, name: str, page: QWidget) -> None:
        """Put ``page`` in the stack under ``name`` (shown with :meth:`show_view`)."""
        self._views[name] = page
        self.ui.stack.addWidget(page)

    def replace_view(self, name: str, page: QWidget) -> None:
        """Swap the page of view ``name`` (a placeholder for the real page), staying on it if shown."""
        old = self._views[name]
        showing = self.ui.stack.currentWidget() is old
        self.ui.stack.insertWidget(self.ui.stack.indexOf(old), page)
        self.ui.stack.removeWidget(old)
        self._views[name] = page
        if showing:
            self.ui.stack.setCurrentWidget(page)

    @property
    def views(self) -> tuple[str, ...]:
        """The views this user's window has, in order."""
        return tuple(self._views)

    @property
    def current_view(self) -> str:
        page = self.ui.stack.currentWidget()
        return next((name for name, shown in self._views.items() if shown is page), "families")

    def show_view(self, name: str) -> None:
        if name == "referral":
            self.referral  # noqa: B018 (built on first use)
        page = self._views.get(name, self.families)
        if self.ui.stack.currentWidget() is page:
            self._view_changed()  # asked for again: reload it, as switching to it does
        else:
            self.ui.stack.setCurrentWidget(page)  # currentChanged runs _view_changed, once

    def show_families(self) -> None:
        self.show_view("families")
        self.families.focus_search()

    def show_referral(self) -> None:
        self.show_view("referral")
        self.referral.view.focus_first()

    def _view_changed(self) -> None:
        on_referral = self.current_view == "referral"
        for action in (self.ui.actionSave, self.ui.actionSaveAndNext, self.ui.actionDiscardReferral):
            action.setEnabled(on_referral)
        self.ui.actionShowFamilies.setChecked(not on_referral)
        self.worker_views.view_changed(self.current_view)
        QSettings().setValue(self._view_key, self.current_view)

    @property
    def _view_key(self) -> str:
        actor = self.backend.actor
        return view_key(actor.username if actor is not None else None)

    # actions ------------------------------------------------------------------------------------------
    def new_referral(self) -> None:
        if not self.can_refer:
            return
        if self.referral_dirty and not self._resolve_unsaved():
            return
        self.show_view("referral")
        self.referral.start_new()

    def save_referral(self, *, start_next: bool) -> None:
        if self.current_view == "referral":
            self.referral.save(start_next=start_next)

    def discard_prompt(self) -> QMessageBox:
        """The "Discard this referral?" question, not yet shown: Alt+D discards (as in the unsaved
        prompt), Enter and Escape keep the referral."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Discard this referral?",
            "Throw away everything typed in this referral? This cannot be undone.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.button(QMessageBox.StandardButton.Discard).setText("&Discard")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box

    def discard_referral(self) -> None:
        """Ask first (window-modal, so the event loop runs); Discard empties the form for the next one."""
        box = self.discard_prompt()
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _code: self._after_discard_question(box))
        self.pending_dialog = box
        box.open()

    def _after_discard_question(self, box: QMessageBox) -> None:
        self.pending_dialog = None
        if box.clickedButton() is box.button(QMessageBox.StandardButton.Discard):
            self.referral.discard()

    def find_family(self) -> None:
        self.show_families()

    def open_family(self, family_id: int) -> None:
        """Workers and managers go to the family's casefile; others see the family's summary."""
        if self.worker_views.enabled:
            self.worker_views.open_casefile(family_id)
            return
        try:
            summary = self.backend.family_summary(family_id)
        except EhdeskError as error:
            self.status(str(error))
            return
        dialog = FamilyDialog(summary, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.pending_dialog = dialog
        dialog.finished.connect(self._dialog_closed)
        dialog.open()

    def manage_users(self) -> None:
        self._open_dialog(UsersDialog(self.backend, self))

    def change_own_password(self) -> None:
        dialog = ChangeOwnPasswordDialog(self.backend, self)
        dialog.accepted.connect(lambda: self.status("Your password was changed."))
        self._open_dialog(dialog)

    def _open_dialog(self, dialog: QDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.pending_dialog = dialog
        dialog.finished.connect(self._dialog_closed)
        dialog.open()

    def _dialog_closed(self) -> None:
        self.pending_dialog = None

    def shortcut_rows(self) -> list[tuple[str, str, str]]:
        """Every key this user's window answers (Help ▸ Keyboard shortcuts), read from its actions."""
        extra: list[tuple[str, str, str]] = []
        if self.worker_views.enabled:
            extra += PACK_KEYS
        if self.manager_views.enabled:
            extra += DECISION_KEYS
        return [*action_rows(self), *in_place_rows(extra)]

    def show_shortcuts(self) -> None:
        self._open_dialog(ShortcutsDialog(self.shortcut_rows(), self))

    def show_about(self) -> None:
        version = self.backend.policy.version if self.backend.policy is not None else "none"
        QMessageBox.about(
            self,
            "About ehdesk",
            f"<b>ehdesk {ehdesk.__version__}</b><br>Early Help information-sharing desk.<br>"
            f"Policy pack: {version}<br>Database: {self.backend.db.safe_url}",
        )

    # drafts -------------------------------------------------------------------------------------------
    def offer_restore(self) -> bool:
        """After a crash or kill, offer what was typed and not saved. True if a dialog was opened."""
        try:
            drafts = [d for d in self.backend.list_drafts() if d.form == FORM_ID]
        except EhdeskError as error:
            self.status(str(error))
            return False
        if not drafts:
            return False
        dialog = RestoreDraftDialog(drafts, self)
        dialog.finished.connect(lambda code: self._after_restore(dialog, code))
        self.pending_dialog = dialog
        dialog.open()
        return True

    def _after_restore(self, dialog: RestoreDraftDialog, code: int) -> None:
        self.pending_dialog = None
        draft = dialog.selected()
        if draft is None:
            return
        if code == RestoreDraftDialog.RESTORE:
            self.show_view("referral")
            self.referral.restore(draft.data, key=draft.key)
            self.status("Unsaved referral restored")
        elif code == RestoreDraftDialog.DISCARD:
            self.backend.discard_draft(draft.form, draft.key)
            self.status("Unsaved referral discarded")

    # closing ------------------------------------------------------------------------------------------
    def unsaved_prompt(self) -> QMessageBox:
        """The Save / Discard / Cancel question for the referral being typed, with Alt+S and Alt+D (Escape
        cancels); not yet shown."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Unsaved referral",
            "The referral being typed has not been saved. Save it now?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self,
        )
        for button, text in (
            (QMessageBox.StandardButton.Save, "&Save"),
            (QMessageBox.StandardButton.Discard, "&Discard"),
            (QMessageBox.StandardButton.Cancel, "Cancel"),
        ):
            box.button(button).setText(text)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        return box

    @staticmethod
    def unsaved_answer(box: QMessageBox) -> QMessageBox.StandardButton:
        """The button the prompt was answered with; Cancel when it was closed some other way."""
        clicked = box.clickedButton()
        if clicked is None:
            return QMessageBox.StandardButton.Cancel
        return box.standardButton(clicked)

    def ask_unsaved(self) -> QMessageBox.StandardButton:
        """Save / Discard / Cancel for the referral being typed (a method so tests can answer it)."""
        box = self.unsaved_prompt()
        box.exec()
        return self.unsaved_answer(box)

    def _resolve_unsaved(self) -> bool:
        """True when it is fine to move on: saved, or discarded; False to stay (cancel, or a question)."""
        answer = self.ask_unsaved()
        if answer == QMessageBox.StandardButton.Save:
            self.show_view("referral")
            return self.referral.save()
        if answer == QMessageBox.StandardButton.Discard:
            self.referral.drafts.discard()
            self.referral.view.mark_clean()
            self.status("Unsaved referral discarded")  # not "… restored" still, if it was a draft
            return True
        return False

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self.referral_dirty and not self._resolve_unsaved():
            event.ignore()
            return
        self._save_state()
        event.accept()

    def _save_state(self) -> None:
        settings = QSettings()
        settings.setValue("mainwindow/geometry", self.saveGeometry())
        settings.setValue("mainwindow/state", self.saveState())
        settings.setValue(self._view_key, self.current_view)

    def _restore_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("mainwindow/geometry")
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            pass  # as it was left (maximised too, if it was)
        else:
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)  # first run
        state = settings.value("mainwindow/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        view = settings.value(self._view_key, self.worker_views.start_view or "families")
        if not isinstance(view, str) or (view == "referral" and not self.can_refer):
            view = "families"
        view = self.worker_views.restorable(view)
        self.show_view(view)
        if self.current_view == "families":
            self.families.run_search()
