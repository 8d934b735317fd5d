"""Family search as the GUI runs it, at 100,000 families, on a SQLite file and on PostgreSQL.

One keystroke (after the debounce) costs: the first page of 200 rows, and, only when that page is full,
the capped count for the status line (a page that is not full is its own count). That pair is timed for
~200 realistic queries (names as typed letter by letter, accented and unaccented, double-barrelled,
short-word pairs such as "de souza", dates, postcodes, references, an also-known-as), once as an admin
(every family) and once as a family worker (their ~500 allocated families). The baseline, in the same
run on the same database, is a bare select of 200 families by primary key. Prints p50/p95/p99 and the
ratio to the baseline.

Seeding is bulk (one INSERT per table per batch of 5,000) with the same search text the services store.
Run on its own with ``.venv/bin/python benchmarks/bench_search.py [--families N]``; ``make bench`` runs
it with the others and writes docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from sqlalchemy import insert, select

from ehdesk.domain import Role
from ehdesk.services import families
from ehdesk.services.actor import Actor
from ehdesk.services.families import SearchablePerson, compose_search_text, count_text
from ehdesk.storage.database import Database
from ehdesk.storage.models import Family, Person, User

ROOT = Path(__file__).resolve().parents[1]
FAMILIES = 100_000
WORKERS = 20
BATCH = 5_000
PAGE = 200
ADMIN = Actor(id=None, username="bench", full_name="Benchmark", role=Role.ADMIN)
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
ARABIC = [("يوسف", "Yusuf"), ("فاطمة", "Fatima"), ("محمد", "Mohammed"), ("نور", "Noor")]


def _surname(rng: random.Random) -> str:
    name = rng.choice(SURNAMES)
    return name if rng.random() > 0.2 else f"{name}-{rng.choice(SURNAMES[:12])}"


def seed(db: Database, count: int) -> None:
    """Users, families and people in bulk: one INSERT per table per batch."""
    rng = random.Random(7)
    with db.session() as session:
        session.execute(
            insert(User),
            [
                {
                    "id": n,
                    "username": f"worker{n}",
                    "full_name": f"Worker {n}",
                    "role": "worker",
                    "password_hash": "x",
                }
                for n in range(1, WORKERS + 1)
            ],
        )
    for start in range(1, count + 1, BATCH):
        family_rows, people_rows = [], []
        for n in range(start, min(start + BATCH, count + 1)):
            surname = _surname(rng)
            kids = []
            for _ in range(rng.choice((1, 2, 2, 3))):
                given, aka = rng.choice(GIVEN), ""
                if rng.random() < 0.03:
                    given, aka = rng.choice(ARABIC)
                kids.append((given, aka, date(2008, 1, 1) + timedelta(days=rng.randrange(6000))))
            carer = (rng.choice(GIVEN), surname)
            inward = f"{rng.randrange(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRS')}"
            postcode = f"LS{rng.randrange(1, 30)} {inward}"
            reference = f"EH-{n:06d}"
            searchable = [SearchablePerson(g, surname, a, b, None) for g, a, b in kids]
            searchable.append(SearchablePerson(carer[0], carer[1], "", None, None))
            family_rows.append(
                {
                    "id": n,
                    "reference": reference,
                    "display_name": f"{surname} ({', '.join(g for g, _, _ in kids)})",
                    "postcode": postcode,
                    "status": "allocated",
                    "worker_id": 1 + (n // 10) % WORKERS if n % 10 == 0 else None,
                    "search_text": compose_search_text(reference, postcode, searchable),
                }
            )
            people_rows += [
                {
                    "family_id": n,
                    "kind": "child",
                    "given_name": g,
                    "family_name": surname,
                    "birth_date": b,
                    "data": {"also_known_as": a} if a else {},
                }
                for g, a, b in kids
            ]
            people_rows.append(
                {"family_id": n, "kind": "carer", "given_name": carer[0], "family_name": surname}
            )
        with db.session() as session:
            session.execute(insert(Family), family_rows)
            session.execute(insert(Person), people_rows)


def typed(word: str) -> Iterator[str]:
    """What the debounced search sees as someone types a word: a query every other letter or so."""
    for end in range(3, len(word) + 1, 2):
        yield word[:end]
    yield word


def queries(rng: random.Random) -> list[str]:
    out: list[str] = []
    for surname in ("patel", "hughes", "nowak", "thompson", "oneill", "nguyen", "robinson", "begum"):
        out += typed(surname)
    for given in ("amelia", "sian", "chloe", "eoin", "zoe", "freya", "mohammed", "renee"):
        out += typed(given)
    out += ["ava smith", "leo khan", "isla jones", "mia patel", "zoe evans", "smith jones", "smith-jones"]
    out += ["de souza", "o briain", "ó briain", "jo smith", "al khan", "ty wood", "kai hall", "jo ahmed"]
    out += ["يوسف", "محمد", "yusuf", "noor"]
    for _ in range(30):
        day = date(2008, 1, 1) + timedelta(days=rng.randrange(6000))
        out.append(
            rng.choice((day.strftime("%d/%m/%Y"), day.isoformat(), f"{day.day}.{day.month}.{day.year}"))
        )
    for _ in range(25):
        district, sector = rng.randrange(1, 30), rng.randrange(1, 9)
        out.append(rng.choice((f"ls{district} {sector}", f"LS{district} {sector}BL", f"ls{district}")))
    for _ in range(25):
        out.append(
            rng.choice((f"eh-{rng.randrange(1, FAMILIES):06d}", f"EH{rng.randrange(1, FAMILIES):06d}"))
        )
    out += ["a", "j", "al", "zz"]  # a lone short word: the prompt, no query
    return out


def keystroke(db: Database, actor: Actor, query: str) -> None:
    """The GUI's work for one search: the page, then the count only if the page is full."""
    with db.read() as session:
        rows = families.search_families(session, actor, query, limit=PAGE)
        if len(rows) == PAGE:
            count_text(families.count_families(session, actor, query))


