"""Bulk seeding for the benchmarks: 100,000 realistic families in seconds, on SQLite and PostgreSQL.

The benchmarks measure reading (search, the duplicate check, the first family list after login), so
their families are written straight into the tables rather than through the referral service (which
``benchmarks/bench_demo.py`` measures on its own): one multi-row write per table per batch — an
``executemany`` on SQLite with the durability pragmas relaxed for the load, ``COPY … FROM STDIN`` via
psycopg on PostgreSQL. What is stored is what the services would store: the same folded search text
(:func:`ehdesk.services.families.compose_search_text`), the same duplicate-check keys
(:mod:`ehdesk.storage.lookup_keys`) and display name, and every column's own default.

Folding names is the costliest part of making the rows, and a benchmark's names repeat, so
:func:`seed` folds through a cache while it runs (``fold`` is a pure function: same text, same result).
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import Table, func, select, text

from ehdesk.services import families as family_service
from ehdesk.services.families import SearchablePerson, compose_search_text, display_name
from ehdesk.storage import lookup_keys
from ehdesk.storage.database import Database
from ehdesk.storage.models import Family, Person, User
from ehdesk.text import fold

WORKERS = 20
BATCH = 5_000

GIVEN = (
    *("Ava", "Leo", "Mia", "Noah", "Isla", "Oscar", "Amelia", "Zoë", "Yusuf", "Maya", "Finley", "Aisha"),
    *("Siân", "Chloé", "Eóin", "Thị Lan", "Renée", "Jo", "Al", "Ty", "Kai", "Liam", "Olivia", "Harry"),
    *("Freya", "Mohammed", "Fatima", "Ruby", "Jack", "Grace", "Amir", "Noor", "Oliver", "Evie"),
)
SURNAMES = (
    *("Smith", "Jones", "Khan", "Patel", "Brown", "Wilson", "Taylor", "Nowak", "Ahmed", "O'Neill"),
    *("Nguyễn", "Evans", "de Souza", "Ó Briain", "Hughes", "Clarke", "Begum", "Hussain", "Walker"),
    *("Wright", "Robinson", "Thompson", "White", "Edwards", "Green", "Hall", "Wood", "Lewis"),
)
ARABIC = (("يوسف", "Yusuf"), ("فاطمة", "Fatima"), ("محمد", "Mohammed"), ("نور", "Noor"))


@dataclass(frozen=True)
class SeedPerson:
    """A child or carer as the tables hold them (attribute names as on :class:`Person`)."""

    kind: str
    given_name: str
    family_name: str
    birth_date: date | None = None
    also_known_as: str = ""
    nhs_number: str = ""


@dataclass(frozen=True)
class SeedFamily:
    postcode: str
    people: Sequence[SeedPerson]
    worker_id: int | None = None
    status: str = "referred"
    address: str = ""


@dataclass
class _Tables:
    families: list[dict[str, Any]] = field(default_factory=list)
    people: list[dict[str, Any]] = field(default_factory=list)


# -- realistic families -----------------------------------------------------------------------------------
def realistic_families(count: int, seed: int = 7, workers: int = WORKERS) -> Iterator[SeedFamily]:
    """Families of one to three children and a carer: British, Irish, Polish, Vietnamese, South Asian and
    Arabic names (a few written in Arabic with a Latin "also known as"), one in five double-barrelled, a
    tenth allocated to one of ``workers`` family workers."""
    rng = random.Random(seed)
    for n in range(1, count + 1):
        surname = rng.choice(SURNAMES)
        if rng.random() < 0.2:
            surname = f"{surname}-{rng.choice(SURNAMES[:12])}"
        people = []
        for _ in range(rng.choice((1, 2, 2, 3))):
            given, aka = rng.choice(GIVEN), ""
            if rng.random() < 0.03:
                given, aka = rng.choice(ARABIC)
            born = date(2008, 1, 1) + timedelta(days=rng.randrange(6000))
            people.append(SeedPerson("child", given, surname, born, aka))
        people.append(SeedPerson("carer", rng.choice(GIVEN), surname))
        inward = f"{rng.randrange(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRS')}"
        allocated = n % 10 == 0 and workers > 0
        yield SeedFamily(
            postcode=f"LS{rng.randrange(1, 30)} {inward}",
            people=people,
            worker_id=1 + (n // 10) % workers if allocated else None,
            status="allocated" if allocated else "referred",
        )


# -- rows -----------------------------------------------------------------------------------------------
def _person_text(person: SeedPerson) -> str:
    """One person's part of the search text: the service's own composition with no reference or
    postcode, names and birth date composed apart (each repeats often, so each is cached); a family's
    text is its head and its people's parts joined, which :func:`seed` checks against the service."""
    names = _names_text(person.given_name, person.family_name, person.also_known_as)
    born = _date_text(person.birth_date)
    return f"{names} {born}" if names and born else names or born


