"""PDFs shown as they will print: the one preview widget, and the window around it with Print and Save.

Every PDF the desk hands over (the privacy-notice pack, the share's explanation record, a stored signed
record, a closure letter) is previewed from the document's own bytes rendered by QtPdf, so what the user
reads is what the family or agency is given (G11–G14, G18, G19), not a second layout of the same text.
:class:`PdfPreview` is that view; :class:`PdfWindow` adds the Print (Ctrl+P) and Save as PDF (Ctrl+S)
machinery the pack and the plain preview share, leaving each to say what handing the PDF over records.

:class:`PdfPreviewDialog` records nothing: a share's explanation is the share's copy for the family, and
it can be printed again whenever they ask.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from ehdesk.gui.error_box import show_error

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


class PdfPreview(QWidget):
    """A PDF shown from bytes; the document and the buffer it reads live as long as the view.

    The document is made before the view, so when the preview is deleted the document goes first while
    the view is still whole: a document owned by the view itself would signal a half-destroyed view
    from its destructor (a crash on closing a dialog).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._data = QByteArray()
        self._buffer = QBuffer(self)
        self.pdf = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.pdf)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFocusProxy(self.view)
        self.setAccessibleName("Preview of the record")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

    def setAccessibleName(self, name: str) -> None:  # noqa: N802 (Qt override)
        super().setAccessibleName(name)
        self.view.setAccessibleName(name)

    def show_pdf(self, data: bytes) -> bool:
        """Render ``data``; False (and an empty view) if it cannot be read as a PDF."""
        self.pdf.close()
        self._buffer.close()
        self._data = QByteArray(data)
        self._buffer.setData(self._data)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.load(self._buffer)
        return bool(self.pdf.status() == QPdfDocument.Status.Ready and self.pdf.pageCount() > 0)

    @property
    def page_count(self) -> int:
        return int(self.pdf.pageCount())


class PdfWindow(QDialog):
    """A dialog around one :class:`PdfPreview` with Print… (Ctrl+P), Save as PDF… (Ctrl+S) and Close.

    ``what`` names the document in the buttons' and dialogs' wording ("the pack"). Subclasses decide
    what a print or a save means by overriding :meth:`print_to` and :meth:`save_to`; this class owns the
    printer, the print and file dialogs and the window-modal way they open.
    """

    message = Signal(str)

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.what = what
        self.resize(820, 900)
        self.pending_dialog: QDialog | None = None
        #: Lives as long as the dialog (a print dialog only borrows it), so a reprint keeps the printer
        #: and settings chosen the first time.
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self._printing: QPrintDialog | None = None
        self.preview = PdfPreview(self)
        self.preview.setAccessibleName(f"Preview of {what} as it will be printed")
        self.document = self.preview.pdf
        self.print_button = QPushButton("&Print…")
        self.print_button.setAccessibleName(f"Print {what} (Ctrl+P)")
        self.print_button.clicked.connect(self.ask_print)
        self.save_button = QPushButton("Save as P&DF…")
        self.save_button.setAccessibleName(f"Save {what} as a PDF file (Ctrl+S)")
        self.save_button.clicked.connect(self.ask_save)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.reject)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.print_button)
        self.buttons.addWidget(self.save_button)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.close_button)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self).activated.connect(self.ask_print)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self).activated.connect(self.ask_save)

    @property
    def page_count(self) -> int:
        return self.preview.page_count

    def document_name(self) -> str | None:
        """The name a print job and a saved file get; None while there is nothing to hand over."""
        raise NotImplementedError

    def ask_print(self) -> None:
        self.printer.setDocName(self.document_name() or self.what)
        self._open(self._print_dialog(), keep=True)

    def _print_dialog(self) -> QPrintDialog:
        """One print dialog for this window, made on first use and kept (not deleted on close): a
        print dialog deleted later while its owner is destroyed directly crashes Qt ("shared QObject
        was deleted directly"), and keeping it also keeps the user's choices for a reprint."""
        if self._printing is None:
            self._printing = QPrintDialog(self.printer, self)
            self._printing.setWindowTitle(f"Print {self.what}")
            self._printing.accepted.connect(self._print_chosen)
            self._printing.finished.connect(self._dialog_closed)
        return self._printing

    def _print_chosen(self) -> None:
        """The print dialog's Print: print on the printer (and settings) chosen there."""
        self.print_to(self.printer)

    def print_to(self, printer: QPrinter) -> object:
        """Print on ``printer`` (no dialog); subclasses say what a print records."""
        raise NotImplementedError

    def printed(self, printer: QPrinter) -> bool:
        """Draw the document on ``printer``; say so plainly when the printer does not start."""
        if print_pdf(self.document, printer) == 0:
            show_error(self, "Not printed", "The printer could not start; check it is on and try again.")
            return False
        return True

    def ask_save(self) -> None:
        filename = self.document_name()
        if filename is None:
            return
        dialog = QFileDialog(self, f"Save {self.what}", filename, "PDF files (*.pdf)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(lambda name: self.save_to(Path(name)))
        self._open(dialog)

    def save_to(self, path: Path) -> object:
        """Save to ``path`` (no dialog); subclasses say what a save records."""
        raise NotImplementedError

    def written(self, path: Path, pdf: bytes) -> bool:
        """Write ``pdf``'s exact bytes to ``path``; say what to do when the folder refuses."""
        try:
            path.write_bytes(pdf)
        except OSError as error:
            show_error(self, "Not saved", f"Could not write {path}: {error.strerror}. Choose another folder.")
            return False
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


class PdfPreviewDialog(PdfWindow):
    """``pdf`` previewed; Ctrl+P prints it, Ctrl+S saves it (as ``filename`` unless renamed)."""

    def __init__(
        self, title: str, filename: str, pdf: bytes, note: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(f"the {title.lower()}", parent)
        self.setWindowTitle(title)
        self.filename = filename
        self.pdf = pdf
        self.saved_to: Path | None = None
        self.note = QLabel(note)
        self.note.setWordWrap(True)
        self.note.setVisible(bool(note))
        self.preview.show_pdf(pdf)
        self.body = QVBoxLayout(self)
        self.body.addWidget(self.note)
        self.body.addWidget(self.preview, 1)
        self.body.addLayout(self.buttons)

    def document_name(self) -> str:
        return self.filename

    def print_to(self, printer: QPrinter) -> bool:
        if not self.printed(printer):
            return False
        self.message.emit(f"{self.windowTitle()}: printed")
        return True

    def save_to(self, path: Path) -> bool:
        """Write the PDF's exact bytes to ``path``."""
        if not self.written(path, self.pdf):
            return False
        self.saved_to = path
        self.message.emit(f"Saved {path.name}")
        return True