def bare_select(db: Database) -> None:
    with db.read() as session:
        list(session.scalars(select(Family).order_by(Family.id.desc()).limit(PAGE)))


def timings(run: Callable[[], None], repeats: int = 1) -> list[float]:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        out.append((time.perf_counter() - start) * 1000)
    return out


def percentiles(ms: list[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(ms, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def measure(db: Database, count: int) -> tuple[float, list[tuple[str, list[float]]], list[tuple[str, float]]]:
    db.upgrade()
    start = time.perf_counter()
    seed(db, count)
    with db.engine.connect() as connection:  # fresh statistics, as autovacuum / a nightly job keeps them
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    seeded = time.perf_counter() - start
    rng = random.Random(11)
    qs = queries(rng)
    worker = Actor(id=3, username="worker3", full_name="Worker 3", role=Role.WORKER)
    for q in qs[:20]:  # warm the caches the way a working day would
        keystroke(db, ADMIN, q)
    baseline = [t for _ in qs for t in timings(lambda: bare_select(db))]
    admin = [t for q in qs for t in timings(lambda q=q: keystroke(db, ADMIN, q))]
    mine = [t for q in qs for t in timings(lambda q=q: keystroke(db, worker, q))]
    slowest = sorted(
        ((max(timings(lambda q=q: keystroke(db, ADMIN, q), 3)), q) for q in set(qs)), reverse=True
    )
    db.dispose()
    rows = [("bare select of 200 families (baseline)", baseline), ("search as an admin", admin)]
    rows.append(("search as a family worker", mine))
    return seeded, rows, [(q, ms) for ms, q in slowest[:5]]


def section(
    title: str, count: int, seeded: float, rows: list[tuple[str, list[float]]], slow: list[tuple[str, float]]
) -> str:
    base = percentiles(rows[0][1])[1]
    lines = [
        f"## Family search at {count:,} families ({title})",
        "",
        f"Seeded in bulk in {seeded:.1f} s. {len(rows[1][1])} queries as the GUI runs them per keystroke "
        "(page of 200, then the capped count only if the page is full; one or two letters alone show a "
        "prompt and send nothing).",
        "",
        "| what | p50 (ms) | p95 (ms) | p99 (ms) | p95 / baseline p95 |",
        "|---|---|---|---|---|",
    ]
    for label, ms in rows:
        p50, p95, p99 = percentiles(ms)
        lines.append(f"| {label} | {p50:.2f} | {p95:.2f} | {p99:.2f} | {p95 / base:.1f}× |")
    lines += ["", "Slowest queries (worst of 3): " + ", ".join(f"“{q}” {ms:.1f} ms" for q, ms in slow), ""]
    return "\n".join(lines)


def report(count: int = FAMILIES) -> str:
    sys.path.insert(0, str(ROOT))
    from tests.pgserver import PostgresServer  # the same throwaway server the test run starts

    out = []
    with TemporaryDirectory() as folder:
        seeded, rows, slow = measure(Database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}"), count)
        out.append(section("SQLite file, FTS5 trigram table", count, seeded, rows, slow))
        print(out[-1], file=sys.stderr)
    server = PostgresServer.start()
    try:
        seeded, rows, slow = measure(Database(server.empty_database()), count)
        out.append(section(f"PostgreSQL {server.version()}, pg_trgm GIN index", count, seeded, rows, slow))
    finally:
        server.stop()
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--families", type=int, default=FAMILIES)
    print(report(parser.parse_args().families))
    return 0


if __name__ == "__main__":
    sys.exit(main())
