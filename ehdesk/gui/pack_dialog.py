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

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
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
#: Pages are drawn onto the printer at no more than this resolution: sharp on paper, and a print to a
#: 1200 dpi PDF printer does not build gigapixel images.
MAX_PRINT_DPI = 300


def print_pdf(document: QPdfDocument, printer: QPrinter) -> int:
    """Draw every page of ``document`` onto ``printer``, each scaled to the printable area. Returns the
    number of pages printed (0 if the printer could not start)."""
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        area = printer.pageRect(QPrinter.Unit.DevicePixel)
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
            image = document.render(page, size)
            scale = min(area.width() / image.width(), area.height() / image.height())
            target = QRectF(QPointF(0, 0), image.size().toSizeF() * scale)
            painter.drawImage(target, image)
        return document.pageCount()
    finally:
        painter.end()


class PackDialog(QDialog):
    """One family's pack. ``shared`` fires with what the desk recorded (the casefile reloads)."""

    shared = Signal(object)
    message = Signal(str)

    def __init__(
        self, backend: Backend, family_id: int, reference: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.backend = backend
        self.family_id = family_id
        self.pack: Pack | None = None
        self.setWindowTitle(f"Privacy-notice pack · {reference}")
        self.resize(820, 900)

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

        self._buffer = QBuffer(self)
        self.document = QPdfDocument(self)
        self.preview = QPdfView(self)
        self.preview.setAccessibleName("Preview of the pack as it will be printed")
        self.preview.setDocument(self.document)
        self.preview.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.print_button = QPushButton("&Print…")
        self.print_button.setAccessibleName("Print the pack (Ctrl+P)")
        self.print_button.clicked.connect(self.ask_print)
        self.save_button = QPushButton("Save as P&DF…")
        self.save_button.setAccessibleName("Save the pack as a PDF file (Ctrl+S)")
        self.save_button.clicked.connect(self.ask_save)
        self.link_button = QPushButton("Mark &link sent")
        self.link_button.setAccessibleName("Record that the privacy-notice link was sent (Ctrl+L)")
        self.link_button.clicked.connect(self.mark_link_sent)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.print_button, self.save_button, self.link_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        for keys, slot in (
            (QKeySequence.StandardKey.Print, self.ask_print),
            (QKeySequence.StandardKey.Save, self.ask_save),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        QShortcut(QKeySequence("Ctrl+L"), self).activated.connect(self.mark_link_sent)

        layout = QVBoxLayout(self)
        layout.addLayout(options)
        layout.addWidget(self.status)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)
        self.pending_dialog: QDialog | None = None
        #: Lives as long as the dialog (a print dialog only borrows it), so a reprint keeps the printer
        #: and settings chosen the first time.
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self._printing: QPrintDialog | None = None

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
        self._show(pack.pdf)
        size = "large print" if pack.large_print else "standard print"
        self.status.setText(
            f"Script for {'a new' if pack.script == 'new' else 'an existing'} family · {size}"
        )
        return True

    def _show(self, pdf: bytes) -> None:
        self.document.close()
        self._buffer.close()
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    # sharing ------------------------------------------------------------------------------------------
    def ask_print(self) -> None:
        self.printer.setDocName(self.pack.filename if self.pack is not None else "privacy notice")
        self._open(self._print_dialog(), keep=True)

    def _print_dialog(self) -> QPrintDialog:
        """One print dialog for this window, made on first use and kept (not deleted on close): a
        print dialog deleted later while its owner is destroyed directly crashes Qt ("shared QObject
        was deleted directly"), and keeping it also keeps the worker's choices for a reprint."""
        if self._printing is None:
            self._printing = QPrintDialog(self.printer, self)
            self._printing.setWindowTitle("Print the privacy-notice pack")
            self._printing.accepted.connect(self._print_chosen)
            self._printing.finished.connect(self._dialog_closed)
        return self._printing

    def _print_chosen(self) -> None:
        """The print dialog's Print: print on the printer (and settings) the worker chose there."""
        self.print_to(self.printer)

    def print_to(self, printer: QPrinter) -> PackShared | None:
        """Print on ``printer`` (no dialog), then record the notice as shared by post or by hand."""
        if self.pack is None or self.document.status() != QPdfDocument.Status.Ready:
            return None
        if print_pdf(self.document, printer) == 0:
            show_error(self, "Not printed", "The printer could not start; check it is on and try again.")
            return None
        return self.record("printed")

    def ask_save(self) -> None:
        if self.pack is None:
            return
        dialog = QFileDialog(self, "Save the privacy-notice pack", self.pack.filename, "PDF files (*.pdf)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(lambda name: self.save_to(Path(name)))
        self._open(dialog)

    def save_to(self, path: Path) -> PackShared | None:
        """Write the pack's exact bytes to ``path``, then record the notice as shared."""
        if self.pack is None:
            return None
        try:
            path.write_bytes(self.pack.pdf)
        except OSError as error:
            show_error(self, "Not saved", f"Could not write {path}: {error.strerror}. Choose another folder.")
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

    def _open(self, dialog: QDialog, *, keep: bool = False) -> None:
        """Open ``dialog`` window-modal; it is deleted when closed unless ``keep`` (the print dialog)."""
        if not keep:
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(self._dialog_closed)
        self.pending_dialog = dialog
        # QDialog.open, not dialog.open: PySide binds QPrintDialog.open only as open(receiver, member),
        # so the plain call raised TypeError inside the slot and the print dialog never appeared.
        QDialog.open(dialog)

    def _dialog_closed(self) -> None:
        self.pending_dialog = None
