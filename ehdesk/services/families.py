"""Looking families up: search while typing, one page at a time, and the rules of who sees which family.

``search_text`` holds everything a person types to find a family (reference, names and also-known-as
names of children and carers, birth dates in UK and ISO form, postcode with and without its space), each
passed through :func:`ehdesk.text.fold`. A query is folded the same way, one typed word at a time, so
"Sian" finds Siân, "oneill" O'Neill, "smith jones" Smith-Jones and "09.04.2016" a birth date keyed as
09/04/2016; every folded word must appear in the text.

Words of three letters or more drive the search through a trigram index: SQLite's FTS5 trigram table, or
PostgreSQL's pg_trgm GIN index. Shorter words never reach the index: a trigram index cannot serve them,
and SQLite 3.40's FTS5 crashes the process (or silently finds nothing) when such a word sits beside a
longer one. They narrow the rows the longer words found, in a plain filter. A query of short words only
is not run at all: the list asks for more letters (issue 13, issue 18).

Who sees what (G7, G15): a family worker searches and counts only the families allocated to them;
admins and managers search every family. The count is capped at :data:`COUNT_CAP` so that a broad query
never walks every match.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    Select,
    String,
    any_,
    bindparam,
    column,
    func,
    select,
    table,
)
from sqlalchemy.orm import Session

from ehdesk.domain import FamilyStatus, Role
from ehdesk.errors import EhdeskError, NotFound, PermissionDenied, ValidationFailed
from ehdesk.forms.model import FormDefinition, LongText, Section
from ehdesk.forms.registry import get_form
from ehdesk.forms.validate import validate
from ehdesk.services import audit
from ehdesk.services.actor import Actor
from ehdesk.services.permissions import Permission, require
from ehdesk.services.records import expect_version, flush_or_conflict
from ehdesk.storage.models import Family, Person, User
from ehdesk.text import fold, postcode_key, tidy_postcode

TRIGRAM = 3  # letters a trigram index needs to serve a word
COUNT_CAP = 1000  # the count stops here; the list then says "1,000+"
MAX_QUERY_LENGTH = 200  # longer than any name, date or postcode anyone would type into a search box
SEARCH_PROMPT = "Type at least 3 letters of a name, or a reference, birth date or postcode"

# The FTS5 table that mirrors families.search_text on SQLite (migration 0002)
_FTS = table("family_search", column("rowid", Integer), column("search_text", String))


class SearchTooLong(EhdeskError):
    """A search longer than anything stored could match (a paste gone wrong)."""


@dataclass(frozen=True)
class FamilyRow:
    id: int
    reference: str
    display_name: str
    postcode: str
    children: str
    status: str


@dataclass(frozen=True)
class SearchTerms:
    """A query as the database sees it: folded words that drive the index and words that only narrow."""

    indexed: tuple[str, ...]
    narrowing: tuple[str, ...]

    @property
    def everything(self) -> bool:
        """Nothing to search for: the list shows every family the user may see."""
        return not self.indexed and not self.narrowing

    @property
    def too_short(self) -> bool:
        """Only one- or two-letter words: too broad to be worth a scan; the user is asked for more."""
        return not self.indexed and bool(self.narrowing)


def search_terms(query: str) -> SearchTerms:
    """Split what was typed at white space and fold each piece, so "Smith-Jones" stays one phrase
    ("smith jones") and "09/04/2016" one date ("09 04 2016"). Punctuation alone ("%", quotes, emoji)
    folds to nothing and is dropped. A short word inside a longer one adds nothing and is dropped too."""
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchTooLong(
            f"a search can be at most {MAX_QUERY_LENGTH} characters (this one has {len(query):,}); "
            "type part of a name, a reference, a birth date or a postcode"
        )
    words = list(dict.fromkeys(w for w in (fold(piece) for piece in query.split()) if w))
    indexed = tuple(w for w in words if len(w) >= TRIGRAM)
    narrowing = tuple(w for w in words if len(w) < TRIGRAM and not any(w in long for long in indexed))
    return SearchTerms(indexed, narrowing)


def search_prompt(query: str) -> str | None:
    """What the list says instead of results when the query is too short to search; else ``None``."""
    return SEARCH_PROMPT if search_terms(query).too_short else None


def count_text(count: int) -> str:
    """A count as the list shows it: "1,000+" once it reaches the cap."""
    return f"{COUNT_CAP:,}+" if count >= COUNT_CAP else f"{count:,}"


def _contains(column_: Any, word: str, dialect: str) -> ColumnElement[bool]:
    """A plain (unindexed) containment test. Folded words hold no LIKE wildcards; on PostgreSQL
    ``strpos`` keeps the planner off the trigram index, which a two-letter pattern would make it read
    whole."""
    if dialect == "postgresql":
        return func.strpos(column_, word) > 0
    found: ColumnElement[bool] = column_.like(f"%{word}%")
    return found


def _matches(session: Session, actor: Actor, terms: SearchTerms) -> tuple[Select[Family], Any]:
    """The families the actor may see that hold every word, and the id column to order and page by.

    On SQLite the FTS5 table drives the join and yields matches newest first in its own rowid order,
    so a page stops after its rows; only indexed words reach it. On PostgreSQL the column itself is
    filtered (its pg_trgm index serves the LIKE); "id + 0" orders the same as id without letting the
    planner walk the primary key backwards to find a rare match.
    """
    dialect = session.get_bind().dialect.name
    if actor.role is Role.WORKER and dialect == "sqlite":
        # a worker's families are one caseload (hundreds): read them through the worker index and test
        # each one's text, rather than walk every trigram match in the authority for the few that are
        # theirs (a common surname matches thousands; issue 18)
        words = (*terms.indexed, *terms.narrowing)
        mine = select(Family).where(
            Family.worker_id == actor.id, *(_contains(Family.search_text, w, dialect) for w in words)
        )
        return mine, Family.id
    stmt = select(Family)
    order: Any = Family.id
    if terms.indexed and dialect == "sqlite":
        stmt = stmt.join(_FTS, _FTS.c.rowid == Family.id).where(
            *(_FTS.c.search_text.like(f"%{w}%") for w in terms.indexed)
        )
        order = _FTS.c.rowid
    elif terms.indexed:
        stmt = stmt.where(*(Family.search_text.like(f"%{w}%") for w in terms.indexed))
        order = Family.id + 0
    stmt = stmt.where(*(_contains(Family.search_text, w, dialect) for w in terms.narrowing))
    if actor.role is Role.WORKER:  # need to know (G7, G15): a worker sees only their own families
        stmt = stmt.where(Family.worker_id == actor.id)
    return stmt, order


def count_families(session: Session, actor: Actor, query: str = "") -> int:
    """How many families match, exactly up to :data:`COUNT_CAP`; at the cap, "at least that many".

    Counting over a ``LIMIT`` subquery stops the database at the cap instead of walking every match."""
    require(actor, Permission.VIEW_FAMILIES)
    terms = search_terms(query)
    if terms.too_short:
        return 0
    stmt, order = _matches(session, actor, terms)
    # ordered as the page is, so the planner takes the page's plan: unordered, SQLite may put the
    # families table outside and re-run the trigram query once per family (seconds at 20,000)
    capped_ids = stmt.with_only_columns(Family.id)
    if session.get_bind().dialect.name == "sqlite":
        capped_ids = capped_ids.order_by(order.desc())
    # on PostgreSQL any COUNT_CAP matches will do: unordered, the scan stops at the cap, where ordered
    # it sorted every match of a broad word ("ls1": 38,000 rows, 25 ms; issue 18)
    capped = capped_ids.limit(COUNT_CAP).subquery()
    return session.scalar(select(func.count()).select_from(capped)) or 0


def search_families(
    session: Session, actor: Actor, query: str = "", *, limit: int = 200, before_id: int | None = None
) -> list[FamilyRow]:
    """One page of families matching ``query``, newest first; ``before_id`` is the last id already shown.

    One query finds the page; a second fetches the children of those rows by id (no search involved).
    A query of one- or two-letter words only returns nothing: see :func:`search_prompt`."""
    require(actor, Permission.VIEW_FAMILIES)
    terms = search_terms(query)
    if terms.too_short:
        return []
    stmt, order = _matches(session, actor, terms)
    if before_id is not None:  # key-set paging: page 500 costs what page 1 does, and rows never repeat
        stmt = stmt.where(order < before_id)
    # the five columns the list shows, not whole Family objects: building 200 ORM objects (and
    # carrying every search text) was a third of a page's time (issue 18)
    shown = stmt.with_only_columns(
        Family.id, Family.reference, Family.display_name, Family.postcode, Family.status
    )
    if session.get_bind().dialect.name == "postgresql" and terms.indexed and actor.role is not Role.WORKER:
        rows = _newest_matches_pg(session, shown, limit, before_id)
    else:
        rows = list(session.execute(shown.order_by(order.desc()).limit(limit)).all())
    children = _children_by_family(session, [row.id for row in rows])
    return [
        FamilyRow(row.id, row.reference, row.display_name, row.postcode, children.get(row.id, ""), row.status)
        for row in rows
    ]


RECENT_WINDOW = 10000  # newest families a PostgreSQL page first looks through, newest first
COMMON_MATCHES = 2000  # matches the planner must expect before a page looks through the newest first


def _estimated_rows(session: Session, stmt: Select[Any, Any, Any, Any, Any]) -> float:
    """How many rows PostgreSQL's planner expects ``stmt`` to return: planned, never run (a fraction
    of a millisecond)."""
    compiled = stmt.compile(dialect=session.get_bind().dialect)
    plan: Any = (
        session.connection().exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params).scalar()
    )
    return float(plan[0]["Plan"]["Plan Rows"])


def _newest_matches_pg(
    session: Session, shown: Select[Any, Any, Any, Any, Any], limit: int, before_id: int | None
) -> list[Any]:
    """A page of matches on PostgreSQL, newest first, whichever way the words are common or rare.

    Neither single plan serves both: walking the primary key backwards stops after a page for a common
    word ("ls1" matches a third of the families) but reads the whole table for a rare one the planner
    thinks common (a birth date: 100,000 rows for 40 matches, 33 ms), while the trigram index with a sort
    finds rare words at once but sorts every match of a common one (38,000 rows, 25 ms). So the page
    first looks through the newest :data:`RECENT_WINDOW` ids only (bounded, whatever the plan); only
    when fewer than a page of them match does a second statement take the older matches through the
    trigram index, and by then the words are rare enough that sorting them is cheap (issue 18). Words
    the planner expects to be rare (a birth date, a reference) skip the window: it would find nothing.
    A wrong guess either way costs a bounded walk or a sort of some thousands, never a table scan."""
    if _estimated_rows(session, shown) < COMMON_MATCHES:
        # rare, as the planner reckons from its trigram statistics: the index and a sort of the few
        return list(session.execute(shown.order_by((Family.id + 0).desc()).limit(limit)).all())
    # ids come from one sequence, so the newest families are the top ids (a gap left by a failed insert
    # only narrows the window); reading max(id) is one index probe, where counting back RECENT_WINDOW
    # entries of the primary key took 2 ms
    top = before_id - 1 if before_id is not None else session.scalar(select(func.max(Family.id))) or 0
    floor = top - RECENT_WINDOW
    in_window = shown.where(Family.id > floor)
    rows = list(session.execute(in_window.order_by(Family.id.desc()).limit(limit)).all())
    if floor <= 0 or len(rows) == limit:
        return rows
    # "id + 0": the older matches through the trigram index, never a backward walk of the table
    older = shown.where(Family.id <= floor).order_by((Family.id + 0).desc()).limit(limit - len(rows))
    return rows + list(session.execute(older).all())


NO_FAMILIES_ALLOCATED = "no families are allocated to you; a manager allocates families"


def empty_list_hint(session: Session, actor: Actor) -> str | None:
    """Why a family worker's list is empty when it is because nothing is allocated to them yet (a
    worker sees only their own families), so "0 families" is not taken for a broken search; None for
    everyone else and for a worker who holds a family."""
    if actor.role is not Role.WORKER:
        return None
    held = session.scalar(select(Family.id).where(Family.worker_id == actor.id).limit(1))
    return NO_FAMILIES_ALLOCATED if held is None else None


def _children_by_family(session: Session, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    out: dict[int, list[str]] = {}
    # on PostgreSQL one array parameter rather than 200 (binding each was half this query's time)
    if session.get_bind().dialect.name == "postgresql":
        of_page = Person.family_id == any_(bindparam("page_ids", ids, type_=ARRAY(Integer)))
    else:
        of_page = Person.family_id.in_(ids)
    stmt = (
        select(Person.family_id, Person.given_name, Person.birth_date, Person.expected_delivery)
        .where(of_page, Person.kind == "child")
        .order_by(Person.id)
    )
    for family_id, given, born, due in session.execute(stmt):
        out.setdefault(family_id, []).append(child_label(given, born, due))
    return {k: ", ".join(v) for k, v in out.items()}


UNBORN_BABY = "Unborn baby"
"""What a list calls an unborn baby who has no name yet (the referral form asks for none)."""


def _day(day: date) -> str:
    # formatted by hand: strftime for 200 rows was a visible share of a page's time
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def child_label(given: str, born: date | None, due: date | None) -> str:
    """A child as the family list shows them: "Ava (09/04/2016)", "Baby (due 15/01/2027)", and an
    unborn baby with no name yet "Unborn baby (due 15/01/2027)" (never a blank before the bracket)."""
    if born is not None:
        return f"{given} ({_day(born)})" if given else _day(born)
    name = given or UNBORN_BABY
    return f"{name} (due {_day(due)})" if due is not None else f"{name} (unborn)"


def person_label(kind: str, given: str, family: str, born: date | None, due: date | None) -> str:
    """A person as the casefile, timeline and person pickers name them: "Ava Smith", and an unborn
    baby with no name yet "Unborn baby (due 15/01/2027)" as the family list says, not a bare surname."""
    if kind == "child" and not given.strip() and born is None:
        return child_label("", None, due)
    return f"{given} {family}".strip()


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


# -- what is searched -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchablePerson:
    """The parts of a person that a search finds them by."""

    given_name: str
    family_name: str
    also_known_as: str
    birth_date: date | None
    expected_delivery: date | None

    @classmethod
    def of(cls, person: Person) -> SearchablePerson:
        return cls(
            person.given_name,
            person.family_name,
            also_known_as(person.data),
            person.birth_date,
            person.expected_delivery,
        )


def also_known_as(data: Mapping[str, Any] | None) -> str:
    """The other name a child or carer uses, as the referral recorded it (kept in the person's data)."""
    value = (data or {}).get("also_known_as")
    return value if isinstance(value, str) else ""


def _date_forms(day: date | None) -> Iterable[str]:
    """A date as people type it: 2016-04-09, 09/04/2016 and 9/4/2016 (each folded to spaced digits)."""
    if day is None:
        return ()
    return (day.isoformat(), day.strftime("%d/%m/%Y"), f"{day.day}/{day.month}/{day.year}")


def _name_forms(name: str) -> Iterable[str]:
    """A name folded, and run together when it has several parts ("Smith-Jones" is also "smithjones")."""
    folded = fold(name)
    return (folded, folded.replace(" ", "")) if " " in folded else (folded,)


def compose_search_text(reference: str, postcode: str, people: Iterable[SearchablePerson]) -> str:
    """The folded text a family is found by (also used by migration 0004 to refold stored families)."""
    parts = [reference, reference.replace("-", ""), postcode, postcode_key(postcode)]
    for person in people:
        for name in (person.given_name, person.family_name, person.also_known_as):
            parts += _name_forms(name)
        parts += [*_date_forms(person.birth_date), *_date_forms(person.expected_delivery)]
    return " ".join(w for w in (fold(p) for p in parts) if w)


def build_search_text(family: Family, people: Iterable[Person]) -> str:
    return compose_search_text(family.reference, family.postcode, (SearchablePerson.of(p) for p in people))


def display_name(people: Iterable[Person]) -> str:
    """ "Smith (Ava, Leo)": the children's family name(s) and first names, as staff say it."""
    people = list(people)
    children = [p for p in people if p.kind == "child"] or people
    surnames = list(dict.fromkeys(p.family_name for p in children if p.family_name))
    # an unborn baby with no name yet is still one of the children: "Smith (Ava, unborn baby)"
    unborn = [p for p in children if p.kind == "child" and not p.given_name and p.birth_date is None]
    given = [p.given_name or UNBORN_BABY.lower() for p in children if p.given_name or p in unborn]
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


@cache
def address_form() -> FormDefinition:
    """The address correction checked by the referral's own field rules: its postcode field as declared
    there (format and length), and an address as long as the referral's address lines joined."""
    referral = get_form("referral")
    lines = [referral.field(name) for name in ("address_line1", "address_line2", "town")]
    postcode = referral.field("postcode")
    longest = sum(getattr(f, "max_length", 200) + 2 for f in [*lines, postcode])
    return FormDefinition(
        id="family-address",
        title="Family address",
        version=1,
        sections=(
            Section(
                "Family address", (LongText(name="address", label="Address", max_length=longest), postcode)
            ),
        ),
    )


def update_address(
    session: Session, actor: Actor, family_id: int, address: str, postcode: str, *, version: int
) -> Family:
    """Correct a family's address; ``version`` is the one the user saw (optimistic locking).

    The values pass the same field rules as on the referral, so an edit cannot store what keying the
    referral would have refused (a postcode that is not one, a value too long for its column)."""
    require(actor, Permission.CREATE_REFERRAL)
    result = validate(address_form(), {"address": address, "postcode": postcode})
    if not result.ok:
        raise ValidationFailed(result)
    clean_address = result.values.get("address")
    clean_postcode = result.values.get("postcode")
    family = get_family(session, actor, family_id)
    expect_version(family, version)
    people = list(family.people)  # load before changing anything, so autoflush cannot save halfway
    before = audit.snapshot(family)
    family.address = clean_address.strip() if isinstance(clean_address, str) else ""
    family.postcode = tidy_postcode(clean_postcode) if isinstance(clean_postcode, str) else ""
    family.search_text = build_search_text(family, people)
    flush_or_conflict(session, family)
    audit.record(session, actor, "update", "family", family.id, before=before, after=audit.snapshot(family))
    return family


def _user_role(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    return user.role
