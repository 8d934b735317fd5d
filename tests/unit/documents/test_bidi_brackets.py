"""Brackets inside right-to-left text are drawn mirrored (Unicode rule L4), so they face the words
they enclose on the printed page: "أحمد (سارة)" must not print as "أحمد )سارة(".

Text-extraction tools (pypdf, pdftotext) run their own bidi guesses over what they read back, which
hides the drawing order; so the PDF test decodes the strings exactly as the page draws them, left to
right, through each font's ToUnicode map.
"""

from __future__ import annotations

import io
import re
from typing import Any

import arabic_reshaper  # type: ignore[import-untyped]
from pypdf import PdfReader

from ehdesk.documents import DocumentMeta, build_record_pdf
from ehdesk.documents.bidi import visual

NAME = "أحمد (سارة)"
AHMED = arabic_reshaper.reshape("أحمد")
SARA = arabic_reshaper.reshape("سارة")


def _reversed(word: str) -> str:
    return word[::-1]


def test_brackets_of_a_right_to_left_line_are_mirrored() -> None:
    # drawn left to right: the bracketed name first, its brackets facing inwards, then the first name
    assert visual(NAME) == f"({_reversed(SARA)}) {_reversed(AHMED)}"


def test_brackets_in_a_left_to_right_line_around_arabic_are_mirrored_as_a_pair() -> None:
    # the pair resolves to the Arabic run's direction (rule N0), so both brackets turn, not just one
    assert visual(f"Name: {NAME}") == f"Name: ({_reversed(SARA)}) {_reversed(AHMED)}"


def test_brackets_around_latin_text_are_left_alone() -> None:
    assert visual("Ahmed (Sara) [أحمد] {x}") == f"Ahmed (Sara) [{_reversed(AHMED)}] {{x}}"
    assert visual("Smith (Ava)") == "Smith (Ava)"


def _unicode_maps(page: Any) -> dict[str, dict[int, str]]:
    maps: dict[str, dict[int, str]] = {}
    for name, ref in page["/Resources"]["/Font"].items():
        font = ref.get_object()
        if "/ToUnicode" not in font:
            continue
        cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
        pairs = re.findall(r"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4,})>", cmap)
        maps[name] = {int(code, 16): bytes.fromhex(uni).decode("utf-16-be") for code, uni in pairs}
    return maps


def drawn_strings(pdf: bytes) -> list[str]:
    """Every string a page draws (Tj), decoded in drawing order, no bidi applied."""
    out: list[str] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        maps = _unicode_maps(page)
        font: dict[int, str] = {}

        def visit(op: bytes, args: list[Any], _cm: Any, _tm: Any, maps: Any = maps) -> None:
            nonlocal font
            if op == b"Tf":
                font = maps.get(str(args[0]), {})
            elif op == b"Tj" and isinstance(args[0], bytes):
                out.append("".join(font.get(b, chr(b)) for b in args[0]))

        page.extract_text(visitor_operand_before=visit)
    return out


def test_a_printed_arabic_answer_draws_its_brackets_facing_the_name() -> None:
    values = {
        "subject": "share",
        "decision": "Share with the school.",
        "rationale": NAME,
        "decided_on": "2025-03-12",
    }
    meta = DocumentMeta(title="Management decision", family_reference="EH-000001", author="Mo Manager")
    drawn = drawn_strings(build_record_pdf("decision", values, meta))
    assert f"({_reversed(SARA)}) {_reversed(AHMED)}" in drawn
    assert not any(f"){_reversed(SARA)}(" in line for line in drawn)  # the old, outward-facing print
