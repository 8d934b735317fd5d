"""A manager works the decision queue by keyboard: opens a decline beside its casefile, decides, signs.

Signing is real: the fixture creates the authority's signing CA and issues the manager a certificate
through ``ehdesk.signing``'s own services, so the dialog's verdict is that of a real PAdES signature.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ehdesk.desk import Desk
from ehdesk.domain import Role
from ehdesk.errors import PermissionDenied
from ehdesk.forms.model import Field
from ehdesk.gui.backend import Backend
from ehdesk.gui.decision_page import DecisionPage
from ehdesk.gui.formview import FormView
from ehdesk.gui.formview.repeat import RepeatInput
from ehdesk.gui.mainwindow import MainWindow
from ehdesk.gui.queue_view import ManagerViews, QueueView
from ehdesk.gui.signoff_dialog import SignoffDialog
from ehdesk.policy import default_pack
from ehdesk.policy.pack import load_pack
from ehdesk.services import families, referrals
from ehdesk.services.actor import Actor
from ehdesk.signing.authority import create_authority
from ehdesk.signing.identities import issue_identity
from ehdesk.storage.database import Database
from ehdesk.storage.models import Decision, Decline, Document
from tests import samples
from tests.conftest import PASSWORD, make_user
from tests.gui.keyboard import focused, keys_for, perform, press, type_text
from tests.gui.screens import shown

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
CA_PASSPHRASE = "authority passphrase"
DECLINE: dict[str, Any] = {
    "declined_on": date.today().isoformat(),
    "reasons": "Feels things are better now that school has helped.",
    "line_manager": "Mo Manager",
    "discussed_on": date.today().isoformat(),
}


@dataclass
class Office:
    db: Database
    admin: Actor
    manager: Actor
    worker: Actor
    family_id: int
    decline_id: int


@pytest.fixture
def office(sqlite_db: Database) -> Office:
    """A manager with a signing identity, and a decline recorded by a worker on their family."""
    db = sqlite_db
    admin = make_user(db, "setup-admin", Role.ADMIN)
    manager = make_user(db, "mo", Role.MANAGER)
    worker = make_user(db, "wendy", Role.WORKER)
    with db.session() as session:
        create_authority(session, admin, "Example Borough Council", CA_PASSPHRASE)
        issue_identity(session, admin, manager.id or 0, CA_PASSPHRASE, PASSWORD)
    with db.session() as session:
        family_id = referrals.create_referral(
            session, admin, samples.referral(), policy=default_pack()
        ).family_id
    with db.session() as session:
        family = families.get_family(session, manager, family_id)
        families.allocate(session, manager, family_id, worker.id, version=family.version)
    desk = Desk(db, load_pack(None), actor=worker)
    decline = desk.create_record("decline", family_id, DECLINE, confirmed_warnings=True)
    return Office(db, admin, manager, worker, family_id, decline.id)


def window_for(qtbot: QtBot, office: Office, actor: Actor, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    window = MainWindow(Backend(office.db, load_pack(None), actor=actor))
    monkeypatch.setattr(window, "ask_unsaved", lambda: QMessageBox.StandardButton.Discard)
    return shown(qtbot, window)


def manager_views(window: MainWindow) -> ManagerViews:
    views = window.manager_views
    assert isinstance(views, ManagerViews)
    return views


def answer(qtbot: QtBot, view: FormView, field: Field, value: Any) -> None:
    """Put the cursor in ``field``'s input and answer it with real key presses."""
    view.rows[field.name].input.focus_widgets()[0].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    perform(qtbot, keys_for(field, value))


