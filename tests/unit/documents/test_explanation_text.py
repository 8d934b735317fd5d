"""The explanation record prints the policy's wrapped texts as the paragraphs they are written as."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader

from ehdesk.documents.explanation import Explanation, build_explanation_pdf, plain_heading, unwrap

REASSURANCE = "We only share what we need to help\nyour children.\n\nYou can ask us what we hold."


def test_a_single_line_break_continues_the_paragraph_and_a_blank_line_ends_it() -> None:
    assert unwrap(REASSURANCE) == (
        "We only share what we need to help your children.\nYou can ask us what we hold."
    )


def test_the_reassurance_reads_as_one_sentence_in_the_record() -> None:
    about = Explanation(
        family_name="Siân Jones",
        family_reference="EH-000001",
        worker_name="Wendy Worker",
        script="new",
        authority_name="Anytown Council",
        policy_stamp="2025.1",
        reassurance=REASSURANCE,
        recorded_on=date(2025, 6, 2),
    )
    values = {"agency": "School", "what_shared": "Attendance", "informed_in_advance": True}
    assert "help your children." in plain_heading(values, about)
    pdf = build_explanation_pdf(values, about)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "need to help your children" in " ".join(text.split())
