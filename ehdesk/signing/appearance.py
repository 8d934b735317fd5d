"""The visible signature: a box with the signer's typed name, role, date and, if captured, their drawing.

The box is drawn with reportlab (the same embedded DejaVu font as the page, right-to-left names shaped)
into a one-page PDF the size of the box, which pyHanko then uses as the signature widget's appearance.
pyHanko's own text stamps would print in a non-embedded base-14 font that cannot show an Arabic name.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from ehdesk.documents.bidi import visual
from ehdesk.documents.fonts import BOLD, REGULAR, register_fonts
from ehdesk.documents.styles import ACCENT, INK, MUTED, PANEL
from ehdesk.signing.errors import SigningError


@dataclass(frozen=True)
class SignatureAppearance:
    """What the signature box shows. ``drawing`` is PNG bytes from the signature pad (or ``None``)."""

    name: str
    role: str
    drawing: bytes | None = None


def _fit(canv: Canvas, text: str, font: str, size: float, width: float) -> float:
    """The largest size up to ``size`` at which ``text`` fits ``width`` (long names shrink, never clip)."""
    while size > 5 and canv.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def stamp_pdf(
    appearance: SignatureAppearance, signed_at: datetime, audit_hash: str, width: float, height: float
) -> bytes:
    """A one-page PDF, ``width`` × ``height`` points, showing the signature box."""
    register_fonts()
    out = io.BytesIO()
    canv = Canvas(out, pagesize=(width, height), initialFontName=REGULAR, invariant=False)
    canv.setFillColor(PANEL)
    canv.setStrokeColor(ACCENT)
    canv.setLineWidth(1.2)
    canv.rect(0.6, 0.6, width - 1.2, height - 1.2, fill=1, stroke=1)
    pad = height * 0.08
    text_x = pad * 1.5
    if appearance.drawing:
        try:
            image = ImageReader(io.BytesIO(appearance.drawing))
        except Exception as error:
            raise SigningError(
                f"the drawn signature is not a readable image ({error}); draw it again"
            ) from None
        box_w, box_h = width * 0.36, height - 2 * pad
        iw, ih = image.getSize()
        scale = min(box_w / iw, box_h / ih)
        canv.drawImage(
            image,
            pad + (box_w - iw * scale) / 2,
            pad + (box_h - ih * scale) / 2,
            iw * scale,
            ih * scale,
            mask="auto",
        )
        text_x = pad * 2 + box_w
    room = width - text_x - pad
    unit = height / 7.2
    lines = [
        ("Signed electronically by", REGULAR, unit * 0.85, MUTED),
        (visual(appearance.name), BOLD, unit * 1.35, INK),
        (visual(appearance.role), REGULAR, unit * 1.0, INK),
        (f"{signed_at.day} {signed_at:%B %Y, %H:%M}", REGULAR, unit * 1.0, INK),
    ]
    if audit_hash:
        lines.append((f"Audit ref {audit_hash[:16]}", REGULAR, unit * 0.8, MUTED))
    y = height - pad * 0.6
    for text, font, size, colour in lines:
        fitted = _fit(canv, text, font, size, room)
        y -= fitted * 1.22
        canv.setFont(font, fitted)
        canv.setFillColor(colour)
        canv.drawString(text_x, y, text)
    canv.showPage()
    canv.save()
    return out.getvalue()