def test_a_manager_decides_a_decline_from_the_queue_and_signs_it_by_keyboard(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_for(qtbot, office, office.manager, monkeypatch)
    views = manager_views(window)
    assert views.action is not None
    assert views.action.isEnabled()
    press(qtbot, Qt.Key.Key_6, CTRL)  # View ▸ Decision queue
    queue = views.view
    assert isinstance(queue, QueueView)
    assert window.current_view == "queue"
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1)
    entry = queue.model.entry(0)
    assert entry is not None
    assert (entry.kind, entry.record_id) == ("decline", office.decline_id)
    assert focused() is queue.table

    press(qtbot, Qt.Key.Key_Return)  # opens the entry beside its casefile
    page = queue.decision
    assert isinstance(page, DecisionPage)
    assert page.casefile.family_id == office.family_id
    assert page.splitter.indexOf(page.casefile) == 0
    view = page.form.view
    assert view.values()["subject"] == "decline"
    assert not view.rows["subject"].input.isEnabled()  # fixed by the entry
    for name in ("existing_network", "closure_contacts", "concerns_raised", "threshold_needed"):
        assert view.rows[name].isVisibleTo(view), f"{name} (G21–G24) is asked for a decline"

    form = view.form
    answer(qtbot, view, form.field("decision"), "Close Early Help; school support continues.")
    answer(qtbot, view, form.field("rationale"), "Needs are met by school and the health visitor.")
    answer(qtbot, view, form.field("existing_network"), "School pastoral team and the health visitor.")
    contacts = view.rows["closure_contacts"].input
    assert isinstance(contacts, RepeatInput)
    if not contacts.items:
        contacts.add_button.setFocus()
        press(qtbot, Qt.Key.Key_Space)
    item = contacts.items[0]
    item.rows["who"].input.focus_widgets()[0].setFocus()
    type_text("Ann Teacher")  # told on left blank: still to be told (G22 pending, not a made-up date)
    answer(qtbot, view, form.field("concerns_raised"), False)
    answer(qtbot, view, form.field("concerns_reasoning"), "Attendance is back to normal.")
    answer(qtbot, view, form.field("threshold_needed"), False)

    press(qtbot, Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: page.record is not None)
    assert page.sign_button.isEnabled()

    press(qtbot, Qt.Key.Key_G, CTRL | SHIFT)
    dialog = page.pending_dialog
    assert isinstance(dialog, SignoffDialog)
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: focused() is dialog.password)
    assert "mo" in dialog.identity_label.text().lower() or "Mo" in dialog.identity_label.text()
    type_text("wrong password")
    with qtbot.waitSignal(dialog.password.returnPressed):
        press(qtbot, Qt.Key.Key_Return)
    assert dialog.result_record is None
    assert "password" in dialog.status.text()
    assert dialog.password.text() == ""

    type_text(PASSWORD)
    with qtbot.waitSignal(dialog.signed, timeout=20000):
        press(qtbot, Qt.Key.Key_Return)
    signed = dialog.result_record
    assert signed is not None
    # the password is gone from the dialog once used: not in the field, its undo history, or any attribute
    assert dialog.password.text() == ""
    assert not dialog.password.isUndoAvailable()
    assert all(value != PASSWORD for value in vars(dialog).values())
    assert dialog.verdict.isVisible()
    assert dialog.verdict.answers["Intact"].text().startswith("yes")
    assert dialog.verdict.answers["Trusted"].text().startswith("yes")
    assert "holds" in dialog.verdict.answers["Audit trail"].text()
    assert dialog.preview.page_count >= 1

    with office.db.read() as session:
        decision = session.scalars(select(Decision)).one()
        assert decision.locked
        assert decision.subject_id == office.decline_id
        decline = session.get(Decline, office.decline_id)
        assert decline is not None
        assert decline.locked
        document = session.get(Document, signed.document_id)
        assert document is not None
        assert document.content.startswith(b"%PDF")

    press(qtbot, Qt.Key.Key_Escape)  # closes the dialog
    qtbot.waitUntil(lambda: page.pending_dialog is None)
    assert page.verdict.isVisible()
    assert not page.form.view.isEnabled()  # signed means locked: a change is an addendum
    assert page.addendum_button.isVisible()
    assert page.closure is not None
    assert page.closure.model.letters[0].told_on is None
    assert "Pending" in page.closure.model.data(page.closure.model.index(0, 2))

    page.go_back()
    assert queue.decision is None
    assert queue.model.rowCount() == 0  # decided: it left the queue


def test_a_worker_has_no_queue_action_and_the_service_refuses_them_anyway(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_for(qtbot, office, office.worker, monkeypatch)
    views = manager_views(window)
    assert views.action is None
    assert views.view is None
    assert "queue" not in window.views
    assert all("queue" not in a.text().lower() for a in window.ui.menuView.actions())
    backend = Backend(office.db, load_pack(None), actor=office.worker)
    with pytest.raises(PermissionDenied):
        backend.decision_queue()
    with pytest.raises(PermissionDenied):
        backend.sign_decision(1, PASSWORD)


def test_a_refused_decision_keeps_what_was_typed_and_it_comes_back_after_reopening(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_for(qtbot, office, office.manager, monkeypatch)
    views = manager_views(window)
    views.show_queue()
    queue = views.view
    assert queue is not None
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1)
    page = queue.open_entry(queue.model.entries[0])
    view = page.form.view
    answer(qtbot, view, view.form.field("decision"), "Keep the case open for a month — Zoë agrees.")
    press(qtbot, Qt.Key.Key_S, CTRL)  # refused: the rationale and the G21–G24 answers are missing
    assert page.record is None
    assert any(p.obligation == "G19" for p in view.errors())
    assert view.values()["decision"] == "Keep the case open for a month — Zoë agrees."

    page.go_back()  # kept as this entry's draft
    page = queue.open_entry(queue.model.entries[0])
    assert page.form.view.values()["decision"] == "Keep the case open for a month — Zoë agrees."
    assert page.form.dirty
