"""Right-to-left text made printable: shaped with arabic-reshaper, put in visual order with python-bidi.

reportlab 5 lays out characters left to right in the order stored and draws Arabic letters in their
isolated forms, so "سارة" would print as four separate letters backwards. Shaping picks each letter's
joined form; the bidi algorithm then reorders the line as it must appear. Text with no right-to-left
letters passes through untouched (Welsh, Vietnamese and Polish need no help, only a font that has them).

Brackets need one more step. In a right-to-left run "(" is drawn as ")" (Unicode's rule L4: a mirrored
character at an odd level takes its mirror image), or "أحمد (سارة)" prints with its brackets facing
away from the name. python-bidi's Rust ``get_display`` resolves the levels correctly (bracket pairs
included, rule N0) but does not mirror; its pure-Python algorithm mirrors but predates bracket pairs,
so in a left-to-right line it leaves one bracket of a right-to-left pair facing the wrong way. So the
levels come from the Rust code and the last two steps (reorder, rule L2, and mirror, rule L4) are done
here: a few lines, and the levels are the hard part.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_RTL = {"R", "AL", "AN"}
_LEVEL = re.compile(r"Level\(\s*(\d+)")
_LEVELS = re.compile(r"levels: \[(.*?)\]", re.DOTALL)
_TRAILING = {"WS", "S", "B", "BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in _RTL for ch in text)


def _levels(line: str) -> list[int]:
    """The resolved embedding level of each character of ``line`` (one paragraph), from unicode-bidi.

    python-bidi exposes them only in its debug description, one level per UTF-8 byte; the first byte
    of each character carries the character's level."""
    from bidi import get_base_level, get_display  # type: ignore[import-untyped]

    found = _LEVELS.search(str(get_display(line, debug=True)))
    per_byte = [int(n) for n in _LEVEL.findall(found.group(1))] if found else []
    if len(per_byte) != len(line.encode("utf-8")):
        raise RuntimeError("python-bidi's level report changed shape; update ehdesk.documents.bidi")
    levels, offset = [], 0
    for ch in line:
        levels.append(per_byte[offset])
        offset += len(ch.encode("utf-8"))
    base = int(get_base_level(line))
    # rule L1: whitespace at the end of the line goes back to the paragraph's own level
    for index in range(len(line) - 1, -1, -1):
        if unicodedata.bidirectional(line[index]) not in _TRAILING:
            break
        levels[index] = base
    return levels


def _visual_line(line: str) -> str:
    """One line in drawing order: runs reversed from the highest level down (L2), mirrored (L4)."""
    from bidi.mirror import MIRRORED  # type: ignore[import-untyped]

    if not line:
        return line
    levels = _levels(line)
    chars = [MIRRORED.get(ch, ch) if level % 2 else ch for ch, level in zip(line, levels, strict=True)]
    order = list(range(len(chars)))
    lowest_odd = min((level for level in levels if level % 2), default=None)
    if lowest_odd is not None:
        for level in range(max(levels), lowest_odd - 1, -1):
            index = 0
            while index < len(order):
                if levels[order[index]] >= level:
                    end = index
                    while end < len(order) and levels[order[end]] >= level:
                        end += 1
                    order[index:end] = order[index:end][::-1]
                    index = end
                else:
                    index += 1
    return "".join(chars[i] for i in order)


@functools.lru_cache(maxsize=4096)
def visual(text: str) -> str:
    """``text`` as it must be drawn left to right: joined Arabic forms, right-to-left runs reversed,
    brackets in right-to-left runs mirrored."""
    if not has_rtl(text):
        return text
    import arabic_reshaper  # type: ignore[import-untyped]

    return "\n".join(_visual_line(arabic_reshaper.reshape(line)) for line in text.split("\n"))
