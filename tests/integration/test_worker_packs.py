"""Privacy-notice packs (G3–G6): built for an allocated family, recorded as shared with the casenote G4
asks for — once a family a day — and made in a batch that leaves only whole records."""

from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from ehdesk.errors import PermissionDenied
from ehdesk.services.actor import Actor
from ehdesk.services.packs import PackRefused
from ehdesk.storage.database import Database
from ehdesk.storage.models import CaseNote, Document, PrivacyNoticeEvent, PrivacyNoticePack
from tests.integration.worker_helpers import TODAY, allocated_family, desk, new_family
from tests.unit.forms.formcases import SHARE_WELLBEING


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _casenotes(db: Database, family_id: int) -> list[tuple[str, str]]:
    """The family's casenotes as (title, body)."""
    with db.read() as session:
        rows = session.execute(select(CaseNote.title, CaseNote.body).where(CaseNote.family_id == family_id))
        return [(title, body) for title, body in rows]


def test_a_pack_holds_the_notice_the_script_the_family_the_worker_and_the_agencies(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = allocated_family(db, admin, manager, worker)
    pack = desk(db, worker).privacy_notice_pack(family_id)
    assert pack.script == "new"
    assert not pack.large_print
    text = " ".join(_text(pack.pdf).split())
    policy = desk(db, worker).policy
    assert "Early Help uses your information" in text  # the authority's notice (G3)
    assert "a new family (guidance G5)" in text
    assert "Script used: new family" in text
    assert "Smith (Ava, Leo)" in text  # the family
    assert worker.full_name in text  # the worker
    assert "GP" in text  # agencies currently involved
    assert policy.stamp in text  # G25
    assert pack.filename.endswith(".pdf")
    assert pack.made_on == TODAY


def test_the_script_follows_the_familys_history_and_can_be_overridden(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = allocated_family(db, admin, manager, worker)
    worker_desk = desk(db, worker)
    assert worker_desk.privacy_notice_pack(family_id).script == "new"
    worker_desk.create_record("share", family_id, {**SHARE_WELLBEING, "data_items": ["identity"]})
    existing = worker_desk.privacy_notice_pack(family_id)
    assert existing.script == "existing"
    assert "already work with (guidance G6)" in " ".join(_text(existing.pdf).split())
    assert worker_desk.privacy_notice_pack(family_id, script="new").script == "new"


def _recorded_scripts(db: Database, family_id: int) -> list[str]:
    """The script each of the family's privacy-notice events recorded, oldest first."""
    with db.read() as session:
        events = session.scalars(
            select(PrivacyNoticeEvent)
            .where(PrivacyNoticeEvent.family_id == family_id)
            .order_by(PrivacyNoticeEvent.id)
        )
        return [event.data["family_type"] for event in events]


def test_a_new_family_keeps_the_new_script_after_its_first_pack(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = allocated_family(db, admin, manager, worker)
    worker_desk = desk(db, worker)
    worker_desk.record_pack_shared(family_id, "printed", worker_desk.privacy_notice_pack(family_id))
    reprint = worker_desk.privacy_notice_pack(family_id)  # the same day: its casenote is now on file
    assert reprint.script == "new"
    assert "a new family (guidance G5)" in " ".join(_text(reprint.pdf).split())
    worker_desk.record_pack_shared(family_id, "saved", reprint)
    next_month = desk(db, worker, today=date(2025, 7, 2))
    later = next_month.privacy_notice_pack(family_id)
    assert later.script == "new"
    next_month.record_pack_shared(family_id, "printed", later)
    assert _recorded_scripts(db, family_id) == ["new", "new", "new"]  # never G6 for a family new to EH
    assert next_month.privacy_notice_pack(family_id, script="existing").script == "existing"  # override


def test_a_family_with_a_share_before_its_first_pack_is_existing_and_stays_existing(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = allocated_family(db, admin, manager, worker)
    worker_desk = desk(db, worker)
    worker_desk.create_record("share", family_id, {**SHARE_WELLBEING, "data_items": ["identity"]})
    first = worker_desk.privacy_notice_pack(family_id)
    assert first.script == "existing"
    worker_desk.record_pack_shared(family_id, "printed", first)
    next_month = desk(db, worker, today=date(2025, 7, 2))
    assert next_month.privacy_notice_pack(family_id).script == "existing"
    assert _recorded_scripts(db, family_id) == ["existing"]


def test_the_batch_keeps_each_familys_first_script(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    """The bulk read (:func:`pack_contents`) follows the same rule as one family's pack."""
    from ehdesk.policy import default_pack
    from ehdesk.services import packs

    told_new = allocated_family(db, admin, manager, worker)
    told_existing = allocated_family(db, admin, manager, worker)
    untold = allocated_family(db, admin, manager, worker)
    worker_desk = desk(db, worker)
    worker_desk.record_pack_shared(told_new, "printed", worker_desk.privacy_notice_pack(told_new))
    worker_desk.record_pack_shared(
        told_existing, "printed", worker_desk.privacy_notice_pack(told_existing, script="existing")
    )
    with db.read() as session:
        contents, refused = packs.pack_contents(
            session, worker, [told_new, told_existing, untold], default_pack(), on=date(2025, 7, 2)
        )
    assert refused == {}
    assert {family_id: content.script for family_id, content in contents.items()} == {
        told_new: "new",
        told_existing: "existing",
        untold: "new",
    }


def test_large_print_is_remembered_per_family(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = allocated_family(db, admin, manager, worker)
    other = allocated_family(db, admin, manager, worker)
    worker_desk = desk(db, worker)
    assert worker_desk.privacy_notice_pack(family_id, large_print=True).large_print
    assert worker_desk.privacy_notice_pack(family_id).large_print  # remembered
    assert not worker_desk.privacy_notice_pack(other).large_print  # per family


def test_sharing_a_pack_writes_the_event_the_document_and_the_casenote_once_a_day(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = allocated_family(db, admin, manager, worker)
    worker_desk = desk(db, worker)
    pack = worker_desk.privacy_notice_pack(family_id)
    first = worker_desk.record_pack_shared(family_id, "printed", pack)
    assert first.casenote_written
    reprint = worker_desk.record_pack_shared(family_id, "saved", worker_desk.privacy_notice_pack(family_id))
    assert not reprint.casenote_written
    assert reprint.casenote_id == first.casenote_id
    notes = _casenotes(db, family_id)
    assert [title for title, _body in notes] == ["privacy notice shared"]  # exactly this title (G4)
    body = notes[0][1]
    assert "2 June 2025" in body
    assert "Printed" in body
    assert worker.full_name in body
    assert desk(db, worker).policy.stamp in body
    with db.read() as session:
        events = session.scalars(select(PrivacyNoticeEvent).where(PrivacyNoticeEvent.family_id == family_id))
        assert sorted(e.method for e in events) == ["printed", "saved"]
        document = session.get(Document, first.document_id)
        assert document is not None
        assert document.sha256 == hashlib.sha256(document.content).hexdigest()
        assert document.content == pack.pdf
        assert session.scalar(select(func.count()).select_from(PrivacyNoticePack)) == 2
    next_day = desk(db, worker, today=date(2025, 6, 3))
    later = next_day.record_pack_shared(
        family_id, "link", next_day.privacy_notice_pack(family_id), sent_to="a@b.org"
    )
    assert later.casenote_written
    assert len(_casenotes(db, family_id)) == 2


def test_a_saved_pack_is_evidenced_as_saved_never_as_sent(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = allocated_family(db, admin, manager, worker)
    worker_desk = desk(db, worker)
    worker_desk.record_pack_shared(family_id, "saved", worker_desk.privacy_notice_pack(family_id))
    ((_title, body),) = _casenotes(db, family_id)
    assert "Method: Saved as a PDF file" in body
    given = [e for e in worker_desk.casefile(family_id) if e.title == "Privacy notice given"]
    assert [e.summary for e in given] == ["Saved as a PDF file; new family script"]
    for shown in (body, given[0].summary):
        assert "sent" not in shown  # nothing was sent: no recipient is recorded (given_to, sent_to)
    with db.read() as session:
        event = session.scalars(
            select(PrivacyNoticeEvent).where(PrivacyNoticeEvent.family_id == family_id)
        ).one()
        assert event.method == "saved"  # the stored code is unchanged


def test_a_link_needs_where_it_was_sent_and_an_old_policys_pack_is_refused(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    from dataclasses import replace

    from ehdesk.errors import ValidationFailed

    family_id = allocated_family(db, admin, manager, worker)
    worker_desk = desk(db, worker)
    pack = worker_desk.privacy_notice_pack(family_id)
    with pytest.raises(ValidationFailed):
        worker_desk.record_pack_shared(family_id, "link", pack)
    with pytest.raises(PackRefused, match="policy pack"):
        worker_desk.record_pack_shared(family_id, "printed", replace(pack, policy_stamp="2019.1"))
    with pytest.raises(PackRefused, match="another family"):
        worker_desk.record_pack_shared(family_id + 1, "printed", pack)
    assert _casenotes(db, family_id) == []


def test_a_worker_can_do_none_of_this_for_a_family_not_allocated_to_them(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = new_family(db, admin)
    manager_pack = desk(db, manager).privacy_notice_pack(family_id)
    worker_desk = desk(db, worker)
    for attempt in (
        lambda: worker_desk.privacy_notice_pack(family_id),
        lambda: worker_desk.privacy_notice_pack(family_id, large_print=True),
        lambda: worker_desk.record_pack_shared(family_id, "printed", manager_pack),
        lambda: worker_desk.casefile(family_id),
        lambda: worker_desk.family_data_items(family_id),
    ):
        with pytest.raises(PermissionDenied, match="not allocated"):
            attempt()
    assert family_id not in worker_desk.families_missing_evidence()
    assert _casenotes(db, family_id) == []


def test_families_missing_evidence_are_the_allocated_ones_without_the_casenote(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    unallocated = new_family(db, admin)
    first = allocated_family(db, admin, manager, worker)
    second = allocated_family(db, admin, manager, worker)
    worker_desk = desk(db, worker)
    assert worker_desk.families_missing_evidence() == [first, second]
    worker_desk.record_pack_shared(first, "saved", worker_desk.privacy_notice_pack(first))
    assert worker_desk.families_missing_evidence() == [second]
    assert unallocated not in desk(db, manager).families_missing_evidence()


def test_the_batch_writes_whole_records_and_a_second_run_has_nothing_to_do(
    sqlite_db: Database, tmp_path: Path
) -> None:
    from ehdesk.domain import Role
    from tests.conftest import make_user

    db = sqlite_db
    admin = make_user(db, "setup-admin", Role.ADMIN)
    manager = make_user(db, "mo", Role.MANAGER)
    worker = make_user(db, "wendy", Role.WORKER)
    ids = [allocated_family(db, admin, manager, worker) for _ in range(4)]
    worker_desk = desk(db, worker)
    seen: list[tuple[int, int]] = []
    result = worker_desk.generate_packs(
        worker_desk.families_missing_evidence(),
        tmp_path / "out",
        progress=lambda done, total: seen.append((done, total)),
        cancelled=lambda: False,
        processes=2,
    )
    assert result.failed == ()
    assert not result.cancelled
    assert sorted(p.name for p in result.written) == sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(result.written) == 4
    assert seen[0] == (0, 4)
    assert seen[-1] == (4, 4)
    for family_id in ids:
        assert [title for title, _body in _casenotes(db, family_id)] == ["privacy notice shared"]
    assert worker_desk.families_missing_evidence() == []


def test_a_cancelled_batch_leaves_only_whole_records(sqlite_db: Database, tmp_path: Path) -> None:
    from ehdesk.domain import Role
    from tests.conftest import make_user

    db = sqlite_db
    admin = make_user(db, "setup-admin", Role.ADMIN)
    manager = make_user(db, "mo", Role.MANAGER)
    worker = make_user(db, "wendy", Role.WORKER)
    ids = [allocated_family(db, admin, manager, worker) for _ in range(6)]
    worker_desk = desk(db, worker)
    result = worker_desk.generate_packs(
        ids, tmp_path / "out", progress=lambda done, total: None, cancelled=lambda: True, processes=1
    )
    assert result.cancelled
    assert len(result.written) < len(ids)
    files = {p.name for p in (tmp_path / "out").iterdir()}
    assert files == {p.name for p in result.written}  # no partial file left
    with db.read() as session:
        noted = set(session.scalars(select(CaseNote.family_id)))
        events = set(session.scalars(select(PrivacyNoticeEvent.family_id)))
        documents = set(session.scalars(select(Document.family_id)))
    assert noted == events == documents
    assert len(noted) == len(result.written)
    assert len(worker_desk.families_missing_evidence()) == len(ids) - len(result.written)
