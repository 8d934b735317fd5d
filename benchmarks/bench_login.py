"""Failed log-ins take about the same time whether or not the user name exists (issue 14).

An unknown name is checked against a dummy argon2 hash made with the same parameters as real ones, so
the time an answer takes should not tell a guesser which names exist. Measured on a SQLite file through
:func:`ehdesk.services.users.login`, each kind of attempt interleaved with the others, in its own unit
of work as the GUI makes it. Between runs the known user's failure count is reset (untimed) so the
lock-out never starts.

Run on its own with ``.venv/bin/python benchmarks/bench_login.py``; ``make bench`` calls :func:`report`.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ehdesk.domain import Role
from ehdesk.errors import EhdeskError
from ehdesk.services import users
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from ehdesk.storage.models import User

RUNS = 40
PASSWORD = "bench password 1"


def _attempt(db: Database, name: str, password: str) -> float:
    start = time.perf_counter()
    try:
        with db.session() as session:
            users.login(session, name, password)
    except EhdeskError:
        pass
    return time.perf_counter() - start


def report() -> str:
    with tempfile.TemporaryDirectory() as folder:
        os.environ["EHDESK_DATA_DIR"] = folder
        db = Database(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
        db.upgrade()
        with db.session() as session:
            admin = Actor.from_user(users.create_first_admin(session, "admin", "Admin", PASSWORD))
            users.create_user(session, admin, "known", "Known User", Role.WORKER, PASSWORD)
            gone = users.create_user(session, admin, "gone", "Gone User", Role.WORKER, PASSWORD)
            users.set_active(session, admin, gone.id, False, version=gone.version)
        kinds: dict[str, Callable[[], float]] = {
            "unknown user name": lambda: _attempt(db, "nobody-by-this-name", "wrong guess 123"),
            "known user, wrong password": lambda: _attempt(db, "known", "wrong guess 123"),
            "deactivated user": lambda: _attempt(db, "gone", PASSWORD),
            "known user, right password": lambda: _attempt(db, "known", PASSWORD),
        }
        times: dict[str, list[float]] = {kind: [] for kind in kinds}
        for kind in kinds:
            kinds[kind]()  # warm-up: the dummy hash is made on first use
        for _ in range(RUNS):
            for kind, run in kinds.items():
                times[kind].append(run())
                with db.session() as session:
                    session.execute(update(User).values(failed_logins=0, locked_until=None))
        db.dispose()
    lines = [
        "## Log-in time by outcome (SQLite file, argon2id defaults)",
        "",
        f"Median and 90th percentile of {RUNS} attempts each, interleaved; each attempt is one unit of work.",
        "",
        "| attempt | median (ms) | p90 (ms) |",
        "|---|---|---|",
    ]
    for kind, samples in times.items():
        ordered = sorted(samples)
        p90 = ordered[int(len(ordered) * 0.9) - 1]
        lines.append(f"| {kind} | {statistics.median(samples) * 1000:.1f} | {p90 * 1000:.1f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(report())
