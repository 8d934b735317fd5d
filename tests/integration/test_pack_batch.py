"""The batch's recording, a chunk of families per transaction (G3, G4): each family whole or not at all,
one refused family costing the others nothing, the day's casenote written once per family even when
someone else writes it at the same moment, and no pack file without its records (nor the reverse)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, text

from ehdesk.desk import Desk
from ehdesk.desk import batch as batch_module
from ehdesk.documents.pack import PackContent, pack_filename
from ehdesk.domain import Role
from ehdesk.errors import ConflictError, EhdeskError, PermissionDenied, StorageError
from ehdesk.policy import default_pack
from ehdesk.services import audit, packs
from ehdesk.services.actor import Actor
from ehdesk.services.packs import Pack, PackRefused, PacksRecorded
from ehdesk.storage.database import Database
from ehdesk.storage.models import AuditEvent, CaseNote, Document, PrivacyNoticeEvent, PrivacyNoticePack
from tests.conftest import make_user
from tests.integration.worker_helpers import TODAY, allocated_family, desk, family_version

WAIT_S = 30.0


def _record(db: Database, actor: Actor, made: Sequence[tuple[int, Pack]]) -> PacksRecorded:
    worker_desk = desk(db, actor)
    with db.session() as session:
        return packs.record_packs_shared(
            session,
            actor,
            worker_desk.spec("privacy_notice"),
            made,
            "saved",
            policy=worker_desk.policy,
            on=TODAY,
        )


def _reader(
    db: Database, worker: Actor
) -> Callable[[Sequence[int]], tuple[dict[int, PackContent], dict[int, EhdeskError]]]:
    """The batch's reader as the Desk makes it: the worker's families' pack contents, one read each call."""
    policy = default_pack()

    def read(family_ids: Sequence[int]) -> tuple[dict[int, PackContent], dict[int, EhdeskError]]:
        with db.read() as session:
            return packs.pack_contents(session, worker, family_ids, policy, on=TODAY)

    return read


def _made(db: Database, actor: Actor, family_ids: Sequence[int]) -> list[tuple[int, Pack]]:
    worker_desk = desk(db, actor)
    return [(family_id, worker_desk.privacy_notice_pack(family_id)) for family_id in family_ids]


def _rows(db: Database, family_id: int) -> tuple[int, int, int, int]:
    """How many events, documents, casenotes and event–document links the family has."""
    with db.read() as session:
        return (
            session.scalar(select(func.count()).where(PrivacyNoticeEvent.family_id == family_id)) or 0,
            session.scalar(select(func.count()).where(Document.family_id == family_id)) or 0,
            session.scalar(select(func.count()).where(CaseNote.family_id == family_id)) or 0,
            session.scalar(
                select(func.count())
                .select_from(PrivacyNoticePack)
                .join(PrivacyNoticeEvent, PrivacyNoticeEvent.id == PrivacyNoticePack.event_id)
                .where(PrivacyNoticeEvent.family_id == family_id)
            )
            or 0,
        )


def _trail_ok(db: Database) -> None:
    with db.read() as session:
        report = audit.verify(session)
    assert report.ok, report.line()


def _whole(db: Database, family_ids: Iterable[int]) -> None:
    """Each family has exactly one event, document, casenote and link, and the trail holds."""
    for family_id in family_ids:
        assert _rows(db, family_id) == (1, 1, 1, 1)
    _trail_ok(db)


def _shared_on_screen(db: Database, actor: Actor, family_id: int, method: str) -> None:
    """The family's pack made and recorded as one worker does it from the casefile."""
    one_at_a_time = desk(db, actor)
    one_at_a_time.record_pack_shared(family_id, method, one_at_a_time.privacy_notice_pack(family_id))


Allocate = Callable[[int], list[int]]


@pytest.fixture
def allocate(db: Database, admin: Actor, manager: Actor, worker: Actor) -> Allocate:
    """``allocate(n)``: ``n`` new families allocated to ``worker``."""
    return lambda count: [allocated_family(db, admin, manager, worker) for _ in range(count)]


@pytest.fixture
def worker_desk(db: Database, worker: Actor) -> Desk:
    """The Desk of the worker the families are allocated to."""
    return desk(db, worker)


