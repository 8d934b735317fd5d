"""The table of issue 18 at the top of docs/benchmarks.md, filled in by the benchmarks that measure it.

Each benchmark script runs in its own interpreter (``run_all.py``), so a row is handed over as one JSON
line appended to the file ``run_all`` names in ``EHDESK_BENCH_SUMMARY``; run on its own, a script's
:func:`add` does nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

ENV = "EHDESK_BENCH_SUMMARY"

#: The rows of issue 18's table, in its order (a key, and how the row is named).
ROWS = (
    ("login", "process start → login dialog painted"),
    ("main", "process start → main window painted (login automated)"),
    ("after_login", "log-in submitted → main window painted"),
    ("cli", "`ehdesk --version`, `ehdesk rules`"),
    ("search", "search as the GUI runs it (page + count), p95 over ~150 realistic queries"),
    ("duplicates", "duplicate check of one new referral"),
    ("scroll", "memory after scrolling the family list to the bottom"),
    ("demo", "demo families stored"),
)


def add(key: str, now: str, baseline: str, goal: str) -> None:
    """Hand one row (or part of one: several calls with the same key are joined) to ``run_all``."""
    path = os.environ.get(ENV)
    if not path:
        return
    with Path(path).open("a", encoding="utf-8") as out:
        out.write(json.dumps({"key": key, "now": now, "baseline": baseline, "goal": goal}) + "\n")


def table(path: Path) -> str:
    """The markdown table from the rows handed over; a row nobody measured says so."""
    found: dict[str, list[dict[str, str]]] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            found.setdefault(row["key"], []).append(row)
    lines = ["| what | now | baseline in the same run | goal |", "|---|---|---|---|"]
    for key, label in ROWS:
        parts = found.get(key)
        if not parts:
            lines.append(f"| {label} | not measured in this run | | |")
            continue
        now = "; ".join(p["now"] for p in parts)
        baseline = "; ".join(dict.fromkeys(p["baseline"] for p in parts if p["baseline"]))
        goal = "; ".join(dict.fromkeys(p["goal"] for p in parts if p["goal"]))
        lines.append(f"| {label} | {now} | {baseline} | {goal} |")
    return "\n".join(lines)
