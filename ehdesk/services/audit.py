"""The append-only, hash-chained audit trail, and what it proves.

Each event stores the hash of the one before it and its own hash over its contents, so an event edited
behind the application's back no longer matches its hash, and a deleted event breaks the link (or the
``seq`` run, or the head record for the newest event). :func:`verify` walks the chain and names the first
event that fails. Three more checks make the trail prove more than its own integrity:

* **Replay.** The newest event about each family, person, referral and decision holds that row as it
  was saved; verify compares every row with it, so a row edited, deleted or added by direct SQL is
  named by table and id (never by its contents).
* **Anchor.** After each commit that appended events, the newest ``seq`` and hash are written outside
  the database (:mod:`ehdesk.storage.anchor`); a chain rewritten or cut below that point is reported
  even when it is internally consistent.
* **Documents.** :func:`newest_hash` gives the trail's newest hash for a signed PDF to carry;
  :func:`holds_hash` later proves the trail still contains it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import DateTime, Table, insert, inspect, select, text
from sqlalchemy.orm import Session

from ehdesk.clock import utcnow
from ehdesk.errors import EhdeskError
from ehdesk.services.actor import Actor
from ehdesk.storage.anchor import PENDING_KEY, Anchor, AnchorUnreadable, read_anchor, write_anchor
from ehdesk.storage.models import AuditEvent, AuditHead, Base, Decision, Family, Person, Referral, User

GENESIS = "0" * 64
_HIDDEN = {"password_hash": "(hidden)"}
_SKIPPED = {"search_text", "content"}
_LOCK_KEY = 0x45484453  # "EHDS": one advisory lock serialises chain appends on PostgreSQL
_EVENTS = cast(Table, AuditEvent.__table__)  # appended as plain rows (see _append)


class _Unusual(Exception):
    """A value :func:`_plain` leaves to the JSON round trip (an odd type or key)."""


_SCALARS = frozenset({str, int, bool, float, type(None)})


def _plain(value: Any) -> Any:
    """The JSON round trip of ``value`` built directly, for the types snapshots hold.

    Exact types only (a ``str`` or ``int`` subclass, a non-text key, anything unknown raises
    :class:`_Unusual`), so for every value it accepts the result equals ``json.loads(json.dumps(...,
    sort_keys=True))`` — keys in sorted order included — without writing and parsing the text.
    """
    kind = type(value)
    if kind is dict:
        out: dict[str, Any] = {}
        for key in sorted(value):
            if type(key) is not str:
                raise _Unusual
            item = value[key]
            out[key] = item if type(item) in _SCALARS else _plain(item)
        return out
    if kind in _SCALARS:
        return value
    if kind is list or kind is tuple:
        return [item if type(item) in _SCALARS else _plain(item) for item in value]
    if kind is datetime or kind is date:
        return value.isoformat()
    raise _Unusual


def _jsonable(value: Any) -> Any:
    """What JSON will give back after a round trip, so the hash is computed over stable data.

    The common case is built directly (:func:`_plain`, issue 18: the round trip was a tenth of storing
    a demo family); anything unusual takes the round trip itself, so the result never differs.
    """
    try:
        return _plain(value)
    except (_Unusual, TypeError, RecursionError):  # TypeError: keys of mixed types cannot be sorted
        return json.loads(json.dumps(value, default=_default, sort_keys=True))


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    return str(value)


_SNAPSHOT_KEYS: dict[type[Base], tuple[str, ...]] = {}
"""The column attributes each model's snapshot holds, found once per model rather than per record."""


def _snapshot_keys(model: type[Base]) -> tuple[str, ...]:
    keys = _SNAPSHOT_KEYS.get(model)
    if keys is None:
        columns = inspect(model).column_attrs
        keys = _SNAPSHOT_KEYS[model] = tuple(a.key for a in columns if a.key not in _SKIPPED)
    return keys


def snapshot(obj: Base) -> dict[str, Any]:
    """A record's columns as JSON-able data for the before/after of an event."""
    state = {key: _HIDDEN.get(key, getattr(obj, key)) for key in _snapshot_keys(type(obj))}
    return dict(_jsonable(state))