SQLITE_ONLY = pytest.mark.parametrize("db", ["sqlite"], indirect=True)
"""For the batch around the recording: its process pool and files are the same on either database."""


def test_a_chunk_writes_each_familys_records_with_one_audit_append(
    db: Database, worker: Actor, allocate: Allocate
) -> None:
    ids = allocate(3)
    outcome = _record(db, worker, _made(db, worker, ids))
    assert outcome.refused == {}
    assert set(outcome.shared) == set(ids)
    assert all(shared.casenote_written for shared in outcome.shared.values())
    _whole(db, ids)
    with db.read() as session:
        newest = list(
            session.execute(
                select(AuditEvent.entity, AuditEvent.occurred_at).order_by(AuditEvent.seq.desc()).limit(9)
            )
        )
    assert [entity for entity, _at in reversed(newest)] == [
        "privacy_notice_event",
        "document",
        "casenote",
    ] * 3
    assert len({at for _entity, at in newest}) == 1  # one append for the whole chunk


def test_a_chunk_writes_the_same_records_as_one_pack_recorded_on_screen(
    db: Database, worker: Actor, allocate: Allocate
) -> None:
    alone, chunked = allocate(2)
    _shared_on_screen(db, worker, alone, "saved")
    _record(db, worker, _made(db, worker, [chunked]))

    def written(family_id: int) -> tuple[object, ...]:
        with db.read() as session:
            event = session.scalars(
                select(PrivacyNoticeEvent).where(PrivacyNoticeEvent.family_id == family_id)
            ).one()
            note = session.scalars(select(CaseNote).where(CaseNote.family_id == family_id)).one()
            document = session.scalars(select(Document).where(Document.family_id == family_id)).one()
            return (
                event.method,
                event.form_version,
                event.policy_version,
                event.created_by,
                event.data,
                note.title,
                note.body,
                note.evidence_on,
                {k: v for k, v in note.data.items() if k != "event_id"},
                note.data["event_id"] == event.id,
                document.kind,
                document.policy_version,
            )

    assert written(alone) == written(chunked)


def test_a_family_refused_in_a_chunk_costs_the_others_nothing(
    db: Database, manager: Actor, worker: Actor, allocate: Allocate
) -> None:
    other = make_user(db, "olly", Role.WORKER)
    first, moved, stale, last = allocate(4)
    made = dict(_made(db, worker, [first, moved, stale, last]))
    desk(db, manager).allocate(moved, other.id, version=family_version(db, moved))  # taken away meanwhile
    made[stale] = replace(made[stale], policy_stamp="2019.1")  # made under a policy pack since replaced
    outcome = _record(db, worker, list(made.items()))
    assert set(outcome.shared) == {first, last}
    assert isinstance(outcome.refused[moved], PermissionDenied)
    assert isinstance(outcome.refused[stale], PackRefused)
    for family_id in (moved, stale):
        assert _rows(db, family_id) == (0, 0, 0, 0)  # nothing of a refused family is written
    _whole(db, (first, last))


def test_a_family_with_the_days_casenote_gets_its_pack_recorded_but_no_second_casenote(
    db: Database, worker: Actor, allocate: Allocate
) -> None:
    printed, fresh = allocate(2)
    _shared_on_screen(db, worker, printed, "printed")
    outcome = _record(db, worker, _made(db, worker, [printed, fresh]))
    assert not outcome.shared[printed].casenote_written  # a reprint the same day (G4: once a day)
    assert outcome.shared[fresh].casenote_written
    assert _rows(db, printed) == (2, 2, 1, 2)
    _whole(db, [fresh])


