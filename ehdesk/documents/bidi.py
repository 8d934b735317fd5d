"""Right-to-left text made printable: shaped with arabic-reshaper, put in visual order with python-bidi.

reportlab 5 lays out characters left to right in the order stored and draws Arabic letters in their
isolated forms, so "سارة" would print as four separate letters backwards. Shaping picks each letter's
joined form; the bidi algorithm then reorders the line as it must appear. Text with no right-to-left
letters passes through untouched (Welsh, Vietnamese and Polish need no help, only a font that has them).
"""

from __future__ import annotations

import functools
import unicodedata

_RTL = {"R", "AL", "AN"}


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in _RTL for ch in text)


@functools.lru_cache(maxsize=4096)
def visual(text: str) -> str:
    """``text`` as it must be drawn left to right: joined Arabic forms, right-to-left runs reversed."""
    if not has_rtl(text):
        return text
    import arabic_reshaper  # type: ignore[import-untyped]
    from bidi import get_display  # type: ignore[import-untyped]

    lines = [str(get_display(arabic_reshaper.reshape(line))) for line in text.split("\n")]
    return "\n".join(lines)
