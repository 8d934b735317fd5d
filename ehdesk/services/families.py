"""Looking families up: search while typing, one page at a time.

``search_text`` holds everything a person types to find a family (reference, names, birth dates in both
UK and ISO form, postcode with and without its space), lower-cased. Each word typed must appear in it.
On SQLite the words are matched through the FTS5 trigram table (an index for ``LIKE '%word%'``); on
PostgreSQL through a pg_trgm GIN index on the same column. Words shorter than three letters cannot use a
trigram index, so they narrow the indexed result rather than drive the search.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, String, func, literal_column, select, text
from sqlalchemy.orm import InstrumentedAttribute, Session

from ehdesk.domain import FamilyStatus, Role
from ehdesk.errors import NotFound, PermissionDenied
from ehdesk.services import audit
from ehdesk.services.actor import Actor
from ehdesk.services.permissions import Permission, require
from ehdesk.services.records import expect_version, flush_or_conflict
from ehdesk.storage.models import Family, Person, User


@dataclass(frozen=True)
class FamilyRow:
    id: int
    reference: str
    display_name: str
    postcode: str
    children: str
    status: str


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_words(query: str) -> list[str]:
    return [w for w in query.lower().split() if w]


def _word_filters(column: ColumnElement[str] | InstrumentedAttribute[str], words: list[str]) -> list[Any]:
    """One LIKE per word typed: every word must appear in the search text."""
    filters = []
    for word in words:
        if any(c in word for c in "%_\\"):
            filters.append(column.like(f"%{_escape_like(word)}%", escape="\\"))
        else:  # an ESCAPE clause stops SQLite's FTS5 trigram index from serving LIKE
            filters.append(column.like(f"%{word}%"))
    return filters


def _filtered(session: Session, query: str) -> Select[Family]:
    """Families whose search text holds every word. SQLite asks its FTS5 table for the matching ids;
    PostgreSQL filters the column itself, which its pg_trgm index serves (an IN over the same table
    would lead its planner to walk the primary key backwards for a rare match)."""
    stmt = select(Family)
    words = search_words(query)
    if not words:
        return stmt
    if session.get_bind().dialect.name == "sqlite":
        fts = literal_column("family_search.search_text", String)
        ids = select(literal_column("family_search.rowid", Integer)).select_from(text("family_search"))
        return stmt.where(Family.id.in_(ids.where(*_word_filters(fts, words))))
    return stmt.where(*_word_filters(Family.search_text, words))


def _page(stmt: Select[Family], before_id: int | None) -> Select[Family]:
    """Key-set paging: the next page starts below the last id shown, so a family added meanwhile never
    shifts a row into the next page twice, and page 500 costs what page 1 does (no OFFSET to skip)."""
    return stmt if before_id is None else stmt.where(Family.id < before_id)


def count_families(session: Session, actor: Actor, query: str = "") -> int:
    require(actor, Permission.VIEW_FAMILIES)
    stmt = _filtered(session, query).with_only_columns(func.count()).select_from(Family).order_by(None)
    return session.scalar(stmt) or 0


def search_families(
    session: Session, actor: Actor, query: str = "", *, limit: int = 200, before_id: int | None = None
) -> list[FamilyRow]:
    """One page of families matching ``query``, newest first; ``before_id`` is the last id already shown."""
    require(actor, Permission.VIEW_FAMILIES)
    newest_first: ColumnElement[int] | InstrumentedAttribute[int] = Family.id
    if search_words(query) and session.get_bind().dialect.name == "postgresql":
        # "id + 0" orders the same but cannot use the primary key, so PostgreSQL takes the trigram
        # index and sorts the matches, instead of walking every family backwards to find a rare one
        newest_first = Family.id + 0
    families = session.scalars(
        _page(_filtered(session, query), before_id).order_by(newest_first.desc()).limit(limit)
    )
    rows = list(families)
    children = _children_by_family(session, [f.id for f in rows])
    return [
        FamilyRow(f.id, f.reference, f.display_name, f.postcode, children.get(f.id, ""), f.status)
        for f in rows
    ]


def _children_by_family(session: Session, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    out: dict[int, list[str]] = {}
    stmt = (
        select(Person.family_id, Person.given_name, Person.birth_date)
        .where(Person.family_id.in_(ids), Person.kind == "child")
        .order_by(Person.id)
    )
    for family_id, given, born in session.execute(stmt):
        out.setdefault(family_id, []).append(f"{given} ({born:%d/%m/%Y})" if born else f"{given} (unborn)")
    return {k: ", ".join(v) for k, v in out.items()}


def get_family(session: Session, actor: Actor, family_id: int) -> Family:
    """The one door to a family's record: role and allocation are both checked here, so every service
    built on it (sharing, packs, declines) inherits the rule that workers act only on their families."""
    require(actor, Permission.VIEW_FAMILIES)
    family = session.get(Family, family_id)
    if family is None:
        raise NotFound(f"family {family_id} does not exist; it may have been removed — search again")
    require_family_access(actor, family)
    return family


def require_family_access(actor: Actor, family: Family) -> None:
    """A worker acts only on the families allocated to them; managers on any."""
    if actor.role is Role.WORKER and family.worker_id != actor.id:
        raise PermissionDenied(
            f"family {family.reference} is not allocated to {actor.username}; ask a manager to allocate it"
        )


def _date_forms(born: date | None) -> Iterable[str]:
    if born is None:
        return ()
    return (born.isoformat(), born.strftime("%d/%m/%Y"))


def build_search_text(family: Family, people: Iterable[Person]) -> str:
    parts = [family.reference, family.postcode, family.postcode.replace(" ", "")]
    for person in people:
        parts += [person.given_name, person.family_name, *_date_forms(person.birth_date)]
        parts += [*_date_forms(person.expected_delivery)]
    return " ".join(p for p in parts if p).lower()


def display_name(people: Iterable[Person]) -> str:
    """ "Smith (Ava, Leo)": the children's family name(s) and first names, as staff say it."""
    people = list(people)
    children = [p for p in people if p.kind == "child"] or people
    surnames = list(dict.fromkeys(p.family_name for p in children if p.family_name))
    given = [p.given_name for p in children if p.given_name]
    return f"{' / '.join(surnames) or 'Unnamed'} ({', '.join(given)})" if given else " / ".join(surnames)


