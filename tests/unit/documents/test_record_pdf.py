"""The record builder: every answer as text, nothing hidden printed, fonts embedded, RTL shaped."""

from __future__ import annotations

import io
import subprocess
from datetime import date
from typing import Any

import arabic_reshaper  # type: ignore[import-untyped]
import pytest
from pypdf import PdfReader

from ehdesk.documents import DocumentMeta, build_record_pdf
from ehdesk.documents.record import footer_lines
from ehdesk.documents.styles import LARGE_PRINT_SIZE

DECLINE_DECISION: dict[str, Any] = {
    "subject": "decline",
    "decision": "Close Early Help with the family's agreement.",
    "rationale": "The family said no; the school nurse stays involved.",
    "decided_on": "2025-03-12",
    "existing_network": "School nurse and GP will keep in touch.",
    "closure_contacts": [
        {"who": "Mrs Jones", "agency": "Hillside Primary", "told_on": "2025-03-10"},
        {"who": "Dr Ng", "agency": "Valley Surgery"},
    ],
    "concerns_raised": False,
    "concerns_reasoning": "No new worries for the children.",
    "threshold_needed": False,
}
ARABIC_NAME = "سارة أحمد"


def meta(**changes: Any) -> DocumentMeta:
    base: dict[str, Any] = {
        "title": "Management decision",
        "family_name": "Family of Cerys Llŷr",
        "family_reference": "EH-000123",
        "author": "Mo Manager",
        "author_role": "Manager",
        "authority_name": "Example Borough Council",
        "policy_stamp": "2025.1+abcdef123456",
        "audit_hash": "ab" * 32,
        "record_date": date(2025, 3, 12),
    }
    return DocumentMeta(**{**base, **changes})


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_every_answer_label_obligation_and_the_policy_stamp_are_on_the_page() -> None:
    text = text_of(build_record_pdf("decision", DECLINE_DECISION, meta()))
    for expected in (
        "Management decision",
        "Close Early Help with the family's agreement.",
        "School nurse and GP will keep in touch.",
        "Mrs Jones",
        "10 March 2025",
        "Valley Surgery",
        "not yet recorded",  # G22: a contact still to be told has no made-up date
        "Does the decline raise concerns for the child(ren)?",
        "guidance G21",
        "guidance G24",
        "2025.1+abcdef123456",
        "ab" * 32,
        "Family of Cerys Llŷr",
    ):
        assert expected in text, expected


def test_fields_hidden_by_the_form_and_blank_answers_are_not_printed() -> None:
    values = {
        "subject": "share",
        "decision": "Share with the school.",
        "rationale": "Needed.",
        "decided_on": "2025-03-12",
        "existing_network": "should not appear",
    }
    text = text_of(build_record_pdf("decision", values, meta()))
    assert "Share with the school." in text
    assert "should not appear" not in text  # existing_network shows only for a decline (G21)
    assert "threshold" not in text.lower()


def test_an_arabic_name_comes_out_shaped_and_in_reading_order() -> None:
    text = text_of(build_record_pdf("decision", DECLINE_DECISION, meta(family_name=ARABIC_NAME)))
    joined_forms = [ch for ch in text if 0xFE70 <= ord(ch) <= 0xFEFF]
    assert len(joined_forms) >= 7  # presentation forms: the letters were joined before printing
    # pypdf reads right-to-left runs back into reading order: the name returns whole, in joined forms
    assert arabic_reshaper.reshape(ARABIC_NAME) in text
    assert ARABIC_NAME not in text  # never the unjoined letters


def test_welsh_vietnamese_and_polish_letters_print_as_typed() -> None:
    names = "Siân ap Gruffudd · Nguyễn Thị Ánh · Łucja Żółć"
    values = {**DECLINE_DECISION, "rationale": names}
    assert names in text_of(build_record_pdf("decision", values, meta()))


def test_metadata_holds_title_author_subject_and_language() -> None:
    pdf = build_record_pdf("decision", DECLINE_DECISION, meta(subject="Decision on a decline"))
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata is not None
    assert reader.metadata.title == "Management decision"
    assert reader.metadata.author == "Mo Manager"
    assert reader.metadata.subject == "Decision on a decline"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def _font_sizes(pdf: bytes) -> list[float]:
    sizes: list[float] = []

    def visit(op: bytes, args: list[Any], _cm: Any, _tm: Any) -> None:
        if op == b"Tf":
            sizes.append(float(args[1]))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_operand_before=visit)
    return sizes


def test_large_print_sets_every_text_at_16_points_or_more() -> None:
    sizes = _font_sizes(build_record_pdf("decision", DECLINE_DECISION, meta(large_print=True)))
    assert sizes
    assert min(sizes) >= LARGE_PRINT_SIZE
    assert min(_font_sizes(build_record_pdf("decision", DECLINE_DECISION, meta()))) < LARGE_PRINT_SIZE


@pytest.fixture
def record_file(tmp_path: Any) -> Any:
    path = tmp_path / "record.pdf"
    path.write_bytes(build_record_pdf("decision", DECLINE_DECISION, meta(family_name=ARABIC_NAME)))
    return path


def test_pdffonts_lists_only_embedded_fonts(record_file: Any) -> None:
    out = subprocess.run(["pdffonts", str(record_file)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows
    for row in rows:
        assert row.split()[-5] == "yes", row  # the "emb" column
        assert "Helvetica" not in row


def test_qpdf_finds_no_errors(record_file: Any) -> None:
    result = subprocess.run(
        ["qpdf", "--check", str(record_file)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def test_the_record_carries_an_empty_signature_field_in_its_signature_box() -> None:
    reader = PdfReader(io.BytesIO(build_record_pdf("decision", DECLINE_DECISION, meta())))
    fields = reader.get_fields() or {}
    assert "ehdesk-signature" in fields
    assert fields["ehdesk-signature"].get("/FT") == "/Sig"
    assert fields["ehdesk-signature"].get("/V") is None


def _width(text: str) -> float:
    return float(len(text))


def test_a_footer_that_fits_is_one_line_with_the_page_number() -> None:
    assert footer_lines(["Title", "Family", "EH-1", "policy 1"], "Page 1", _width, 200) == [
        ("Title  ·  Family  ·  EH-1  ·  policy 1", "Page 1")
    ]


def test_a_long_footer_drops_only_the_title_and_keeps_the_family_and_the_policy() -> None:
    parts = ["Early Help privacy notice", "أحمد (سارة، يوسف)", "EH-004217", "policy 2025.1+3e80c231694e"]
    lines = footer_lines(parts, "Page 2", _width, 40)
    assert lines == [("أحمد (سارة، يوسف)  ·  EH-004217", ""), ("policy 2025.1+3e80c231694e", "Page 2")]
    assert len(lines) <= 2
