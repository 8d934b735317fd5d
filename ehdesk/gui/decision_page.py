"""A queue entry opened: the family's casefile on the left, the management decision on the right.

The manager reads what the worker recorded (the decline, the objection, the share made under an
exception) beside the form they decide on, so the decision can set out its reasons (G19) without
switching windows. The decision's subject is fixed by the entry; for a decline the form asks the four
case-progression questions (G21–G24) and who must be told of closure, each either with the date they
were told or left blank as still to be told (G22, a pending entry, never a made-up date).

The decision is typed like every casefile form (:class:`~ehdesk.gui.form_page.FormPage`): kept as a
draft per queue entry while typed, so reopening the entry after a crash or a refused save brings the
typing back; saved through ``decide`` (then corrected with ``amend_record`` until signed); signed in the
:class:`~ehdesk.gui.signoff_dialog.SignoffDialog`. Once signed the form locks, the verdict shows, a
decision to close shows its closure letters, and a later change is an addendum, signed again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ehdesk.desk.manager import QueueEntry, SignedRecord
from ehdesk.errors import EhdeskError
from ehdesk.forms.registry import get_form
from ehdesk.gui.backend import Backend
from ehdesk.gui.casefile_view import CasefilePage
from ehdesk.gui.closure_view import ClosureView
from ehdesk.gui.document_view import DocumentDialog
from ehdesk.gui.form_page import FormPage
from ehdesk.gui.formview import FormEnvironment
from ehdesk.gui.queue_model import kind_label
from ehdesk.gui.signoff_dialog import SignoffDialog
from ehdesk.gui.verdict_widget import VerdictWidget
from ehdesk.services.casefile import RecordView

FORM_ID = "decision"
SUBJECT = "subject"
SIGN_SHORTCUT = "Ctrl+Shift+G"
MARK_TOLD_SHORTCUT = "Ctrl+T"
#: The decision page's own keys, as Help ▸ Keyboard shortcuts lists them (where, keys, what).
HELP_ROWS = (
    ("In a decision", "Ctrl+S", "Save the decision (it can still be changed until signed)"),
    ("In a decision", SIGN_SHORTCUT, "Sign the decision"),
    ("In a decision", "Escape or Alt+Left", "Back to the queue (what was typed is kept as a draft)"),
    (
        "In a decision to close",
        MARK_TOLD_SHORTCUT,
        "Mark the selected person or agency (else the first still to be told) as told of the closure",
    ),
)


def draft_key(entry: QueueEntry) -> str:
    """One draft per queue entry: reopening the entry finds what was typed for it."""
    return f"{entry.kind}-{entry.record_id}"


class DecisionForm(FormPage):
    """The decision form for one queue entry: new through ``decide``, corrected through ``amend_record``."""

    def __init__(self, backend: Backend, entry: QueueEntry, parent: QWidget | None = None) -> None:
        self.entry = entry
        self.record: RecordView | None = None
        env = FormEnvironment(agencies=backend.agencies, policy_text=backend.policy_text)
        super().__init__(
            backend,
            get_form(FORM_ID),
            env,
            check=self._check,
            store=self._store_decision,
            draft_key=draft_key(entry),
            parent=parent,
        )
        subject = self.view.row_for(SUBJECT)
        if subject is not None:  # fixed by the queue entry: shown, not changeable
            subject.input.setEnabled(False)
            subject.input.setToolTip("Set by the queue entry this decision is about")

    def defaults(self) -> dict[str, Any]:
        return {SUBJECT: self.entry.kind, "decided_on": self.backend.today().isoformat()}

    def _check(self, values: dict[str, Any]) -> Any:
        return self.backend.check_record(
            FORM_ID,
            self.entry.family_id,
            {**values, SUBJECT: self.entry.kind},
            carried={SUBJECT: self.entry.kind},
        )

    def _store_decision(self, values: dict[str, Any], confirmed: bool, **_extra: Any) -> RecordView:
        values = {**values, SUBJECT: self.entry.kind}
        if self.record is None:
            return self.backend.decide(
                self.entry.family_id,
                values,
                subject=self.entry.kind,
                subject_id=self.entry.record_id,
                confirmed_warnings=confirmed,
            )
        return self.backend.amend_record(
            FORM_ID,
            self.record.id,
            values,
            version=self.record.version,
            carried={SUBJECT: self.entry.kind},
            confirmed_warnings=confirmed,
        )

    def after_store(self, stored: Any) -> None:
        assert isinstance(stored, RecordView)
        self.record = stored

    def describe(self, stored: Any) -> str:
        return "Decision saved: sign it to make it the casefile's record (Ctrl+Shift+G)"

    @property
    def noun(self) -> str:
        return "decision"

    def open_for(self) -> None:
        """Start on the entry's draft, if one was left, else on a fresh form."""
        try:
            drafts = [d for d in self.backend.list_drafts() if d.form == FORM_ID and d.key == self.drafts.key]
        except EhdeskError as error:
            self.message.emit(f"Unsaved typing could not be looked for: {error}")
            drafts = []
        if drafts:
            self.restore(drafts[0].data, key=drafts[0].key)
            self.message.emit("The decision you were typing for this entry is back (not saved yet)")
        else:
            key = self.drafts.key
            self.start_new()
            self.drafts.key = key  # keep this entry's key, not a fresh one


