"""One stylesheet for every ehdesk PDF, in a standard and a large-print size (16 pt and up).

Sizes are derived from one base size, so the large-print variant is the same document scaled for
reading rather than a second layout to keep in step.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from ehdesk.documents.fonts import BOLD, REGULAR, register_fonts

INK = colors.HexColor("#1d1d1f")
MUTED = colors.HexColor("#55595f")
ACCENT = colors.HexColor("#1f4e79")
RULE = colors.HexColor("#c9ced6")
PANEL = colors.HexColor("#f1f4f8")

STANDARD_SIZE = 11.0
LARGE_PRINT_SIZE = 16.0

PAGE: Mapping[str, Any] = MappingProxyType(
    {
        "pagesize": A4,
        "leftMargin": 20 * mm,
        "rightMargin": 20 * mm,
        "topMargin": 18 * mm,
        "bottomMargin": 22 * mm,
    }
)
"""The page every ehdesk PDF is laid out on — A4 and its margins — as ``SimpleDocTemplate`` arguments
(the benchmark's bare reportlab floor sets the same text on the same page)."""


@dataclass(frozen=True)
class Styles:
    size: float
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    label: ParagraphStyle
    answer: ParagraphStyle
    item: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    tag: ParagraphStyle

    @property
    def leading(self) -> float:
        return self.size * 1.35


@functools.cache
def styles(large_print: bool = False) -> Styles:
    """The stylesheet; ``large_print`` sets the smallest text at 16 pt."""
    register_fonts()
    size = LARGE_PRINT_SIZE if large_print else STANDARD_SIZE
    smallest = size if large_print else size - 2

    def style(name: str, font: str, points: float, color: colors.Color = INK, **kw: float) -> ParagraphStyle:
        return ParagraphStyle(
            name, fontName=font, fontSize=points, leading=points * 1.35, textColor=color, **kw
        )

    return Styles(
        size=size,
        title=style("title", BOLD, size * 1.8, ACCENT, spaceAfter=size * 0.3),
        subtitle=style("subtitle", REGULAR, size * 1.05, MUTED, spaceAfter=size * 0.9),
        heading=style("heading", BOLD, size * 1.3, ACCENT, spaceBefore=size * 1.1, spaceAfter=size * 0.4),
        subheading=style("subheading", BOLD, size * 1.05, INK, spaceBefore=size * 0.5, spaceAfter=2),
        label=style("label", BOLD, size, INK, spaceBefore=size * 0.45),
        answer=style("answer", REGULAR, size, INK, leftIndent=size * 0.8, spaceBefore=1),
        item=style("item", REGULAR, size, INK, leftIndent=size * 0.8, spaceBefore=size * 0.35),
        body=style("body", REGULAR, size, INK, spaceAfter=size * 0.4),
        small=style("small", REGULAR, smallest, MUTED),
        tag=style("tag", REGULAR, smallest, MUTED),
    )
