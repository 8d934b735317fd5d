"""Seed 100,000 families into a SQLite file and measure what the family list does while a user types.

Measures: the first page of results (what the table shows), the match count (the status bar), and a
later page (scrolling far down), for typical queries. Writes the figures to docs/benchmarks.md.
Run with `make bench` (or `.venv/bin/python benchmarks/bench_search.py`).
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert

from ehdesk.domain import Role
from ehdesk.services import families
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from ehdesk.storage.models import Family, Person

FAMILIES = 100_000
READER = Actor(id=None, username="bench", full_name="Benchmark", role=Role.ADMIN)
ROOT = Path(__file__).resolve().parents[1]
GIVEN = ["Ava", "Leo", "Mia", "Noah", "Isla", "Oscar", "Amelia", "Zoë", "Yusuf", "Maya", "Finley", "Aisha"]
SURNAMES = ["Smith", "Jones", "Khan", "Patel", "Brown", "Wilson", "Taylor", "Ó Briain", "Nowak", "Ahmed"]


def seed(db: Database) -> None:
    rng = random.Random(7)
    with db.session() as session:
        family_rows, people_rows = [], []
        for n in range(1, FAMILIES + 1):
            surname = rng.choice(SURNAMES) + ("" if n % 3 else f"-{rng.choice(SURNAMES)}")
            kids = [
                (rng.choice(GIVEN), date(2008, 1, 1) + timedelta(days=rng.randrange(6000))) for _ in range(2)
            ]
            district, sector = rng.randrange(1, 30), rng.randrange(1, 9)
            postcode = f"LS{district} {sector}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRS')}"
            text = " ".join(
                [f"eh-{n:06d}", postcode, postcode.replace(" ", "")]
                + [f"{g} {surname} {b.isoformat()} {b:%d/%m/%Y}" for g, b in kids]
            ).lower()
            family_rows.append(
                {
                    "id": n,
                    "reference": f"EH-{n:06d}",
                    "display_name": f"{surname} ({', '.join(g for g, _ in kids)})",
                    "postcode": postcode,
                    "search_text": text,
                }
            )
            people_rows += [
                {"family_id": n, "kind": "child", "given_name": g, "family_name": surname, "birth_date": b}
                for g, b in kids
            ]
        session.execute(insert(Family), family_rows)
        session.execute(insert(Person), people_rows)


def measure(db: Database, query: str, before_id: int | None, repeats: int = 15) -> tuple[float, float]:
    page, count = [], []
    for _ in range(repeats):
        with db.session() as session:
            start = time.perf_counter()
            families.search_families(session, READER, query, limit=200, before_id=before_id)
            page.append(time.perf_counter() - start)
            start = time.perf_counter()
            families.count_families(session, READER, query)
            count.append(time.perf_counter() - start)
    return statistics.median(page) * 1000, statistics.median(count) * 1000


QUERIES = [
    ("no filter, first page", "", None),
    ("no filter, page at row 50,000", "", FAMILIES - 50_000 + 1),
    ("surname 'patel'", "patel", None),
    ("two words 'ava khan'", "ava khan", None),
    ("birth date '09/04/2016'", "09/04/2016", None),
    ("postcode 'ls12 3'", "ls12 3", None),
    ("reference 'eh-054321'", "eh-054321", None),
    ("rare three letters 'zoë'", "zoë", None),
]


def run_backend(db: Database) -> tuple[float, list[tuple[str, float, float]]]:
    db.upgrade()
    start = time.perf_counter()
    seed(db)
    with db.engine.connect() as connection:  # fresh statistics, as autovacuum / a nightly job keeps them
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    seeded = time.perf_counter() - start
    rows = [(label, *measure(db, query, before_id)) for label, query, before_id in QUERIES]
    db.dispose()
    return seeded, rows


def section(title: str, seeded: float, rows: list[tuple[str, float, float]]) -> list[str]:
    return [
        f"## Family search at {FAMILIES:,} families ({title})",
        "",
        f"Seeding took {seeded:.1f} s. Median of 15 runs; a page is 200 rows (what the lazy table model",
        "fetches at a time); the count is what the status bar shows.",
        "",
        "| query | first page (ms) | match count (ms) |",
        "|---|---|---|",
        *[f"| {label} | {page:.1f} | {count:.1f} |" for label, page, count in rows],
        "",
    ]


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from tests.pgserver import PostgresServer  # the same throwaway server the test run starts

    report = [
        "# Benchmarks",
        "",
        "Figures from `benchmarks/` (`make bench`), written by the scripts themselves;",
        "tests never time anything.",
        f"Machine: {platform.machine()} {sys.platform}, {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}.",
        "",
    ]
    with tempfile.TemporaryDirectory() as folder:
        seeded, rows = run_backend(Database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}"))
        report += section("SQLite file, FTS5 trigram index", seeded, rows)
    server = PostgresServer.start()
    try:
        seeded, rows = run_backend(Database(server.empty_database()))
        report += section(f"PostgreSQL {server.version()}, pg_trgm GIN index", seeded, rows)
    finally:
        server.stop()
    text = "\n".join(report)
    (ROOT / "docs" / "benchmarks.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
