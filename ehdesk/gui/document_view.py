"""A stored document opened from the casefile or the decision view: the stored bytes themselves, previewed
by QtPdf, with the signature verdict and "Save as PDF…" writing exactly those bytes.

A signed decision record is only worth something outside ehdesk if the exact signed file can be handed
to the family or an agency: any re-rendering would break the signature. So the preview, the print and
the save all work from the bytes the desk stored, and the verdict beside them is the one
``ehdesk verify`` prints for that file (G19), so whoever sends it sees first that it is intact and
trusted.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from ehdesk.desk.manager import Verdict
from ehdesk.errors import EhdeskError, NotFound
from ehdesk.gui.backend import Backend
from ehdesk.gui.pdf_preview import PdfPreviewDialog
from ehdesk.gui.verdict_widget import VerdictWidget

NOTE = "The stored file itself: saving writes these exact bytes, so its signature still verifies."
UNSIGNED = "This document is not signed, so there is no signature to check."


def document_verdict(backend: Backend, document_id: int) -> tuple[Verdict | None, str]:
    """The verdict on a stored document and a line about it (an unsigned document has no verdict)."""
    try:
        return backend.verify_document(document_id), NOTE
    except NotFound:
        return None, UNSIGNED
    except EhdeskError as error:
        return None, f"The signature could not be checked: {error}"


class DocumentDialog(PdfPreviewDialog):
    """The stored document ``document_id``: preview, verdict, Print and Save as PDF (its exact bytes).
    Raises ``EhdeskError`` when it cannot be read (gone, or a family the user may not see)."""

    def __init__(
        self, backend: Backend, document_id: int, title: str, filename: str, parent: QWidget | None = None
    ) -> None:
        pdf = backend.document_pdf(document_id)
        verdict, note = document_verdict(backend, document_id)
        super().__init__(title, filename, pdf, note, parent)
        self.document_id = document_id
        self.verdict = VerdictWidget(verdict)
        self.body.insertWidget(1, self.verdict)
