"""One family's casefile as a single timeline, newest first, one page at a time.

Everything on the casefile — the people and referrals that opened it, the agencies involved, each
allocation, share, objection, privacy-notice event, casenote, decline, decision and stored document —
becomes a :class:`TimelineEntry`. Pages are key-set paged on ``(when, kind, record_id)``: each source
is asked for at most one page of rows older than the cursor (an indexed family filter, ordered by time),
the sources are merged and the newest page kept, so page fifty costs what page one does and no entry is
repeated or skipped when two land at the same moment.

People carry no time of their own; they take their family's creation time (they arrived with the
first referral). Agencies involved take their referral's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, true
from sqlalchemy.orm import Session

from ehdesk.forms.choices import DATA_ITEMS, PN_METHOD
from ehdesk.services.actor import Actor
from ehdesk.services.families import person_label
from ehdesk.services.specs import RecordSpec
from ehdesk.storage.models import (
    AgencyInvolved,
    Allocation,
    CaseNote,
    Decision,
    Decline,
    Document,
    FamilyRecord,
    Objection,
    Person,
    PrivacyNoticeEvent,
    Referral,
    Share,
    User,
)
from ehdesk.storage.models import Family as FamilyRow


@dataclass(frozen=True, order=True)
class TimelineCursor:
    """Where a page ended: the last entry's time, kind and id (pass it as ``before`` for the next)."""

    when: datetime
    kind: str
    record_id: int


@dataclass(frozen=True)
class TimelineEntry:
    kind: str  # person | referral | agency | allocation | share | objection | privacy_notice | ...
    record_id: int
    form_id: str | None  # the casefile form that opens it, when it is one
    when: datetime
    title: str
    summary: str
    author: str
    locked: bool
    editable_by_me: bool

    @property
    def cursor(self) -> TimelineCursor:
        return TimelineCursor(self.when, self.kind, self.record_id)


def long_day(day: date | None) -> str:
    """A day as people write it ("12 March 2025"); the PDFs' own helper is not imported here, so
    opening a casefile never loads reportlab."""
    return f"{day.day} {day:%B %Y}" if day is not None else ""


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive UTC; PostgreSQL aware. The timeline speaks aware UTC throughout."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _older(when: Any, ident: Any, kind: str, cursor: TimelineCursor | None) -> ColumnElement[bool]:
    """Rows of ``kind`` that sort after ``cursor`` in (when, kind, id) descending order."""
    if cursor is None:
        return true()
    moment = cursor.when
    if kind < cursor.kind:
        return when <= moment  # type: ignore[no-any-return]
    if kind > cursor.kind:
        return when < moment  # type: ignore[no-any-return]
    return or_(when < moment, and_(when == moment, ident < cursor.record_id))


@dataclass(frozen=True)
class _Raw:
    kind: str
    record_id: int
    when: datetime
    title: str
    summary: str
    author_id: int | None = None
    record: FamilyRecord | None = None


def _first_line(text: Any, limit: int = 160) -> str:
    line = str(text or "").strip().split("\n", 1)[0]
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _labels(values: Any, choices: Any) -> str:
    items = values if isinstance(values, list) else []
    return ", ".join(choices.label_for(str(v)) for v in items)


def _record_title(kind: str, record: FamilyRecord) -> tuple[str, str]:
    data: Mapping[str, Any] = record.data or {}
    if isinstance(record, Share):
        informed = (
            "family told in advance" if data.get("informed_in_advance") is True else "under an exception"
        )
        return (
            f"Information shared with {record.agency}",
            f"{_labels(data.get('data_items'), DATA_ITEMS)} ({informed})",
        )
    if isinstance(record, Objection):
        state = " (withdrawn)" if record.withdrawn else ""
        return f"Objection to sharing with {record.agency}{state}", _first_line(data.get("family_reasons"))
    if isinstance(record, PrivacyNoticeEvent):
        method = PN_METHOD.label_for(record.method) if record.method else ""
        return "Privacy notice given", f"{method}; {data.get('family_type', '')} family script".strip("; ")
    if isinstance(record, CaseNote):
        return record.title, _first_line(record.body)
    if isinstance(record, Decline):
        return "Family declined Early Help", f"{record.status}: {_first_line(data.get('reasons'))}"
    if isinstance(record, Decision):
        about = f" on a {record.subject}" if record.subject else ""
        return f"Management decision{about}", _first_line(data.get("decision"))
    return kind, ""


_RECORD_KINDS: tuple[tuple[str, type[FamilyRecord]], ...] = (
    ("share", Share),
    ("objection", Objection),
    ("privacy_notice", PrivacyNoticeEvent),
    ("casenote", CaseNote),
    ("decline", Decline),
    ("decision", Decision),
)


def _records(session: Session, family_id: int, limit: int, cursor: TimelineCursor | None) -> list[_Raw]:
    out: list[_Raw] = []
    for kind, model in _RECORD_KINDS:
        stmt = (
            select(model)
            .where(model.family_id == family_id, _older(model.created_at, model.id, kind, cursor))
            .order_by(model.created_at.desc(), model.id.desc())
            .limit(limit)
        )
        for record in session.scalars(stmt):
            title, summary = _record_title(kind, record)
            out.append(_Raw(kind, record.id, record.created_at, title, summary, record.created_by, record))
    return out


