"""The append-only, hash-chained audit trail.

Each event stores the hash of the one before it and its own hash over its contents, so an event edited
behind the application's back no longer matches its hash, and a deleted event breaks the link (or the
``seq`` run, or the head record for the newest event). :func:`verify` walks the chain and names the first
event that fails.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from ehdesk.clock import utcnow
from ehdesk.services.actor import Actor
from ehdesk.storage.models import AuditEvent, AuditHead, Base, Family, User

GENESIS = "0" * 64
_HIDDEN = {"password_hash": "(hidden)"}
_SKIPPED = {"search_text", "content"}
_LOCK_KEY = 0x45484453  # "EHDS": one advisory lock serialises chain appends on PostgreSQL


def _jsonable(value: Any) -> Any:
    """What JSON will give back after a round trip, so the hash is computed over stable data."""
    return json.loads(json.dumps(value, default=_default, sort_keys=True))


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    return str(value)


def snapshot(obj: Base) -> dict[str, Any]:
    """A record's columns as JSON-able data for the before/after of an event."""
    state: dict[str, Any] = {}
    for attr in inspect(obj).mapper.column_attrs:
        key = attr.key
        if key in _SKIPPED:
            continue
        state[key] = _HIDDEN.get(key, getattr(obj, key))
    return dict(_jsonable(state))


def _utc_text(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


def event_hash(event: AuditEvent) -> str:
    payload = {
        "seq": event.seq,
        "occurred_at": _utc_text(event.occurred_at),
        "actor_id": event.actor_id,
        "actor": event.actor,
        "action": event.action,
        "entity": event.entity,
        "entity_id": event.entity_id,
        "before": event.before,
        "after": event.after,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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
    return event


@dataclass(frozen=True)
class VerifyReport:
    events: int
    bad_seq: int | None = None
    bad_id: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.bad_seq is None and not self.reason

    def line(self) -> str:
        if self.ok:
            return f"audit trail intact: {self.events} events, every hash and link checks out"
        if self.bad_seq is None:
            return f"audit trail broken: {self.reason}"
        where = f"event seq {self.bad_seq}" + (f" (row id {self.bad_id})" if self.bad_id is not None else "")
        return f"audit trail broken at {where}: {self.reason}"


def _holds_records(session: Session) -> bool:
    return any(session.scalar(select(model.id).limit(1)) is not None for model in (User, Family))


def verify(session: Session) -> VerifyReport:
    """Walk the chain from the first event; report the first one that does not check out."""
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    for event in session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
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
        expected_prev = event.hash
        expected_seq += 1
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
    return VerifyReport(count)