@functools.lru_cache(maxsize=1 << 16)
def _names_text(given: str, family: str, aka: str) -> str:
    return compose_search_text("", "", [SearchablePerson(given, family, aka, None, None)])


@functools.lru_cache(maxsize=1 << 16)
def _date_text(born: date | None) -> str:
    return compose_search_text("", "", [SearchablePerson("", "", "", born, None)])


def family_rows(family_id: int, family: SeedFamily) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The ``families`` row and the ``people`` rows the services would store for ``family``."""
    reference = f"EH-{family_id:06d}"
    words = [compose_search_text(reference, family.postcode, ()), *map(_person_text, family.people)]
    row = {
        "id": family_id,
        "reference": reference,
        "display_name": display_name(cast("list[Person]", family.people)),
        "postcode": family.postcode,
        "postcode_key": lookup_keys.postcode_key(family.postcode),
        "address": family.address,
        "status": family.status,
        "worker_id": family.worker_id,
        "search_text": " ".join(w for w in words if w),
    }
    people = [
        {
            "family_id": family_id,
            "kind": p.kind,
            "given_name": p.given_name,
            "family_name": p.family_name,
            "birth_date": p.birth_date,
            "nhs_number": p.nhs_number,
            "data": {"also_known_as": p.also_known_as} if p.also_known_as else {},
            "name_key": lookup_keys.name_key(p.given_name, p.family_name),
            "aka_key": lookup_keys.aka_key(p.also_known_as, p.family_name) if p.also_known_as else "",
        }
        for p in family.people
    ]
    return row, people


def _completed(table: Table, rows: list[dict[str, Any]]) -> tuple[list[str], list[dict[str, Any]]]:
    """Every row with the same columns (a column a row leaves out takes the model's default, worked out
    once per batch, or NULL), so one ``executemany`` / ``COPY`` writes them all; an ``id`` left out of
    the first row is left to the database."""
    names = [c.name for c in table.columns if c.name != "id" or "id" in rows[0]]
    defaults: dict[str, Any] = {}
    for column in table.columns:
        if column.name not in names:
            continue
        default = column.default
        if default is None:
            defaults[column.name] = None
        elif getattr(default, "is_callable", False):
            defaults[column.name] = default.arg(None)  # type: ignore[attr-defined]
        else:
            defaults[column.name] = default.arg  # type: ignore[attr-defined]
    return names, [{**defaults, **row} for row in rows]


# -- writing --------------------------------------------------------------------------------------------
def _write_sqlite(db: Database, tables: list[tuple[Table, list[dict[str, Any]]]]) -> None:
    with db.engine.connect() as connection:
        # a benchmark's load, not a user's save; set before SQLAlchemy's BEGIN IMMEDIATE, as it must be
        driver = connection.connection.driver_connection
        assert driver is not None
        driver.execute("PRAGMA synchronous=OFF")
        for table, rows in tables:
            if rows:
                _, rows = _completed(table, rows)
                connection.execute(table.insert(), rows)  # one executemany
        connection.commit()


def _write_postgresql(db: Database, tables: list[tuple[Table, list[dict[str, Any]]]]) -> None:
    from psycopg.types.json import Jsonb

    raw = db.engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        with driver.cursor() as cursor:
            for table, rows in tables:
                if not rows:
                    continue
                names, rows = _completed(table, rows)
                json_columns = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}
                columns = ", ".join(f'"{name}"' for name in names)
                with cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row([Jsonb(row[n]) if n in json_columns else row[n] for n in names])
        driver.commit()
    finally:
        raw.close()


def write(db: Database, tables: list[tuple[Table, list[dict[str, Any]]]]) -> None:
    """Each table's rows in one bulk write (in the order given, parents first)."""
    if db.dialect == "postgresql":
        _write_postgresql(db, tables)
    else:
        _write_sqlite(db, tables)


def _after_explicit_ids(db: Database, *tables: Table) -> None:
    """PostgreSQL: move each id sequence past the ids written explicitly, so later inserts work."""
    if db.dialect != "postgresql":
        return
    with db.engine.connect() as connection:
        for table in tables:
            top = connection.scalar(select(func.max(table.c.id))) or 0
            connection.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), {max(top, 1)})"
            )
        connection.commit()


def add_workers(db: Database, count: int = WORKERS) -> None:
    """Family workers with ids 1..count (they hold no usable password: nobody logs in as them)."""
    rows = [
        {
            "id": n,
            "username": f"worker{n}",
            "full_name": f"Worker {n}",
            "role": "worker",
            "password_hash": "x",
        }
        for n in range(1, count + 1)
    ]
    write(db, [(cast(Table, User.__table__), rows)])
    _after_explicit_ids(db, cast(Table, User.__table__))


