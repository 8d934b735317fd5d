"""Closing Early Help after a decline (G22): a letter for each person or agency to be told, a contact
still to be told is pending (no made-up date), and the family closes once every contact was told."""

from __future__ import annotations

from datetime import date

import pytest

from ehdesk.errors import PermissionDenied
from ehdesk.services import audit
from ehdesk.services.closure import ClosureRefused
from ehdesk.storage.database import Database
from ehdesk.storage.models import Family
from tests.integration.managers import DECISION, SIGNING_PASSWORD, Office, open_office


@pytest.fixture
def office(db: Database) -> Office:
    return open_office(db)


def _status(office: Office) -> str:
    with office.db.read() as session:
        family = session.get(Family, office.family_id)
        assert family is not None
        return family.status


def test_closure_letters_wait_for_the_signature(office: Office) -> None:
    decision = office.decide(office.decline())
    with pytest.raises(ClosureRefused, match="not signed yet"):
        office.managers_desk.closure_letters(decision.id)


def test_each_contact_gets_a_letter_and_a_pending_one_has_no_date(office: Office) -> None:
    decision = office.decide(office.decline())
    office.managers_desk.sign_decision(decision.id, SIGNING_PASSWORD)
    letters = office.managers_desk.closure_letters(decision.id)
    assert [(x.who, x.agency, x.told_on) for x in letters] == [
        ("Ann Teacher", "School", date(2025, 5, 23)),
        ("Dr Ng", "GP", None),
    ]
    assert letters[1].pending
    assert all(x.pdf.startswith(b"%PDF-") for x in letters)


def test_the_family_closes_once_every_contact_was_told(office: Office) -> None:
    decision = office.decide(office.decline())
    office.managers_desk.sign_decision(decision.id, SIGNING_PASSWORD)
    assert _status(office) == "allocated"
    with pytest.raises(ClosureRefused, match="future"):
        office.workers_desk.mark_told(decision.id, 1, date(2099, 1, 1))
    with pytest.raises(PermissionDenied):
        office.admins_desk.mark_told(decision.id, 1, date(2025, 5, 26))
    office.workers_desk.mark_told(decision.id, 1, date(2025, 5, 26))
    assert _status(office) == "closed"
    assert office.managers_desk.closure_letters(decision.id)[1].told_on == date(2025, 5, 26)
    with office.db.read() as session:
        assert audit.verify(session).ok


def test_an_addendum_keeps_who_was_already_told(office: Office) -> None:
    decision = office.decide(office.decline())
    office.managers_desk.sign_decision(decision.id, SIGNING_PASSWORD)
    office.managers_desk.mark_told(decision.id, 1, date(2025, 5, 26))
    more = [
        *DECISION["closure_contacts"][:1],
        {"who": "Dr Ng", "agency": "GP"},
        {"who": "Hana", "agency": "HV"},
    ]
    addendum = office.managers_desk.add_addendum(
        decision.id, {**DECISION, "closure_contacts": more}, SIGNING_PASSWORD, confirmed_warnings=True
    )
    letters = office.managers_desk.closure_letters(addendum.decision_id)
    assert [x.told_on for x in letters] == [date(2025, 5, 23), date(2025, 5, 26), None]
    with pytest.raises(ClosureRefused, match="amended by decision"):
        office.managers_desk.mark_told(decision.id, 0, date(2025, 5, 26))


def test_the_first_decisions_letters_are_those_of_the_addendum_in_force(office: Office) -> None:
    """A screen opened on the first decision shows the addendum's contacts and marks them told there."""
    decision = office.decide(office.decline())
    office.managers_desk.sign_decision(decision.id, SIGNING_PASSWORD)
    more = [*DECISION["closure_contacts"][:1], {"who": "Dr Ng", "agency": "GP"}]
    addendum = office.managers_desk.add_addendum(
        decision.id, {**DECISION, "closure_contacts": more}, SIGNING_PASSWORD, confirmed_warnings=True
    )
    letters = office.managers_desk.closure_letters(decision.id)
    assert [(x.decision_id, x.who) for x in letters] == [
        (addendum.decision_id, more[0]["who"]),
        (addendum.decision_id, "Dr Ng"),
    ]
    office.managers_desk.mark_told(letters[1].decision_id, letters[1].position, date(2025, 5, 26))
    assert office.managers_desk.closure_letters(decision.id)[1].told_on == date(2025, 5, 26)
