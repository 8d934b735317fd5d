"""The family list scrolled to the bottom: memory before and after, and the longest the window froze.

Each size runs in a fresh process (so one run's memory does not colour the next) over a SQLite file
seeded in bulk (``benchmarks/seed.py``) by a process before it: the real
:class:`ehdesk.gui.family_list.FamilyListPage` over the real backend as an admin, shown offscreen. A
driver timer scrolls the table to its bottom once per turn of the event loop until the lazy model has
nothing more to fetch, so every page load happens as a person dragging the scroll bar would cause
it. A 1 ms heartbeat timer records the longest gap between
its ticks: the longest time the event loop was blocked, during which the window could not repaint or
take input. Memory is the resident set size (``VmRSS``) after the first page is painted and after the
bottom is reached. Issue 18's goal: memory flat in the number of families, and the window never blocks
(taken here as no gap over 100 ms, the point at which a person notices a stall).

Run on its own with ``.venv/bin/python benchmarks/bench_scroll.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "benchmarks"), str(ROOT)]
import summary  # noqa: E402

SIZES = (1_000, 100_000)
BLOCK_GOAL_MS = 100.0


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _child(count: int, folder: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QModelIndex, QTimer
    from PySide6.QtWidgets import QApplication
    from seed import timed_seed

    from ehdesk.domain import Role
    from ehdesk.gui.backend import Backend
    from ehdesk.gui.family_list import FamilyListPage
    from ehdesk.policy.pack import default_pack
    from ehdesk.services.actor import Actor
    from ehdesk.storage.database import Database

    db = Database(f"sqlite:///{Path(folder) / 'scroll.sqlite3'}")
    if os.environ.get("BENCH_SCROLL_SEED"):  # a process of its own: seeding's memory is not the list's
        print(json.dumps({"seeded_s": timed_seed(db, count)}), flush=True)
        return
    app = QApplication([])
    admin = Actor(id=None, username="bench", full_name="Benchmark", role=Role.ADMIN)
    page = FamilyListPage(Backend(db, default_pack(), actor=admin))
    page.resize(1000, 700)
    page.show()
    page.run_search()  # the first page, as the list shows it after log-in
    for _ in range(20):
        app.processEvents()
    before = _rss_mib()

    longest = 0.0
    clock = QElapsedTimer()
    heartbeat, driver = QTimer(), QTimer()
    heartbeat.setInterval(1)
    started = time.perf_counter()

    def beat() -> None:
        nonlocal longest
        if clock.isValid():
            longest = max(longest, clock.nsecsElapsed() / 1e6)
        clock.restart()

    def scroll() -> None:
        page.table.scrollToBottom()
        if not page.model.canFetchMore(QModelIndex()):
            driver.stop()
            QTimer.singleShot(50, app.quit)  # let any page still arriving land and paint

    heartbeat.timeout.connect(beat)
    driver.timeout.connect(scroll)
    heartbeat.start()
    driver.start(0)
    app.exec()
    after = _rss_mib()
    print(
        json.dumps(
            {
                "families": count,
                "rows": page.model.rowCount(),
                "in_memory": page.model.rows_in_memory,
                "before_mib": before,
                "after_mib": after,
                "longest_block_ms": longest,
                "scroll_s": time.perf_counter() - started,
            }
        ),
        flush=True,
    )
    os._exit(0)  # tear-down is not part of the figure


def measure(count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        argv = [sys.executable, __file__, "--child", str(count), folder]
        subprocess.run(argv, env={**os.environ, "BENCH_SCROLL_SEED": "1"}, capture_output=True, check=True)
        done = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"scrolling {count} families failed: {done.stderr.strip()[-400:]}")
    result: dict[str, float] = json.loads(lines[-1])
    return result


def report() -> str:
    results = [measure(count) for count in SIZES]
    worst = max(r["longest_block_ms"] for r in results)
    growth = results[-1]["after_mib"] - results[0]["after_mib"]
    summary.add(
        "scroll",
        ", ".join(f"{r['after_mib']:.0f} MiB at {r['families']:,.0f}" for r in results)
        + f"; longest block {worst:.0f} ms",
        "",
        "flat in the number of families; never blocks",
    )
    lines = [
        "## Family list scrolled to the bottom (SQLite file, offscreen)",
        "",
        "Fresh process per size; `benchmarks/bench_scroll.py`. Resident memory once the first page is",
        "painted and once the bottom is reached; the longest gap of a 1 ms heartbeat timer while the",
        "table was scrolled to its bottom page by page.",
        "",
        "| families | rows in the model | rows held | RSS first page (MiB) | RSS at the bottom (MiB) "
        "| scrolling took (s) | longest block (ms) |",
        "|---|---|---|---|---|---|---|",
        *[
            f"| {r['families']:,.0f} | {r['rows']:,.0f} | {r['in_memory']:,.0f} | {r['before_mib']:.0f} "
            f"| {r['after_mib']:.0f} | {r['scroll_s']:.1f} | {r['longest_block_ms']:.0f} |"
            for r in results
        ],
        "",
        f"Memory at the bottom grows by {growth:.0f} MiB from {SIZES[0]:,} to {SIZES[-1]:,} families; "
        f"longest block {worst:.0f} ms (goal: none over {BLOCK_GOAL_MS:.0f} ms): "
        f"{'met' if worst <= BLOCK_GOAL_MS else 'NOT met'}.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(int(sys.argv[2]), sys.argv[3])
    else:
        print(report())