def allocate(
    session: Session, actor: Actor, family_id: int, worker_id: int | None, *, version: int
) -> Family:
    """Allocate a family to a worker (or un-allocate with ``None``)."""

    require(actor, Permission.ALLOCATE)
    family = get_family(session, actor, family_id)
    expect_version(family, version)
    if worker_id is not None and _user_role(session, worker_id) not in ("worker", "manager"):
        raise PermissionDenied("families can only be allocated to family workers or managers")
    before = audit.snapshot(family)
    family.worker_id = worker_id
    family.status = FamilyStatus.ALLOCATED if worker_id is not None else FamilyStatus.REFERRED
    flush_or_conflict(session, family)
    audit.record(session, actor, "update", "family", family.id, before=before, after=audit.snapshot(family))
    return family


def update_address(
    session: Session, actor: Actor, family_id: int, address: str, postcode: str, *, version: int
) -> Family:
    """Correct a family's address; ``version`` is the one the user saw (optimistic locking)."""

    require(actor, Permission.CREATE_REFERRAL)
    family = get_family(session, actor, family_id)
    expect_version(family, version)
    people = list(family.people)  # load before changing anything, so autoflush cannot save halfway
    before = audit.snapshot(family)
    family.address = address.strip()
    family.postcode = " ".join(postcode.upper().split())
    family.search_text = build_search_text(family, people)
    flush_or_conflict(session, family)
    audit.record(session, actor, "update", "family", family.id, before=before, after=audit.snapshot(family))
    return family


def _user_role(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    return user.role