def test_when_the_chunks_insert_fails_each_family_is_written_on_its_own(
    db: Database, worker: Actor, allocate: Allocate, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fallback path, forced: the chunk's insert is refused as a collision would refuse it, so each
    family is written again in its own savepoint, and every one still ends whole."""
    ids = allocate(3)

    def collide(*_args: object, **_kwargs: object) -> dict[int, packs.PackShared]:
        raise ConflictError("someone else recorded this family's privacy notice at the same moment")

    monkeypatch.setattr(packs, "_write_chunk", collide)
    outcome = _record(db, worker, _made(db, worker, ids))
    assert set(outcome.shared) == set(ids)
    _whole(db, ids)


@pytest.mark.parametrize("db", [pytest.param("postgresql", marks=pytest.mark.postgresql)], indirect=True)
def test_a_casenote_written_by_someone_else_during_the_chunk_is_the_only_one_that_day(
    db: Database, manager: Actor, worker: Actor, allocate: Allocate, qtbot: QtBot
) -> None:
    """Another user records family X's pack while the batch's chunk is being written: the chunk's insert
    waits on the unique index, then collides; the chunk falls back to one family at a time, and X keeps
    the other user's casenote while its pack from the batch is still recorded (as a reprint)."""
    ids = allocate(3)
    contested = ids[1]
    made = _made(db, worker, ids)
    manager_desk = desk(db, manager)
    their_pack = manager_desk.privacy_notice_pack(contested)
    holding, release = threading.Event(), threading.Event()
    outcome: list[PacksRecorded] = []
    failures: list[BaseException] = []

    def someone_else() -> None:
        try:
            with db.session() as session:
                packs.record_pack_shared(
                    session,
                    manager,
                    manager_desk.spec("privacy_notice"),
                    contested,
                    "printed",
                    their_pack,
                    policy=manager_desk.policy,
                    on=TODAY,
                )
                holding.set()
                assert release.wait(WAIT_S)
        except BaseException as exc:  # reported below: a thread's exception would otherwise vanish
            failures.append(exc)
            holding.set()

    def the_batch() -> None:
        try:
            outcome.append(_record(db, worker, made))
        except BaseException as exc:
            failures.append(exc)

    other = threading.Thread(target=someone_else)
    other.start()
    assert holding.wait(WAIT_S)
    chunk = threading.Thread(target=the_batch)
    chunk.start()
    qtbot.waitUntil(lambda: _waiting_on_a_lock(db), timeout=int(WAIT_S * 1000))  # the chunk waits on X
    release.set()
    other.join(WAIT_S)
    chunk.join(WAIT_S)
    assert failures == []
    recorded = outcome[0]
    assert set(recorded.shared) == set(ids)
    assert not recorded.shared[contested].casenote_written
    for family_id in ids:
        assert _rows(db, family_id)[2] == 1  # one casenote per family for the day
    assert _rows(db, contested) == (2, 2, 1, 2)
    _trail_ok(db)


def _waiting_on_a_lock(db: Database) -> bool:
    with db.engine.connect() as connection:
        waiting = connection.scalar(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
    return bool(waiting)


# -- the batch around it: the pool builds, this process reads and records ------------------------------


@SQLITE_ONLY
def test_a_family_taken_away_before_the_batch_reads_it_fails_alone(
    db: Database, manager: Actor, worker_desk: Desk, allocate: Allocate, tmp_path: Path
) -> None:
    other = make_user(db, "olly", Role.WORKER)
    ids = allocate(4)
    listed = worker_desk.families_missing_evidence()
    desk(db, manager).allocate(ids[2], other.id, version=family_version(db, ids[2]))
    out = tmp_path / "out"
    result = worker_desk.generate_packs(
        listed, out, progress=lambda done, total: None, cancelled=lambda: False, processes=2
    )
    assert [family_id for family_id, _message in result.failed] == [ids[2]]
    assert "not allocated" in result.failed[0][1]
    assert len(result.written) == 3
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in result.written)
    assert worker_desk.families_missing_evidence() == []  # the family taken away is no longer theirs


@SQLITE_ONLY
def test_a_chunk_the_database_refuses_leaves_no_file_and_the_batch_goes_on(
    db: Database, worker: Actor, worker_desk: Desk, allocate: Allocate, tmp_path: Path
) -> None:
    ids = allocate(6)
    policy, spec = default_pack(), worker_desk.spec("privacy_notice")
    chunks: list[list[int]] = []

    read = _reader(db, worker)

    def record(made: Sequence[tuple[int, Pack]]) -> PacksRecorded:
        chunks.append([family_id for family_id, _pack in made])
        if len(chunks) == 1:
            raise StorageError("the database is busy with another ehdesk's save; try again in a moment")
        with db.session() as session:
            return packs.record_packs_shared(session, worker, spec, made, "saved", policy=policy, on=TODAY)

    out = tmp_path / "out"
    result = batch_module.generate_packs(
        read, record, ids, out, progress=lambda done, total: None, cancelled=lambda: False, processes=1
    )
    refused = {family_id for family_id, _message in result.failed}
    assert refused == set(chunks[0])
    assert all("busy" in message for _family_id, message in result.failed)
    assert len(result.written) == len(ids) - len(refused)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in result.written)  # no .part left
    for family_id in ids:
        assert _rows(db, family_id) == ((0, 0, 0, 0) if family_id in refused else (1, 1, 1, 1))
    assert set(worker_desk.families_missing_evidence()) == refused  # the next run picks them up


