"""A finished PDF shown as it will print, with Print and Save as PDF: the share's explanation record.

Like the privacy-notice pack (:mod:`ehdesk.gui.pack_dialog`), the preview is the document's own bytes
rendered by QtPdf, so what the worker reads is what the family is given (G11–G14, G18). Unlike the pack,
handing it over records nothing: the share itself is the record, the explanation is its copy for the
family, and it can be printed again whenever they ask.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ehdesk.gui.error_box import show_error
from ehdesk.gui.pack_dialog import print_pdf


class PdfPreviewDialog(QDialog):
    """``pdf`` previewed; Ctrl+P prints it, Ctrl+S saves it (as ``filename`` unless renamed)."""

    message = Signal(str)

    def __init__(
        self, title: str, filename: str, pdf: bytes, note: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(820, 900)
        self.filename = filename
        self.pdf = pdf
        self.saved_to: Path | None = None
        self.pending_dialog: QDialog | None = None
        #: Lives as long as this dialog (a print dialog only borrows it): a reprint keeps the choice.
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self._printing: QPrintDialog | None = None
        self.note = QLabel(note)
        self.note.setWordWrap(True)
        self.note.setVisible(bool(note))
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.preview = QPdfView(self)
        self.preview.setAccessibleName(f"Preview of the {title.lower()} as it will be printed")
        self.preview.setDocument(self.document)
        self.preview.setPageMode(QPdfView.PageMode.MultiPage)
        self.preview.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.print_button = QPushButton("&Print…")
        self.print_button.setAccessibleName("Print (Ctrl+P)")
        self.print_button.clicked.connect(self.ask_print)
        self.save_button = QPushButton("Save as P&DF…")
        self.save_button.setAccessibleName("Save as a PDF file (Ctrl+S)")
        self.save_button.clicked.connect(self.ask_save)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self).activated.connect(self.ask_print)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self).activated.connect(self.ask_save)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.note)
        self.body.addWidget(self.preview, 1)
        self.body.addLayout(buttons)

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def ask_print(self) -> None:
        self.printer.setDocName(self.filename)
        self._open(self._print_dialog(), keep=True)

    def _print_dialog(self) -> QPrintDialog:
        """One print dialog for this window, made on first use and kept (not deleted on close): a
        print dialog deleted later while its owner is destroyed directly crashes Qt ("shared QObject
        was deleted directly"), and keeping it also keeps the worker's choices for a reprint."""
        if self._printing is None:
            self._printing = QPrintDialog(self.printer, self)
            self._printing.setWindowTitle(f"Print the {self.windowTitle().lower()}")
            self._printing.accepted.connect(self._print_chosen)
            self._printing.finished.connect(self._dialog_closed)
        return self._printing

    def _print_chosen(self) -> None:
        """The print dialog's Print: print on the printer (and settings) chosen there."""
        self.print_to(self.printer)

    def print_to(self, printer: QPrinter) -> bool:
        if print_pdf(self.document, printer) == 0:
            show_error(self, "Not printed", "The printer could not start; check it is on and try again.")
            return False
        self.message.emit(f"{self.windowTitle()}: printed")
        return True

    def ask_save(self) -> None:
        dialog = QFileDialog(
            self, f"Save the {self.windowTitle().lower()}", self.filename, "PDF files (*.pdf)"
        )
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(lambda name: self.save_to(Path(name)))
        self._open(dialog)

    def save_to(self, path: Path) -> bool:
        """Write the PDF's exact bytes to ``path``."""
        try:
            path.write_bytes(self.pdf)
        except OSError as error:
            show_error(self, "Not saved", f"Could not write {path}: {error.strerror}. Choose another folder.")
            return False
        self.saved_to = path
        self.message.emit(f"Saved {path.name}")
        return True

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
