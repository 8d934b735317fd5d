"""The casefile as one timeline, newest first, key-set paged, each entry saying who may change it."""

from __future__ import annotations

import pytest

from ehdesk.domain import Role
from ehdesk.errors import PermissionDenied
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from tests.conftest import make_user
from tests.integration.worker_helpers import allocated_family, desk, new_family
from tests.unit.forms.formcases import OBJECTION, SHARE_WELLBEING


def test_the_casefile_holds_every_kind_of_entry_newest_first(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = allocated_family(db, admin, manager, worker)
    worker_desk = desk(db, worker)
    worker_desk.record_pack_shared(family_id, "printed", worker_desk.privacy_notice_pack(family_id))
    share = worker_desk.create_record("share", family_id, SHARE_WELLBEING)
    worker_desk.create_record("objection", family_id, {**OBJECTION, "raised_by": None})
    entries = worker_desk.casefile(family_id)
    kinds = {e.kind for e in entries}
    assert kinds == {
        "person", "referral", "agency", "allocation", "privacy_notice", "casenote", "document",
        "share", "objection",
    }  # fmt: skip
    keys = [(e.when, e.kind, e.record_id) for e in entries]
    assert keys == sorted(keys, reverse=True)
    assert entries[0].kind == "objection"  # the newest
    (mine,) = [e for e in entries if e.kind == "share"]
    assert mine.record_id == share.id
    assert mine.form_id == "share"
    assert mine.editable_by_me
    assert mine.title == "Information shared with School"
    assert mine.author == worker.full_name
    (note,) = [e for e in entries if e.kind == "casenote"]
    assert note.title == "privacy notice shared"
    assert not note.editable_by_me
    assert not any(e.editable_by_me for e in desk(db, manager).casefile(family_id))


def test_pages_join_up_with_nothing_repeated_or_skipped(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = allocated_family(db, admin, manager, worker)
    worker_desk = desk(db, worker)
    for _ in range(3):
        worker_desk.create_record("share", family_id, SHARE_WELLBEING)
    whole = worker_desk.casefile(family_id, limit=1000)
    paged = worker_desk.casefile(family_id, limit=3)
    while len(paged) < len(whole):
        page = worker_desk.casefile(family_id, limit=3, before=paged[-1].cursor)
        assert page, "a page ended before the casefile did"
        paged += page
    assert paged == whole
    assert worker_desk.casefile(family_id, before=whole[-1].cursor) == []


def test_a_worker_cannot_open_the_casefile_of_a_family_not_allocated_to_them(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    other = make_user(db, "otto", Role.WORKER)
    family_id = allocated_family(db, admin, manager, other)
    elsewhere = new_family(db, admin)
    for target in (family_id, elsewhere):
        with pytest.raises(PermissionDenied, match="not allocated"):
            desk(db, worker).casefile(target)
    assert desk(db, manager).casefile(elsewhere)  # a manager sees any family


def test_a_referral_on_the_casefile_opens_with_what_was_keyed_and_who_keyed_it(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = allocated_family(db, admin, manager, worker)
    worker_desk = desk(db, worker)
    (referral,) = [e for e in worker_desk.casefile(family_id) if e.kind == "referral"]
    assert referral.author == admin.full_name
    values = worker_desk.referral_values(referral.record_id)
    assert values["children"]
    assert values["reasons"]
    stranger = make_user(db, "stranger", Role.WORKER)
    with pytest.raises(PermissionDenied):
        desk(db, stranger).referral_values(referral.record_id)
