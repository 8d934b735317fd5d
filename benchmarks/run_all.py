"""``make bench``: run every ``benchmarks/bench_*.py`` once, each in its own fresh interpreter, and rewrite
``docs/benchmarks.md`` from what they report, headed by a short note on the machine.

The contract for a benchmark script: a module-level ``report() -> str`` that measures (with its baselines
in the same run) and returns its markdown section(s), each starting with ``## ``. A script that has only
a ``main()`` is run with no options and whatever it prints is taken as its section (it must not write
``docs/benchmarks.md`` itself: the runner writes the whole file). Progress may go to stderr.
A benchmark that fails leaves a line saying so in the file rather than stopping the others.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import summary  # noqa: E402

ROOT = HERE.parent
OUTPUT = ROOT / "docs" / "benchmarks.md"
FIRST = ("bench_startup",)  # before anything has warmed or filled the disk cache

# Run inside the child: import the script as a module, take its markdown, write it to argv[2].
_DRIVER = """
import contextlib, importlib, io, sys
sys.path[:0] = [{here!r}, {root!r}]
name, target = sys.argv[1], sys.argv[2]
module = importlib.import_module(name)
if hasattr(module, "report"):
    text = module.report()
else:
    sys.argv = [module.__file__]  # its own defaults: the runner's arguments are not its options
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        module.main()
    text = buffer.getvalue()
with open(target, "w", encoding="utf-8") as out:
    out.write(text)
"""


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    return "RAM unknown"


def machine_note() -> str:
    load = ", ".join(f"{n:.2f}" for n in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return (
        f"Machine: {_cpu_model()}, {os.cpu_count()} cores, {_memory()}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; load average at the start {load}."
    )


def scripts() -> list[str]:
    names = sorted(path.stem for path in HERE.glob("bench_*.py"))
    return [name for name in FIRST if name in names] + [name for name in names if name not in FIRST]


def run_one(name: str) -> tuple[str, float]:
    """The script's markdown (or a line saying it failed) and how long it took."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "section.md"
        done = subprocess.run(
            [sys.executable, "-c", _DRIVER.format(here=str(HERE), root=str(ROOT)), name, str(out)],
            cwd=ROOT,
            check=False,
        )
        took = time.perf_counter() - start
        if done.returncode != 0 or not out.exists():
            return f"## {name}\n\n**Failed** (exit {done.returncode}); see the `make bench` output.\n", took
        text = out.read_text(encoding="utf-8")
        first = text.find("## ")  # a script that prints a whole document: keep its sections only
        return (text[first:] if first >= 0 else text).strip() + "\n", took


def main() -> int:
    started = datetime.now(UTC)
    note = machine_note()
    sections: list[str] = []
    timings: list[str] = []
    failed = False
    with tempfile.TemporaryDirectory() as folder:
        rows = Path(folder) / "summary.jsonl"
        os.environ[summary.ENV] = str(rows)  # each script hands its rows of issue 18's table here
        for name in scripts():
            print(f"== {name}", file=sys.stderr, flush=True)
            text, took = run_one(name)
            failed |= "**Failed**" in text
            sections.append(text)
            timings.append(f"{name} {took:.0f} s")
        table = summary.table(rows)
    end_load = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    document = "\n".join(
        [
            "# Benchmarks",
            "",
            "Written by `make bench` (`benchmarks/run_all.py`), which runs every `benchmarks/bench_*.py`",
            "in one run, each with its baselines measured alongside; tests never time anything.",
            f"{note}",
            f"Run {started:%Y-%m-%d %H:%M} UTC; load average at the end {end_load}; {'; '.join(timings)}.",
            "",
            "## Issue 18 at a glance",
            "",
            "Every figure below comes from this one run; the sections after it give the detail, the",
            "percentiles and, where a goal is not met, where the time goes.",
            "",
            table,
            "",
            *sections,
        ]
    )
    OUTPUT.write_text(document.rstrip() + "\n", encoding="utf-8")
    print(document)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
