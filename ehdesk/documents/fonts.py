"""The one embedded Unicode font every ehdesk PDF uses, registered with reportlab once per process.

reportlab's built-in Helvetica is neither embedded nor able to print Welsh ŵ, Vietnamese ơ or Arabic
letters, so each document sets DejaVu Sans as its initial font and nothing ever falls back to a base-14
font. The TTF travels in ``resources/fonts`` (and in the PyInstaller bundle); the system copy is the last
resort for an installed package without the resources folder.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from ehdesk.errors import ConfigError

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
FAMILY = "DejaVu"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_SYSTEM = Path("/usr/share/fonts/truetype/dejavu")


def font_dirs() -> list[Path]:
    """Where the fonts may be: the source tree, a PyInstaller bundle, an install prefix, the system."""
    dirs = [Path(__file__).resolve().parents[2] / "resources" / "fonts"]
    bundle = getattr(sys, "_MEIPASS", None)
    if isinstance(bundle, str):
        dirs.append(Path(bundle) / "resources" / "fonts")
    dirs += [Path(sys.prefix) / "share" / "ehdesk" / "fonts", _SYSTEM]
    return dirs


def font_path(name: str) -> Path:
    filename = _FILES[name]
    for folder in font_dirs():
        candidate = folder / filename
        if candidate.is_file():
            return candidate
    raise ConfigError(
        f"the font file {filename} is missing; reinstall ehdesk or install the DejaVu fonts "
        "(Debian: fonts-dejavu-core)"
    )


@functools.cache
def register_fonts() -> str:
    """Register DejaVu Sans (regular and bold) as one family; returns the regular font's name."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name in _FILES:
        pdfmetrics.registerFont(TTFont(name, str(font_path(name))))
    for family in (FAMILY, REGULAR, BOLD):  # <b> inside a paragraph looks the family up by font name
        for bold, italic, face in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
            addMapping(family, bold, italic, face)
    return REGULAR
