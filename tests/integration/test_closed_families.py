"""A closed family needs no privacy-notice pack: it is no gap in the compliance report, nothing is due
for it on "My families", and the pack batch leaves it alone (G3, G4) — while an open family still is."""

from __future__ import annotations

from datetime import date

import pytest

from ehdesk.services.caseload import PRIVACY_NOTICE_DUE
from ehdesk.services.compliance import MISSING_EVIDENCE
from ehdesk.storage.database import Database
from ehdesk.storage.models import Family
from tests.integration.managers import SIGNING_PASSWORD, Office, open_office


@pytest.fixture
def office(db: Database) -> Office:
    return open_office(db)


def _close(office: Office, family_id: int) -> None:
    """Close the family the way the service does: decline, signed decision, every contact told (G22)."""
    decision = office.decide(office.decline(family_id))
    office.managers_desk.sign_decision(decision.id, SIGNING_PASSWORD)
    for letter in office.managers_desk.closure_letters(decision.id):
        if letter.pending:
            office.workers_desk.mark_told(letter.decision_id, letter.position, date(2025, 5, 26))
    with office.db.read() as session:
        family = session.get(Family, family_id)
        assert family is not None
        assert family.status == "closed"


def test_a_closed_family_is_never_missing_privacy_notice_evidence(office: Office) -> None:
    closed = office.family_id
    still_open = office.new_family()
    _close(office, closed)
    worker, manager = office.workers_desk, office.managers_desk
    assert worker.families_missing_evidence() == [still_open]
    assert manager.families_missing_evidence() == [still_open]
    for report in (worker.compliance(), manager.compliance()):
        assert [item.family_id for item in report.of_kind(MISSING_EVIDENCE)] == [still_open]
        assert closed not in {item.family_id for item in report.items}
    due = {row.id: row.due for row in worker.my_families()}
    assert PRIVACY_NOTICE_DUE not in due[closed]  # still on the list (its worker keeps it), nothing due
    assert due[still_open] == (PRIVACY_NOTICE_DUE,)
    counts = worker.caseload_counts()
    assert (counts.families, counts.due, counts.notice_due) == (2, 1, 1)
