"""The privacy-notice pack for one family (G3–G6): preview, then print, save as PDF or mark the link sent.

The preview is the stored PDF itself, rendered by QtPdf, so what the worker sees is exactly what is
printed, saved or linked — not a second layout of the same text. Printing renders those same pages onto
the printer. Whichever way the notice goes to the family, the desk writes the evidence: the casenote
titled exactly "privacy notice shared" with date, method, worker and policy stamp (G4); a second one on
the same day for the same family is not written, so a reprint after a paper jam adds nothing.

The conversation script is chosen from the family's history (new or existing family, G5/G6) unless the
worker overrides it; large print is chosen per family and remembered by the desk.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ehdesk.desk.worker import Pack, PackShared
from ehdesk.errors import EhdeskError
from ehdesk.gui.backend import Backend
from ehdesk.gui.error_box import show_error
from ehdesk.gui.pdf_preview import PdfWindow

SCRIPTS = (
    (None, "Chosen from the family's history"),
    ("new", "New family (guidance G5)"),
    ("existing", "Existing family (guidance G6)"),
)
#: The pack window's own keys, as Help ▸ Keyboard shortcuts lists them (where, keys, what).
HELP_ROWS = (
    ("In a privacy-notice pack", "Ctrl+P", "Print the pack"),
    ("In a privacy-notice pack", "Ctrl+S", "Save the pack as a PDF file"),
    ("In a privacy-notice pack", "Ctrl+L", "Record that the link was sent"),
)


class PackDialog(PdfWindow):
    """One family's pack. ``shared`` fires with what the desk recorded (the casefile reloads)."""

    shared = Signal(object)

    def __init__(
        self, backend: Backend, family_id: int, reference: str, parent: QWidget | None = None
    ) -> None:
        super().__init__("the privacy-notice pack", parent)
        self.backend = backend
        self.family_id = family_id
        self.pack: Pack | None = None
        self.setWindowTitle(f"Privacy-notice pack · {reference}")

        self.script = QComboBox()
        self.script.setAccessibleName("Conversation script printed in the pack")
        for value, label in SCRIPTS:
            self.script.addItem(label, value)
        self.large_print = QCheckBox("Lar&ge print (16 pt and over)")
        self.large_print.setAccessibleName("Large print for this family")
        self.sent_to: QLineEdit = QLineEdit()
        self.sent_to.setPlaceholderText("e-mail address or mobile number the link went to")
        self.sent_to.setAccessibleName("Where the privacy-notice link was sent")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("What the pack holds and whether it was shared")
        options = QFormLayout()
        script_label = QLabel("&Script:")
        script_label.setBuddy(self.script)
        options.addRow(script_label, self.script)
        options.addRow("", self.large_print)
        sent_label = QLabel("Link sent &to:")
        sent_label.setBuddy(self.sent_to)
        options.addRow(sent_label, self.sent_to)

        self.link_button = QPushButton("Mark &link sent")
        self.link_button.setAccessibleName("Record that the privacy-notice link was sent (Ctrl+L)")
        self.link_button.clicked.connect(self.mark_link_sent)
        self.buttons.insertWidget(2, self.link_button)
        QShortcut(QKeySequence("Ctrl+L"), self).activated.connect(self.mark_link_sent)

        layout = QVBoxLayout(self)
        layout.addLayout(options)
        layout.addWidget(self.status)
        layout.addWidget(self.preview, 1)
        layout.addLayout(self.buttons)

        self.build(script=None, large_print=None)
        self.script.currentIndexChanged.connect(self._options_changed)
        self.large_print.toggled.connect(self._options_changed)

    # building -----------------------------------------------------------------------------------------
    def _options_changed(self) -> None:
        script = self.script.currentData()
        self.build(
            script=script if isinstance(script, str) else None, large_print=self.large_print.isChecked()
        )

    def build(self, *, script: str | None, large_print: bool | None) -> bool:
        """Ask the desk for the pack and show it; on a refusal, say why and keep the options."""
        try:
            pack = self.backend.privacy_notice_pack(self.family_id, script=script, large_print=large_print)
        except EhdeskError as error:
            self._refused("No pack made", error)
            return False
        self.pack = pack
        self.large_print.blockSignals(True)
        self.large_print.setChecked(pack.large_print)
        self.large_print.blockSignals(False)
        self.preview.show_pdf(pack.pdf)
        size = "large print" if pack.large_print else "standard print"
        self.status.setText(
            f"Script for {'a new' if pack.script == 'new' else 'an existing'} family · {size}"
        )
        return True

    # sharing ------------------------------------------------------------------------------------------
    def document_name(self) -> str | None:
        return self.pack.filename if self.pack is not None else None

    def print_to(self, printer: QPrinter) -> PackShared | None:
        """Print on ``printer`` (no dialog), then record the notice as shared by post or by hand."""
        if self.pack is None or self.document.status() != QPdfDocument.Status.Ready:
            return None
        if not self.printed(printer):
            return None
        return self.record("printed")

    def save_to(self, path: Path) -> PackShared | None:
        """Write the pack's exact bytes to ``path``, then record the notice as shared."""
        if self.pack is None:
            return None
        if not self.written(path, self.pack.pdf):
            return None
        return self.record("saved")

    def mark_link_sent(self) -> PackShared | None:
        """Record the link as sent to the address typed beside the button (asked for if blank)."""
        if not self.sent_to.text().strip():
            self.status.setText("Type where the link was sent (e-mail or mobile), then mark it sent.")
            self.sent_to.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        return self.record("link", sent_to=self.sent_to.text().strip())

    def record(self, method: str, *, sent_to: str | None = None) -> PackShared | None:
        if self.pack is None:
            return None
        try:
            shared = self.backend.record_pack_shared(self.family_id, method, self.pack, sent_to=sent_to)
        except EhdeskError as error:
            self._refused("Not recorded", error)
            return None
        how = {"printed": "printed", "saved": "saved as PDF", "link": "link sent"}[method]
        evidence = (
            "the casefile now holds the evidence (G4)"
            if shared.casenote_written
            else "today's evidence was already on the casefile, so no second casenote"
        )
        self.status.setText(f"Privacy notice {how}; {evidence}.")
        self.message.emit(f"Privacy notice {how}")
        self.shared.emit(shared)
        return shared

    def _refused(self, title: str, error: EhdeskError) -> None:
        self.status.setText(str(error))
        self.message.emit(str(error))
        if self.isVisible():
            show_error(self, title, str(error))
