"""The manager's decision queue: declines, objections still in force and shares made under a G10
exception wait for a decision, oldest first with their age; a decided record leaves it; only managers
see it; pages follow one another by keyset without gaps or repeats."""

from __future__ import annotations

import pytest

from ehdesk.errors import ConflictError, PermissionDenied
from ehdesk.services.queue import UnknownQueueKind
from ehdesk.storage.database import Database
from tests.integration.managers import Office, open_office
from tests.unit.forms.formcases import OBJECTION, SHARE_WELLBEING


@pytest.fixture
def office(db: Database) -> Office:
    return open_office(db)


SHARE_UNTOLD = {
    **SHARE_WELLBEING,
    "informed_in_advance": False,
    "exceptions": ["risk_of_harm"],
    "exception_reason": "Telling dad now would put the children at risk.",
}


def _fill(office: Office) -> dict[str, int]:
    desk = office.workers_desk
    ids = {"decline": office.decline().id}
    ids["objection"] = desk.create_record("objection", office.family_id, {**OBJECTION, "raised_by": None}).id
    ids["share"] = desk.create_record("share", office.family_id, SHARE_UNTOLD, confirmed_warnings=True).id
    desk.create_record("share", office.family_id, SHARE_WELLBEING, confirmed_warnings=True)  # told: no wait
    return ids


def test_declines_objections_and_untold_shares_wait_oldest_first_with_their_age(office: Office) -> None:
    ids = _fill(office)
    entries = office.managers_desk.decision_queue()
    assert [(e.kind, e.record_id) for e in entries] == [
        ("decline", ids["decline"]),
        ("objection", ids["objection"]),
        ("share", ids["share"]),
    ]
    assert all(e.worker_name == "Wendy" and e.age_days == 0 for e in entries)
    assert entries[0].summary == "Declined: Feels things are better now."
    assert "risk of harm" in entries[2].summary
    assert entries[0].family_reference.startswith("EH-")


def test_the_queue_filters_by_kind_and_worker(office: Office) -> None:
    ids = _fill(office)
    desk = office.managers_desk
    assert [e.record_id for e in desk.decision_queue(kind="objection")] == [ids["objection"]]
    assert len(desk.decision_queue(worker_id=office.worker.id)) == 3
    assert desk.decision_queue(worker_id=office.manager.id) == []
    with pytest.raises(UnknownQueueKind, match="decline, objection, share"):
        desk.decision_queue(kind="referral")


def test_pages_follow_one_another_without_gaps_or_repeats(office: Office) -> None:
    _fill(office)
    for _ in range(3):
        office.decline()
    desk = office.managers_desk
    everything = desk.decision_queue()
    pages: list[tuple[str, int]] = []
    after = None
    while True:
        page = desk.decision_queue(limit=2, after=after)
        if not page:
            break
        pages += [(e.kind, e.record_id) for e in page]
        after = page[-1].cursor
    assert pages == [(e.kind, e.record_id) for e in everything]
    assert len(pages) == 6


def test_a_decided_record_leaves_the_queue_and_cannot_be_decided_twice(office: Office) -> None:
    decline = office.decline()
    assert [e.record_id for e in office.managers_desk.decision_queue()] == [decline.id]
    office.decide(decline)
    assert office.managers_desk.decision_queue() == []
    with pytest.raises(ConflictError, match="already has decision"):
        office.decide(decline)


def test_only_managers_see_the_queue(office: Office) -> None:
    _fill(office)
    for desk in (office.workers_desk, office.admins_desk):
        with pytest.raises(PermissionDenied):
            desk.decision_queue()