def _people(session: Session, family_id: int, limit: int, cursor: TimelineCursor | None) -> list[_Raw]:
    stmt = (
        select(Person, FamilyRow.created_at)
        .join(FamilyRow, FamilyRow.id == Person.family_id)
        .where(Person.family_id == family_id, _older(FamilyRow.created_at, Person.id, "person", cursor))
        .order_by(Person.id.desc())
        .limit(limit)
    )
    out = []
    for person, when in session.execute(stmt):
        name = person_label(
            person.kind, person.given_name, person.family_name, person.birth_date, person.expected_delivery
        )
        born = person.birth_date or person.expected_delivery
        detail = f"born {long_day(born)}" if person.birth_date else f"due {long_day(born)}" if born else ""
        out.append(_Raw("person", person.id, when, f"{person.kind.title()}: {name}", detail))
    return out


def _referrals(session: Session, family_id: int, limit: int, cursor: TimelineCursor | None) -> list[_Raw]:
    stmt = (
        select(Referral)
        .where(Referral.family_id == family_id, _older(Referral.created_at, Referral.id, "referral", cursor))
        .order_by(Referral.created_at.desc(), Referral.id.desc())
        .limit(limit)
    )
    out = []
    for referral in session.scalars(stmt):
        data = referral.data or {}
        by = ", ".join(str(p) for p in (data.get("referrer_role"), data.get("referrer_agency")) if p)
        received = f"received {long_day(referral.received_on)}" if referral.received_on else ""
        summary = "; ".join(p for p in (received, f"from {by}" if by else "") if p)
        out.append(
            _Raw("referral", referral.id, referral.created_at, "Referral", summary, referral.created_by)
        )
    return out


def _agencies(session: Session, family_id: int, limit: int, cursor: TimelineCursor | None) -> list[_Raw]:
    stmt = (
        select(AgencyInvolved.id, AgencyInvolved.agency, Referral.created_at)
        .join(Referral, Referral.id == AgencyInvolved.referral_id)
        .where(
            AgencyInvolved.family_id == family_id,
            _older(Referral.created_at, AgencyInvolved.id, "agency", cursor),
        )
        .order_by(Referral.created_at.desc(), AgencyInvolved.id.desc())
        .limit(limit)
    )
    return [
        _Raw("agency", i, when, f"Agency involved: {agency}", "") for i, agency, when in session.execute(stmt)
    ]


def _allocations(session: Session, family_id: int, limit: int, cursor: TimelineCursor | None) -> list[_Raw]:
    stmt = (
        select(Allocation)
        .where(
            Allocation.family_id == family_id,
            _older(Allocation.allocated_at, Allocation.id, "allocation", cursor),
        )
        .order_by(Allocation.allocated_at.desc(), Allocation.id.desc())
        .limit(limit)
    )
    rows = list(session.scalars(stmt))
    names = _names(session, {r.worker_id for r in rows} | {r.previous_worker_id for r in rows})
    out = []
    for row in rows:
        if row.worker_id is None:
            title = "Allocation ended"
        else:
            title = f"Allocated to {names.get(row.worker_id, 'a removed user')}"
        before = names.get(row.previous_worker_id) if row.previous_worker_id is not None else None
        summary = f"previously {before}" if before else ""
        out.append(_Raw("allocation", row.id, row.allocated_at, title, summary, row.allocated_by))
    return out


def _documents(session: Session, family_id: int, limit: int, cursor: TimelineCursor | None) -> list[_Raw]:
    stmt = (
        select(Document.id, Document.kind, Document.filename, Document.created_at, Document.created_by)
        .where(Document.family_id == family_id, _older(Document.created_at, Document.id, "document", cursor))
        .order_by(Document.created_at.desc(), Document.id.desc())
        .limit(limit)
    )
    return [
        _Raw("document", i, when, f"Document: {kind.replace('_', ' ')}", filename, by)
        for i, kind, filename, when, by in session.execute(stmt)
    ]


_SOURCES: tuple[Callable[[Session, int, int, TimelineCursor | None], list[_Raw]], ...] = (
    _records,
    _people,
    _referrals,
    _agencies,
    _allocations,
    _documents,
)


def _names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.full_name).where(User.id.in_(wanted)))
    return {user_id: name for user_id, name in rows}


def _unnamed_author(raw: _Raw) -> str:
    """Who made an entry no user's name is on: people and agencies arrive with a referral (ehdesk made
    them); a referral made by no user is demo data (every keyed referral names who keyed it)."""
    if raw.kind in ("person", "agency"):
        return "ehdesk"
    if raw.kind == "referral" and raw.author_id is None:
        return "ehdesk demo data"
    return ""


def timeline(
    session: Session,
    actor: Actor,
    family_id: int,
    specs: Mapping[str, RecordSpec],
    *,
    limit: int = 100,
    before: TimelineCursor | None = None,
) -> list[TimelineEntry]:
    """One page of the family's casefile, newest first (the caller has checked access to the family)."""
    limit = max(1, min(limit, 1000))
    raws: list[_Raw] = []
    for source in _SOURCES:
        raws += source(session, family_id, limit, before)
    keyed = sorted(raws, key=lambda r: (_aware(r.when), r.kind, r.record_id), reverse=True)[:limit]
    names = _names(session, (r.author_id for r in keyed))
    out = []
    for raw in keyed:
        spec = specs.get(raw.kind)
        locked = bool(raw.record.locked) if raw.record is not None else False
        editable = (
            spec is not None
            and raw.record is not None
            and not locked
            and actor.id is not None
            and raw.record.created_by == actor.id
        )
        author = names.get(raw.author_id, "") if raw.author_id is not None else ""
        out.append(
            TimelineEntry(
                kind=raw.kind,
                record_id=raw.record_id,
                form_id=spec.form_id if spec is not None else None,
                when=_aware(raw.when),
                title=raw.title,
                summary=raw.summary,
                author=author or _unnamed_author(raw),
                locked=locked,
                editable_by_me=editable,
            )
        )
    return out
