"""``ehdesk demo`` speed: demo families stored per second through the referral service, every audit
event still chained (the trail is verified after each run), on a SQLite file and on PostgreSQL.

Run on its own with ``.venv/bin/python benchmarks/bench_demo.py``; ``make bench`` calls :func:`report`.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from ehdesk.demo import add_demo_families
from ehdesk.services import audit
from ehdesk.storage.database import Database
from ehdesk.storage.models import AuditEvent

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
import summary  # noqa: E402

FAMILIES = 2_000
GOAL = 500.0


def _measure(db: Database) -> tuple[float, int, str]:
    """Families per second, the number of audit events written, and the verifier's verdict."""
    db.upgrade()
    start = time.perf_counter()
    stored = add_demo_families(db.session, FAMILIES, seed=18)
    rate = stored / (time.perf_counter() - start)
    with db.read() as session:
        events = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
        verdict = audit.verify(session)
    db.dispose()
    return rate, events, verdict.line() if verdict.ok else f"BROKEN: {verdict.line()}"


def report() -> str:
    sys.path.insert(0, str(ROOT))
    from tests.pgserver import PostgresServer  # the same throwaway server the test run starts

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        rows.append(("SQLite file", *_measure(Database(f"sqlite:///{Path(folder) / 'demo.sqlite3'}"))))
    server = PostgresServer.start()
    try:
        rows.append((f"PostgreSQL {server.version()}", *_measure(Database(server.empty_database()))))
    finally:
        server.stop()
    for name, rate, _events, verdict in rows:
        chained = "chained" if not verdict.startswith("BROKEN") else "BROKEN chain"
        summary.add(
            "demo", f"{name.split(' (')[0]}: {rate:.0f}/s, {chained}", "", "≥ 500/s, every event chained"
        )
    return "\n".join(
        [
            "## Demo families stored",
            "",
            f"{FAMILIES:,} families through `ehdesk.demo.add_demo_families` (the referral service:",
            "validated, audited, 100 per transaction); the audit trail is verified afterwards.",
            "`benchmarks/bench_demo.py`.",
            "",
            "| database | families/s | audit events | audit trail | goal ≥ 500/s |",
            "|---|---|---|---|---|",
            *[
                f"| {name} | {rate:.0f} | {events:,} | {verdict} | {'met' if rate >= GOAL else 'NOT met'} |"
                for name, rate, events, verdict in rows
            ],
            "",
        ]
    )


if __name__ == "__main__":
    print(report())
