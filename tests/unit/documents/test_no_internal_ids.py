"""Family-facing PDFs name records the way a reader can check them (who, when, the EH reference),
never by the database's row numbers: a tester found "(record 5)" on a decision record a family holds."""

from __future__ import annotations

import io
import re
from datetime import date

from pypdf import PdfReader

from ehdesk.documents.closure_letter import ClosureNotice, build_closure_letter
from ehdesk.documents.decision_record import Amends, Subject, build_decision_record
from tests.unit.documents.test_record_pdf import DECLINE_DECISION, meta

ROW_ID = 9137  # an id no date, reference or hash on these pages could contain by chance


def _text(pdf: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_decision_record_and_its_addendum_name_no_row_ids() -> None:
    subject = Subject(
        form_id="decline",
        record_id=ROW_ID,
        values={"declined_on": "2025-03-01", "reasons": "We are managing."},
        recorded_by="Wendy Worker",
        recorded_on=date(2025, 3, 1),
    )
    amends = Amends(decision_id=ROW_ID + 1, signed_by="Mo Manager", signed_on=date(2025, 3, 12))
    text = _text(build_decision_record(DECLINE_DECISION, meta(), subject=subject, amends=amends))
    assert "recorded by Wendy Worker on 1 March 2025" in text
    assert "Addendum to the decision, signed on 12 March 2025 by Mo Manager" in text
    assert "EH-000123" in text  # the staff reference a family can quote stays
    assert str(ROW_ID) not in text
    assert str(ROW_ID + 1) not in text
    assert not re.search(r"\((?:record|decision) \d+\)", text)


def test_a_closure_letter_names_the_decision_by_signer_and_date_not_its_id() -> None:
    notice = ClosureNotice(
        who="Mrs Jones",
        agency="Hillside Primary",
        family_name="Family of Cerys Llŷr",
        family_reference="EH-000123",
        decided_on=date(2025, 3, 12),
        decision_id=ROW_ID,
        signed_by="Mo Manager",
        signed_on=date(2025, 3, 12),
        record_sha256="c0ffee" * 10,
        worker_name="Wendy Worker",
        authority_name="Example Borough Council",
        policy_stamp="2025.1+abcdef123456",
        written_on=date(2025, 3, 13),
    )
    text = _text(build_closure_letter(notice))
    assert "EH-000123" in text
    assert "signed on 12 March 2025 by Mo Manager" in text
    assert str(ROW_ID) not in text