@SQLITE_ONLY
def test_each_file_is_in_the_folder_before_its_records_commit_so_a_crash_never_leaves_a_casenote_alone(
    db: Database, worker: Actor, worker_desk: Desk, allocate: Allocate, tmp_path: Path
) -> None:
    ids = allocate(5)
    policy, spec = default_pack(), worker_desk.spec("privacy_notice")
    out = tmp_path / "out"
    out.mkdir()
    committed_with_file: list[bool] = []

    read = _reader(db, worker)

    def record(made: Sequence[tuple[int, Pack]]) -> PacksRecorded:
        names = {p.name for p in out.iterdir()}
        committed_with_file.extend(pack.filename in names for _family_id, pack in made)
        with db.session() as session:
            return packs.record_packs_shared(session, worker, spec, made, "saved", policy=policy, on=TODAY)

    # what kill -9 between placing a file and committing its records leaves: the file, no records
    contents, _refused = read(ids[:1])
    first = contents[ids[0]]
    stale = out / pack_filename(first.family_reference, first.on, large_print=first.large_print)
    stale.write_bytes(b"left by a killed run")

    result = batch_module.generate_packs(
        read, record, ids, out, progress=lambda done, total: None, cancelled=lambda: False, processes=1
    )
    assert committed_with_file == [True] * len(ids)
    assert not result.failed
    assert stale.read_bytes().startswith(b"%PDF")  # made again and recorded this time
    assert worker_desk.families_missing_evidence() == []
    for family_id in ids:
        assert _rows(db, family_id) == (1, 1, 1, 1)


@SQLITE_ONLY
def test_a_batch_cancelled_midway_leaves_whole_families_and_no_stray_file(
    db: Database, worker_desk: Desk, allocate: Allocate, tmp_path: Path
) -> None:
    ids = allocate(24)
    calls: list[int] = []
    out = tmp_path / "out"
    result = worker_desk.generate_packs(
        ids,
        out,
        progress=lambda done, total: calls.append(done),
        cancelled=lambda: len(calls) > 1,  # at the first word after the start: families in flight
        processes=1,
    )
    written = {p.name for p in result.written}
    assert {p.name for p in out.iterdir()} == written  # no .part file, no pack without its records
    with db.read() as session:
        noted = set(session.scalars(select(CaseNote.family_id)))
        assert noted == set(session.scalars(select(PrivacyNoticeEvent.family_id)))
        assert noted == set(session.scalars(select(Document.family_id)))
    assert len(noted) == len(written)
    assert result.cancelled == (len(written) < len(ids))
    assert set(worker_desk.families_missing_evidence()) == set(ids) - noted
    _trail_ok(db)


@SQLITE_ONLY
def test_a_batch_running_past_midnight_records_the_day_its_packs_are_dated(
    db: Database, worker: Actor, allocate: Allocate, tmp_path: Path
) -> None:
    ids = allocate(2)
    days = iter([date(2025, 6, 2), date(2025, 6, 3)])
    late = Desk(db, default_pack(), actor=worker, today=lambda: next(days))
    result = late.generate_packs(
        ids, tmp_path / "out", progress=lambda done, total: None, cancelled=lambda: False, processes=1
    )
    assert len(result.written) == 2
    assert all("2025-06-02" in p.name for p in result.written)
    with db.read() as session:
        assert set(session.scalars(select(CaseNote.evidence_on))) == {date(2025, 6, 2)}