class DecisionPage(QWidget):
    """One queue entry being decided. ``back`` asks to return to the queue; ``decided`` fires with the
    signed record (the queue reloads: the entry has left it)."""

    back = Signal()
    decided = Signal(object)
    message = Signal(str)

    def __init__(self, backend: Backend, entry: QueueEntry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.entry = entry
        self.signed: SignedRecord | None = None
        #: True between "Add addendum…" and the addendum's signing: Ctrl+Shift+G then signs the addendum.
        self.adding = False
        self.pending_dialog: SignoffDialog | DocumentDialog | None = None

        heading = QLabel(
            f"<b>{kind_label(entry.kind)}</b> — {entry.family_name} ({entry.family_reference}), "
            f"raised by {entry.worker_name or 'unknown'} on {entry.raised_at:%d/%m/%Y}"
        )
        heading.setAccessibleName("Queue entry")
        heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.back_button = QPushButton("← &Queue")
        self.back_button.setToolTip(
            "Back to the decision queue (Alt+Left); what you typed is kept as a draft"
        )
        self.back_button.clicked.connect(self.go_back)

        self.casefile = CasefilePage(backend)
        self.casefile.setAccessibleName("Casefile")
        self.casefile.message.connect(self.message)
        self.form = DecisionForm(backend, entry)
        self.form.message.connect(self.message)
        self.form.saved.connect(self._saved)

        self.save_button = QPushButton("&Save decision")
        self.save_button.setToolTip("Check and save the decision (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        self.sign_button = QPushButton("Si&gn…")
        self.sign_button.setToolTip("Re-enter your password and sign the saved decision (Ctrl+Shift+G)")
        self.sign_button.clicked.connect(self.sign)
        self.addendum_button = QPushButton("Add &addendum…")
        self.addendum_button.setToolTip(
            "A change after signing: a new record, linked to this one, signed again"
        )
        self.addendum_button.clicked.connect(self.start_addendum)
        self.record_button = QPushButton("Signe&d record…")  # not Alt+R: that opens the Referral menu
        self.record_button.setToolTip(
            "The signed PDF as stored: preview, print, or save the exact signed file to send"
        )
        self.record_button.clicked.connect(self.open_signed_record)
        self.verdict = VerdictWidget()
        self.closure: ClosureView | None = None
        self.state = QLabel()
        self.state.setAccessibleName("Decision state")
        self.state.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.sign_button)
        buttons.addWidget(self.addendum_button)
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        right = QWidget()
        self.right_layout = QVBoxLayout(right)
        self.right_layout.setContentsMargins(0, 0, 0, 0)
        self.right_layout.addWidget(self.form, 1)
        self.right_layout.addWidget(self.state)
        self.right_layout.addLayout(buttons)
        self.right_layout.addWidget(self.verdict)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.casefile)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(heading, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

        for keys, slot in (
            (QKeySequence.StandardKey.Save, self.save),
            (QKeySequence(SIGN_SHORTCUT), self.sign),
            (QKeySequence("Escape"), self.go_back),
            (QKeySequence("Alt+Left"), self.go_back),
            (QKeySequence(MARK_TOLD_SHORTCUT), self.mark_told),
        ):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        self.casefile.open_family(entry.family_id)
        self.form.open_for()
        self._update_state()

    # state ------------------------------------------------------------------------------------------
    @property
    def record(self) -> RecordView | None:
        return self.form.record

    def _update_state(self) -> None:
        saved, signed = self.record is not None, self.signed is not None
        self.save_button.setEnabled(not signed)
        self.sign_button.setEnabled(saved and not signed)
        self.addendum_button.setVisible(signed)
        self.record_button.setVisible(signed)
        self.form.view.setEnabled(not signed)
        if signed:
            self.state.setText("Signed and locked. A change now is an addendum, signed again.")
        elif saved:
            self.state.setText("Saved, not signed yet: sign it to lock it as the casefile's record (G19).")
        else:
            self.state.setText("Not saved yet.")

    # actions ----------------------------------------------------------------------------------------
    def save(self) -> bool:
        if self.signed is not None:
            return False
        return self.form.save()

    def _saved(self, stored: object) -> None:
        if isinstance(stored, RecordView):  # ``saved`` fires before the form's own after_store
            self.form.record = stored
        self._update_state()

    def sign(self) -> None:
        """Open the sign-off for the saved decision (saving first if it was changed since); while an
        addendum is being typed, sign that instead (the screen's own hint names Ctrl+Shift+G for it)."""
        if self.adding:
            self.sign_addendum()
            return
        if self.signed is not None or self.pending_dialog is not None:
            return
        if (self.record is None or self.form.dirty) and not self.form.save():
            self.message.emit("Save the decision before signing it: fix what the form shows")
            return
        record = self.record
        assert record is not None
        self._open_signoff(SignoffDialog(self.backend, record.id, parent=self))

    def start_addendum(self) -> None:
        """After signing, the form opens again for the change; signing it makes the addendum."""
        if self.signed is None:
            return
        self.adding = True
        self.form.view.setEnabled(True)
        self.form.view.focus_first()
        self.state.setText("Type the change, then sign the addendum (Ctrl+Shift+G).")
        self.addendum_button.setText("Sign &addendum…")
        self.addendum_button.clicked.disconnect()
        self.addendum_button.clicked.connect(self.sign_addendum)

    def sign_addendum(self) -> None:
        record = self.record
        if record is None or self.pending_dialog is not None:
            return
        result = self.form.view.validate() or self.form.check(self.form.view.values())
        if not result.ok:
            self.form.refused(result)
            return
        dialog = SignoffDialog(
            self.backend,
            record.id,
            addendum={**self.form.view.values(), SUBJECT: self.entry.kind},
            parent=self,
        )
        self._open_signoff(dialog)

    def open_signed_record(self) -> DocumentDialog | None:
        """The newest signed record of this decision (the addendum once there is one), as stored."""
        signed = self.signed
        if signed is None or self.pending_dialog is not None:
            return None
        reference = self.entry.family_reference
        try:
            dialog = DocumentDialog(
                self.backend,
                signed.document_id,
                f"Signed decision record · {reference}",
                f"decision-record-{reference}-{signed.decision_id}.pdf",
                self,
            )
        except EhdeskError as error:
            self.message.emit(f"The signed record could not be opened: {error}")
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.message.connect(self.message)
        dialog.finished.connect(self._signoff_closed)
        self.pending_dialog = dialog
        dialog.open()
        return dialog

    def _open_signoff(self, dialog: SignoffDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.signed.connect(self._signed)
        dialog.finished.connect(self._signoff_closed)
        self.pending_dialog = dialog
        dialog.open()

    def _signoff_closed(self) -> None:
        self.pending_dialog = None

    def _signed(self, record: SignedRecord) -> None:
        self.signed = record
        if self.adding:  # the addendum is signed: a further change is another addendum
            self.adding = False
            self.addendum_button.setText("Add &addendum…")
            self.addendum_button.clicked.disconnect()
            self.addendum_button.clicked.connect(self.start_addendum)
        self.form.drafts.discard()
        self.form.view.mark_clean()
        try:
            self.verdict.show_verdict(self.backend.verify_document(record.document_id))
        except EhdeskError as error:
            self.message.emit(f"Signed; the verdict could not be shown: {error}")
        self._update_state()
        self._show_closure()
        self.casefile.refresh()
        self.message.emit("Decision signed and locked")
        self.decided.emit(record)

    def _show_closure(self) -> None:
        record = self.record
        if record is None or self.closure is not None or self.entry.kind != "decline":
            return
        closure = ClosureView(self.backend, record.id)
        if not closure.model.letters:
            closure.deleteLater()
            return
        closure.message.connect(self.message)
        self.closure = closure
        self.right_layout.addWidget(closure, 1)
        closure.show()

    def mark_told(self) -> None:
        """Ctrl+T from anywhere in the view: the closure's selected contact (else its first pending one) is
        marked told; before there are closure letters, the status bar says why nothing happened."""
        if self.closure is None:
            self.message.emit("Ctrl+T marks a closure contact told: sign a decision to close first")
            return
        self.closure.mark_told()

    def go_back(self) -> None:
        if self.pending_dialog is not None:
            return
        if self.form.dirty:
            self.form.drafts.flush()  # kept as this entry's draft: nothing typed is lost
        self.back.emit()
