"""What the signing benchmarks share: the p95 they report and how a section goes into docs/benchmarks.md.

Not a benchmark itself (``run_all`` runs only ``bench_*.py``); scripts import it as ``common`` because
their own folder is first on ``sys.path`` whether run directly or by the runner.
"""

from __future__ import annotations

import statistics
from pathlib import Path

BENCHMARKS_MD = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def p95(values: list[float]) -> float:
    """The 95th percentile of ``values`` (at least two of them)."""
    return statistics.quantiles(values, n=20)[-1]


def write_section(heading: str, text: str, path: Path = BENCHMARKS_MD) -> None:
    """Put ``text`` (which starts with ``heading``) into ``path`` in place of the section under that
    heading, up to the next ``## `` heading; appended when the file has no such section yet."""
    doc = path.read_text(encoding="utf-8")
    start = doc.find(heading)
    if start >= 0:
        end = doc.find("\n## ", start + len(heading))
        doc = doc[:start] + text + (doc[end + 1 :] if end >= 0 else "")
    else:
        doc = doc.rstrip("\n") + "\n\n" + text
    path.write_text(doc, encoding="utf-8")
