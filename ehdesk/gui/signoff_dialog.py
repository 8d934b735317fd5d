"""Sign-off: the manager re-enters their password, sees the record, signs; the dialog shows the verdict.

Signing is the moment a decision becomes the casefile's management oversight (G19): the record is built,
signed as PAdES with the manager's own key and locked with its subject. The dialog shows whose
certificate signs, the record as a PDF (QtPdf renders the very bytes, not a re-drawing of them), and
asks for the password once. The password goes straight to the service and is wiped from the field in
the same step, whatever the outcome; the dialog keeps no copy of it. A wrong password is said plainly
(nothing can recover a lost one: an admin issues a new certificate) and the dialog stays open.

After signing, the preview switches to the stored signed bytes and the verdict of verifying them (as
``ehdesk verify`` would) is shown underneath, so the manager sees what a family or agency will see.

The same dialog signs an addendum (a change after signing, G19): given ``addendum`` values, it calls
``add_addendum`` instead of ``sign_decision``.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ehdesk.desk.manager import IdentityInfo, SignedRecord
from ehdesk.errors import EhdeskError, LoginFailed
from ehdesk.gui.backend import Backend
from ehdesk.gui.pdf_preview import PdfPreview
from ehdesk.gui.signature_pad import SignaturePadDialog
from ehdesk.gui.verdict_widget import VerdictWidget
from ehdesk.signing.errors import WrongPassword


class SignoffDialog(QDialog):
    """Sign decision ``decision_id`` (or, with ``addendum`` values, an addendum to it).

    ``signed`` fires with the :class:`SignedRecord` once the service has signed and stored it. The
    preview is the record as it will be signed (``decision_preview``); for an addendum, whose record
    does not exist until it is signed, the signed decision it amends is shown instead.
    """

    signed = Signal(object)

    def __init__(
        self,
        backend: Backend,
        decision_id: int,
        *,
        addendum: Mapping[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.decision_id = decision_id
        self.addendum = dict(addendum) if addendum is not None else None
        self.result_record: SignedRecord | None = None
        what = "addendum" if addendum is not None else "decision"
        self.setWindowTitle(f"Sign the {what}")
        self.setMinimumSize(720, 640)

        self.identity_label = QLabel()
        self.identity_label.setWordWrap(True)
        self.identity_label.setAccessibleName("Signing certificate")
        self.draw_button = QPushButton("&Draw my signature…")
        self.draw_button.setToolTip("Optional: a drawing to show beside your typed name in the signature box")
        self.draw_button.clicked.connect(self.draw_signature)
        who = QHBoxLayout()
        who.addWidget(self.identity_label, 1)
        who.addWidget(self.draw_button)

        self.preview = PdfPreview()
        self.preview_note = QLabel()
        self.preview_note.setWordWrap(True)
        self.preview_note.setAccessibleName("About the preview")

        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Your password")
        self.password.setAccessibleDescription("The password that unlocks your signing key")
        self.password.setPlaceholderText("Your own password, to unlock your signing key")
        form = QFormLayout()
        form.addRow("&Password:", self.password)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Sign-off status")
        self.verdict = VerdictWidget()

        self.buttons = QDialogButtonBox()
        self.sign_button = self.buttons.addButton(f"&Sign {what}", QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_button.setDefault(True)
        self.sign_button.setShortcut(QKeySequence("Ctrl+Return"))
        self.sign_button.setToolTip("Sign with your key and lock the record (Enter or Ctrl+Enter)")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.sign_button.clicked.connect(self.sign)
        self.buttons.rejected.connect(self.reject)
        # Enter in the password field presses the default button (Sign); no returnPressed hook as well,
        # or the same keystroke would then press Close, the default once signed

        layout = QVBoxLayout(self)
        layout.addLayout(who)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.preview_note)
        layout.addWidget(self.verdict)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

        self._show_identity()
        self._show_preview()
        self.password.setFocus()

    def _show_preview(self) -> None:
        try:
            if self.addendum is None:
                pdf = self.backend.decision_preview(self.decision_id)
                note = (
                    "This is the record that will be signed. Signing adds the signature box and the audit "
                    "trail's newest hash, then locks the decision and what it decides."
                )
            else:
                signed = self.backend.decision_signature(self.decision_id)
                if signed is None:
                    raise EhdeskError(f"decision {self.decision_id} is not signed yet; sign it instead")
                pdf = self.backend.document_pdf(signed.document_id)
                note = (
                    "The signed record this addendum amends (it stays as it was). The addendum is built "
                    "from the changed decision and signed as a record of its own, linked to this one."
                )
        except EhdeskError as error:
            self.preview.hide()
            self.preview_note.setText(f"The record cannot be shown: {error}")
            return
        if self.preview.show_pdf(pdf):
            self.preview_note.setText(note)
        else:
            self.preview.hide()
            self.preview_note.setText(
                "The record could not be drawn here; it is built and signed all the same."
            )

    # identity -----------------------------------------------------------------------------------------
    def _show_identity(self) -> None:
        try:
            identity = self.backend.my_signing_identity()
        except EhdeskError as error:
            identity = None
            problem = str(error)
        else:
            problem = (
                "You have no signing certificate yet, so you cannot sign. Ask an admin to issue one "
                "(File ▸ Users… ▸ Signing certificate…), then open this again."
            )
        if identity is None:
            self.identity_label.setText(problem)
            self.sign_button.setEnabled(False)
            self.password.setEnabled(False)
            self.draw_button.setEnabled(False)
            return
        actor = self.backend.actor
        who = actor.label if actor is not None else identity.subject
        self.identity_label.setText(identity_text(identity, who))
        self.identity_label.setToolTip(f"Certificate subject: {identity.subject}")
        if not identity.has_drawing:
            self.draw_button.setToolTip(
                "Optional: draw your signature once to show it beside your typed name in the box"
            )
        else:
            self.draw_button.setText("Re&draw my signature…")

    def draw_signature(self) -> None:
        dialog = SignaturePadDialog(self.backend.save_drawn_signature, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._drawing_saved)
        dialog.open()

    def _drawing_saved(self) -> None:
        self.status.setText("Your drawn signature is saved; it will appear in the signature box.")
        self._show_identity()

    # signing ------------------------------------------------------------------------------------------
    def take_password(self) -> str:
        """The typed password, wiped from the field (and its undo history) in the same step."""
        typed = self.password.text()
        self.password.setText("")  # setText, unlike clear(), also empties the undo history
        return typed

    def sign(self) -> None:
        if self.result_record is not None or not self.sign_button.isEnabled():
            return
        if not self.password.text():
            self.status.setText("Type your password to sign.")
            self.password.setFocus()
            return
        try:
            if self.addendum is not None:
                record = self.backend.add_addendum(self.decision_id, self.addendum, self.take_password())
            else:
                record = self.backend.sign_decision(self.decision_id, self.take_password())
        except (LoginFailed, WrongPassword) as error:
            self.status.setText(f"Not signed: {error}.")
            self.password.setFocus()
            return
        except EhdeskError as error:
            self.status.setText(f"Not signed: {error}")
            self.password.setFocus()
            return
        self.result_record = record
        self._after_signing(record)
        self.signed.emit(record)

    def _after_signing(self, record: SignedRecord) -> None:
        self.password.setEnabled(False)
        self.sign_button.setEnabled(False)
        self.draw_button.setEnabled(False)
        self.close_button.setText("&Close")
        self.close_button.setDefault(True)
        self.close_button.setFocus()
        self.status.setText(
            f"Signed and locked. SHA-256 of the stored record: {record.sha256}. "
            "Any later change is an addendum, signed again."
        )
        try:
            pdf = self.backend.document_pdf(record.document_id)
            verdict = self.backend.verify_document(record.document_id)
        except EhdeskError as error:
            self.preview_note.setText(f"Signed, but the stored record could not be shown: {error}")
            return
        self.preview.show()
        self.preview.show_pdf(pdf)
        self.preview_note.setText("The signed record as stored, with its visible signature.")
        self.verdict.show_verdict(verdict)


def identity_text(identity: IdentityInfo, who: str) -> str:
    """Whose certificate signs, and where it came from, in one line (the full subject is the tooltip)."""
    source = "issued by this authority" if identity.source == "issued" else "from the council's own PKI"
    drawn = "with your drawn signature" if identity.has_drawing else "no drawn signature (optional)"
    return (
        f"Signing as <b>{html.escape(who)}</b> — certificate {source}, "
        f"fingerprint {identity.fingerprint[:16]}…; {drawn}"
    )
