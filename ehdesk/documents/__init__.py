"""PDF documents a family and an auditor can rely on (reportlab platypus, no Qt).

One builder walks a form definition and a record's values into flowables, so every form prints from the
same declaration the screen and the validator read. Text stays text, in one embedded Unicode font, with
right-to-left names shaped and ordered before they reach a paragraph.
"""

from __future__ import annotations

from ehdesk.documents.meta import DocumentMeta, SignatureSlot
from ehdesk.documents.record import build_record_pdf, record_flowables

__all__ = ["DocumentMeta", "SignatureSlot", "build_record_pdf", "record_flowables"]