@contextmanager
def _indexes_deferred(db: Database, tables: Sequence[str]) -> Iterator[None]:
    """Drop the secondary indexes (and SQLite's search-index trigger) of ``tables`` for the load and
    build them again afterwards from their own stored definitions: one sorted build per index is much
    quicker than 100,000 single-row updates of each. The schema afterwards is exactly as before."""
    names = ", ".join(f"'{t}'" for t in tables)
    with db.engine.connect() as connection:
        if db.dialect == "postgresql":
            saved = connection.execute(
                text(
                    "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename IN "
                    f"({names}) AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
                    "WHERE c.conindid = (quote_ident(i.schemaname) || '.' "
                    "|| quote_ident(i.indexname))::regclass)"
                )
            ).all()
            drops = [f'DROP INDEX "{name}"' for name, _ in saved]
        else:
            saved = connection.execute(
                text(
                    "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
                    f"AND tbl_name IN ({names}) AND sql IS NOT NULL"
                )
            ).all()
            kinds = dict(
                connection.execute(
                    text(f"SELECT name, type FROM sqlite_master WHERE tbl_name IN ({names})")
                ).all()
            )
            drops = [f'DROP {kinds[name].upper()} "{name}"' for name, _ in saved]
        for statement in drops:
            connection.exec_driver_sql(statement)
        connection.commit()
    try:
        yield
    finally:
        with db.engine.connect() as connection:
            if db.dialect == "postgresql":
                connection.exec_driver_sql("SET maintenance_work_mem = '256MB'")
            else:
                has_search = connection.scalar(
                    text("SELECT 1 FROM sqlite_master WHERE name = 'family_search'")
                )
                if has_search:  # the trigram table, filled in one pass as migration 0002 does
                    connection.exec_driver_sql("INSERT INTO family_search(family_search) VALUES ('rebuild')")
            for _name, definition in saved:
                connection.exec_driver_sql(definition)
            connection.commit()


@contextmanager
def _cached_fold() -> Iterator[None]:
    cached = functools.lru_cache(maxsize=1 << 18)(fold)
    modules = (family_service, lookup_keys)
    saved = [module.fold for module in modules]
    for module in modules:
        module.fold = cached  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for module, original in zip(modules, saved, strict=True):
            module.fold = original  # type: ignore[attr-defined]


def _check_search_text(row: dict[str, Any], family: SeedFamily) -> None:
    """The pieced-together search text is exactly what the service composes for the whole family."""
    whole = compose_search_text(
        row["reference"],
        family.postcode,
        [
            SearchablePerson(p.given_name, p.family_name, p.also_known_as, p.birth_date, None)
            for p in family.people
        ],
    )
    if whole != row["search_text"]:
        raise AssertionError(f"seeded search text differs from the service's: {row['search_text']!r}")


def seed(
    db: Database,
    families: Iterable[SeedFamily] | Iterable[tuple[dict[str, Any], list[dict[str, Any]]]],
    *,
    batch: int = BATCH,
    first_id: int = 1,
) -> int:
    """Store ``families`` (:class:`SeedFamily`, or ready ``(family row, people rows)`` pairs) in bulk,
    ``batch`` families per write; returns how many were stored. Then refreshes the planner statistics,
    as autovacuum or a nightly job would."""
    family_table, people_table = cast(Table, Family.__table__), cast(Table, Person.__table__)
    pending = _Tables()
    stored = 0

    def flush() -> None:
        write(db, [(family_table, pending.families), (people_table, pending.people)])
        pending.families, pending.people = [], []

    with _cached_fold(), _indexes_deferred(db, [family_table.name, people_table.name]):
        for item in families:
            family_id = first_id + stored
            row, people = family_rows(family_id, item) if isinstance(item, SeedFamily) else item
            if isinstance(item, SeedFamily) and stored % batch == 0:
                _check_search_text(row, item)
            pending.families.append(row)
            pending.people += people
            stored += 1
            if len(pending.families) >= batch:
                flush()
        if pending.families:
            flush()
    _after_explicit_ids(db, family_table)
    with db.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    db.engine.dispose()  # no pooled connection keeps the load's pragmas
    return stored


def timed_seed(db: Database, count: int, seed_value: int = 7, workers: int = WORKERS) -> float:
    """Upgrade ``db``, add ``workers`` family workers and ``count`` realistic families (a tenth of them
    allocated, when there are workers); the seconds it took."""
    db.upgrade()
    start = time.perf_counter()
    if workers:
        add_workers(db, workers)
    seed(db, realistic_families(count, seed_value, workers))
    return time.perf_counter() - start