def _utc_text(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


_HASHED = ("seq", "actor_id", "actor", "action", "entity", "entity_id", "before", "after", "prev_hash")
"""The columns an event's hash covers, besides ``occurred_at`` (hashed in one UTC spelling)."""


def _row_hash(row: Mapping[str, Any]) -> str:
    """The hash of an event given as its column values: the format every stored trail was hashed in
    (canonical JSON, keys sorted, compact, UTF-8), so it must never change."""
    payload = {key: row[key] for key in _HASHED}
    payload["occurred_at"] = _utc_text(row["occurred_at"])
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def event_hash(event: AuditEvent) -> str:
    """The hash a stored (or about to be stored) event must carry."""
    return _row_hash({key: getattr(event, key) for key in (*_HASHED, "occurred_at")})


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction (it commits or rolls back with the change)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    head = session.get(AuditHead, 1)
    event = AuditEvent(
        seq=(head.seq + 1) if head else 1,
        occurred_at=utcnow(),
        actor_id=actor.id,
        actor=actor.username,
        action=action,
        entity=entity,
        entity_id=str(entity_id if entity_id is not None else ""),
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        prev_hash=head.hash if head else GENESIS,
    )
    event.hash = event_hash(event)
    session.add(event)
    if head is None:
        session.add(AuditHead(id=1, seq=event.seq, hash=event.hash))
    else:
        head.seq, head.hash = event.seq, event.hash
    session.flush()
    session.info[PENDING_KEY] = (event.seq, event.hash)  # anchored outside the database after commit
    return event


def newest_hash(session: Session) -> str:
    """The hash of the newest event (``GENESIS`` for an empty trail): what a signed PDF carries."""
    head = session.get(AuditHead, 1)
    return head.hash if head is not None else GENESIS


def holds_hash(session: Session, value: str) -> bool:
    """Whether the trail still holds an event with this hash (the newest, or one that a later links to).

    Uses the unique index on ``prev_hash``. Only meaningful together with :func:`verify`: a rewritten
    chain no longer holds the hashes that documents and anchors recorded before the rewrite.
    """
    head = session.get(AuditHead, 1)
    if head is not None and head.hash == value:
        return True
    found = session.scalar(select(AuditEvent.id).where(AuditEvent.prev_hash == value).limit(1))
    return found is not None and value != GENESIS


REPLAYED: dict[str, type[Base]] = {
    "family": Family,
    "person": Person,
    "referral": Referral,
    "decision": Decision,
}
"""Entities whose rows verify replays against their newest event (entity name → model)."""


@dataclass(frozen=True)
class RecordProblem:
    """A row that does not match the trail; named by table and id only, never by its contents."""

    table: str
    id: str
    what: str

    def line(self) -> str:
        return f"{self.table} id {self.id}: {self.what}"


@dataclass(frozen=True)
class VerifyReport:
    events: int
    bad_seq: int | None = None
    bad_id: int | None = None
    reason: str = ""
    records: tuple[RecordProblem, ...] = ()
    anchor: str = ""  # what the anchor check found, when it passed

    @property
    def ok(self) -> bool:
        return self.bad_seq is None and not self.reason and not self.records

    def line(self) -> str:
        if self.ok:
            return f"audit trail intact: {self.events} events, every hash and link checks out"
        if self.records and self.bad_seq is None and not self.reason:
            return (
                f"records changed behind ehdesk's back: {len(self.records)} row(s) do not match "
                f"the audit trail ({self.events} events, chain intact)"
            )
        if self.bad_seq is None:
            return f"audit trail broken: {self.reason}"
        where = f"event seq {self.bad_seq}" + (f" (row id {self.bad_id})" if self.bad_id is not None else "")
        return f"audit trail broken at {where}: {self.reason}"

    def lines(self) -> list[str]:
        """Everything to print: the verdict, the anchor, then each row that does not match."""
        out = [self.line()]
        if self.ok and self.anchor:
            out.append(self.anchor)
        out += [f"  {problem.line()}" for problem in self.records]
        return out


def _holds_records(session: Session) -> bool:
    return any(session.scalar(select(model.id).limit(1)) is not None for model in (User, Family))


def _utc_iso(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return _utc_text(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def _fingerprint(model: type[Base], state: dict[str, Any], keys: tuple[str, ...]) -> str:
    """A digest of a row's saved columns, with times in one spelling (databases return them differently)."""
    columns = inspect(model).columns
    normal = {
        key: _utc_iso(state.get(key)) if isinstance(columns[key].type, DateTime) else state.get(key)
        for key in keys
        if key in columns
    }
    canonical = json.dumps(normal, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


_Expected = dict[tuple[str, str], tuple[str, tuple[str, ...]] | None]


def _expect(expected: _Expected, event: AuditEvent) -> None:
    """Remember what the newest event says each replayed row holds (``None``: it was deleted)."""
    model = REPLAYED.get(event.entity)
    if model is None:
        return
    if event.after is None:
        expected[(event.entity, event.entity_id)] = None
        return
    keys = tuple(sorted(event.after))  # columns added by later revisions are compared once events hold them
    expected[(event.entity, event.entity_id)] = (_fingerprint(model, event.after, keys), keys)


def _replay(session: Session, expected: _Expected) -> tuple[RecordProblem, ...]:
    problems: list[RecordProblem] = []
    for entity, model in REPLAYED.items():
        table = model.__tablename__
        seen: set[str] = set()
        for row in session.scalars(select(model).execution_options(yield_per=500)):
            ident = str(row.id)  # type: ignore[attr-defined]
            seen.add(ident)
            key = (entity, ident)
            if key not in expected:
                problems.append(RecordProblem(table, ident, "added outside ehdesk (no audit event for it)"))
                continue
            wanted = expected[key]
            if wanted is None:
                problems.append(
                    RecordProblem(table, ident, "present although the trail records its deletion")
                )
            elif _fingerprint(model, snapshot(row), wanted[1]) != wanted[0]:
                problems.append(
                    RecordProblem(table, ident, "changed outside ehdesk (differs from its last event)")
                )
        for (kind, ident), saved in expected.items():
            if kind == entity and saved is not None and ident not in seen:
                problems.append(RecordProblem(table, ident, "deleted outside ehdesk"))
        session.expunge_all()
    return tuple(sorted(problems, key=lambda p: (p.table, int(p.id) if p.id.isdigit() else 0)))


def _check_anchor(session: Session, anchor: Anchor | None, anchored_hash: str | None, newest: int) -> str:
    """Compare the chain with the anchor this machine kept; an empty string means it holds."""
    if anchor is None:
        return ""
    if newest < anchor.seq:
        return (
            f"the trail ends at seq {newest} but this machine anchored seq {anchor.seq}: newer events "
            "were removed and the chain re-linked, or the database was replaced by an older copy"
        )
    if anchored_hash != anchor.hash:
        return (
            f"event seq {anchor.seq} is not the one this machine anchored: the chain was rewritten "
            "(recomputed hashes)"
        )
    return ""


def verify(session: Session, *, use_anchor: bool = True) -> VerifyReport:
    """Walk the chain from the first event, check it against the anchor, then replay the records.

    Reports the first event that does not check out; with an intact chain, every family, person,
    referral and decision row that does not match the trail. On success the anchor moves to the
    newest event, so the next verify (or a rewrite after it) is measured from here.
    """
    url = session.get_bind().engine.url
    try:
        anchor = read_anchor(url) if use_anchor else None
    except AnchorUnreadable as exc:
        return VerifyReport(
            0, None, None, f"the anchor file cannot be read ({exc}); it may have been altered"
        )
    anchored_hash: str | None = None
    expected: _Expected = {}
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    query = select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=1000)
    for event in session.scalars(query):
        count += 1
        if event.seq != expected_seq:
            return VerifyReport(
                count,
                expected_seq,
                None,
                f"it is missing (deleted); the next event present is seq {event.seq} (row id {event.id})",
            )
        if event.prev_hash != expected_prev:
            return VerifyReport(
                count, event.seq, event.id, "its link to the previous event is wrong (an event was removed)"
            )
        if event_hash(event) != event.hash:
            return VerifyReport(
                count, event.seq, event.id, "its contents do not match its hash (it was edited)"
            )
        if anchor is not None and event.seq == anchor.seq:
            anchored_hash = event.hash
        _expect(expected, event)
        expected_prev = event.hash
        expected_seq += 1
    session.expunge_all()
    head = session.get(AuditHead, 1)
    newest = expected_seq - 1
    if count == 0 and head is None and _holds_records(session):
        # every user and family was made through a service, so an empty trail beside them was wiped
        return VerifyReport(0, None, None, "it holds no events although the database holds records (wiped)")
    if head is None and count:
        return VerifyReport(count, None, None, "the chain head record is missing (it was deleted)")
    if head is not None and (head.seq != newest or head.hash != expected_prev):
        return VerifyReport(
            count,
            head.seq,
            None,
            f"the newest event (seq {head.seq}) is missing or altered; the chain ends at seq {newest}",
        )
    anchor_problem = _check_anchor(session, anchor, anchored_hash, newest)
    if anchor_problem:
        return VerifyReport(count, None, None, anchor_problem)
    records = _replay(session, expected)
    if records:
        return VerifyReport(count, records=records)
    where = f"seq {anchor.seq}" if anchor is not None else "none yet on this machine"
    note = f"anchor kept outside the database: {where}; now at seq {newest}"
    if use_anchor and newest:
        try:
            write_anchor(url, Anchor(newest, expected_prev))
        except (OSError, EhdeskError) as exc:
            note = f"anchor kept outside the database: {where}; it could not be moved on ({exc})"
    return VerifyReport(count, anchor=note)


Entry = tuple[str, str, object, dict[str, Any] | None, dict[str, Any] | None]
"""One event for :func:`record_many`: (action, entity, entity_id, before, after)."""


def record_many(session: Session, actor: Actor, entries: Sequence[Entry]) -> list[AuditEvent]:
    """Append several events in one go, chained in the order given, in the caller's transaction.

    The same chain as calling :func:`record` once per entry (same seq, links and hashes), but the head
    is locked and read once and the events are written in one statement rather than one flush each:
    a referral with its family, people and agencies writes six or so events, and per-event flushes
    were over half the cost of storing one (issue 18). The session is flushed as well, so whatever the
    caller added is written with the events. Returns the events as written; they are not attached to
    the session (their rows were inserted directly, see :func:`append_many`), so ``id`` is unset.
    """
    return [AuditEvent(**row) for row in _append(session, actor, entries)]


def append_many(session: Session, actor: Actor, entries: Sequence[Entry]) -> None:
    """:func:`record_many` for callers that do not need the events back (``ehdesk demo``'s batches).

    Building thousands of ORM objects only to drop them was a measurable share of storing a demo
    family (issue 18); the rows written are the same.
    """
    _append(session, actor, entries)


def _append(session: Session, actor: Actor, entries: Sequence[Entry]) -> list[dict[str, Any]]:
    """Chain ``entries`` after the head and insert them as plain rows: one INSERT executed for many
    rows (no RETURNING: the chain needs no ids), which psycopg pipelines with the statement prepared
    once and SQLite runs as one prepared statement. The hashes are computed here first, exactly as
    :func:`event_hash` computes them from the stored row."""
    if not entries:
        return []
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    head = session.get(AuditHead, 1)
    seq, prev_hash = (head.seq, head.hash) if head is not None else (0, GENESIS)
    moment = utcnow()
    actor_id, username = actor.id, actor.username
    rows: list[dict[str, Any]] = []
    for action, entity, entity_id, before, after in entries:
        seq += 1
        row: dict[str, Any] = {
            "seq": seq,
            "occurred_at": moment,
            "actor_id": actor_id,
            "actor": username,
            "action": action,
            "entity": entity,
            "entity_id": str(entity_id if entity_id is not None else ""),
            "before": _jsonable(before) if before is not None else None,
            "after": _jsonable(after) if after is not None else None,
            "prev_hash": prev_hash,
        }
        row["hash"] = prev_hash = _row_hash(row)
        rows.append(row)
    session.execute(insert(_EVENTS), rows)
    if head is None:
        session.add(AuditHead(id=1, seq=seq, hash=prev_hash))
    else:
        head.seq, head.hash = seq, prev_hash
    session.flush()
    session.info[PENDING_KEY] = (seq, prev_hash)  # anchored outside the database after commit
    return rows
