"""Privacy-notice packs: one pack in a warm process, and the batch of 1,000 on the process pool.

Each figure is printed beside its floor, measured in the same run:

* one pack (``ehdesk.documents.pack.build_pack_pdf``: shaping, metadata, footer, styles) against a
  bare reportlab document of the same text in the same embedded font (goal: ≤ 1.5× the floor);
* 1,000 packs through :func:`ehdesk.services.packs.generate_packs` — each pack built, written to a
  folder and recorded (event, stored PDF, casenote) in its own transaction — against the 1,000 bare
  documents built on a pool of the same size (goal: ≤ 1.5× that floor's total). The pool processes'
  resident memory is sampled as the batch runs (flat means the last sample is not above the first by
  more than a few MB), with the longest gap between progress calls and how long a cancel takes.

``.venv/bin/python benchmarks/bench_packs.py [--families N] [--render DIR]``: ``--render`` writes PNG
pages (pdftoppm -r 70) of a pack, a large-print pack and a share's explanation record, each for a family
with an Arabic name, into DIR for looking at.
"""

from __future__ import annotations

import argparse
import io
import itertools
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from ehdesk.documents.pack import PackContent, build_pack_pdf  # noqa: E402
from ehdesk.policy import default_pack  # noqa: E402

ROUNDS = 60
FAMILIES = 1000
PASSWORD = "bench-password-1"


def content(**changes: Any) -> PackContent:
    policy = default_pack()
    base = PackContent(
        authority_name=policy.authority_name,
        family_name="أحمد (سارة، يوسف)",
        family_reference="EH-004217",
        worker_name="Siân Worker",
        script="new",
        script_text=policy.script_new_family,
        notice_text=policy.privacy_notice,
        agencies=("School", "GP", "Health visiting"),
        policy_stamp=policy.stamp,
        on=date(2025, 6, 2),
    )
    return replace(base, **changes)


def bare_pdf(pack: PackContent) -> bytes:
    """The floor: the same words as plain paragraphs in the same embedded font, nothing else."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from ehdesk.documents.fonts import register_fonts

    font = register_fonts()
    style = ParagraphStyle("plain", fontName=font, fontSize=11, leading=15)
    words = [pack.authority_name, pack.family_name, pack.worker_name, *pack.agencies]
    words += [p for p in (pack.script_text + "\n\n" + pack.notice_text).split("\n\n") if p.strip()]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, initialFontName=font).build([Paragraph(w, style) for w in words])
    return out.getvalue()


def _median_ms(make: Any) -> tuple[float, float]:
    make()
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        make()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def _bare_one(_index: int) -> int:
    return len(bare_pdf(content()))


def _children_rss_mb() -> float:
    """Resident memory of this process's children (the pool), from /proc."""
    me, total = os.getpid(), 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields.get("PPid", "0").strip() or 0) == me:
            total += int(fields.get("VmRSS", "0 kB").split()[0])
    return total / 1024


def _seed(url: str, count: int) -> Any:
    from sqlalchemy import update

    from ehdesk.demo import add_demo_families
    from ehdesk.desk import Desk
    from ehdesk.domain import Role
    from ehdesk.services import users
    from ehdesk.services.actor import Actor
    from ehdesk.storage.database import Database
    from ehdesk.storage.models import Family

    db = Database(url)
    db.upgrade()
    add_demo_families(db.session, count, seed=16)
    with db.session() as session:
        admin = Actor.from_user(users.create_first_admin(session, "admin", "Admin", PASSWORD))
        worker = Actor.from_user(
            users.create_user(session, admin, "wendy", "Wendy Worker", Role.WORKER, PASSWORD)
        )
        session.execute(update(Family).values(worker_id=worker.id, status="allocated"))  # seeding only
    return Desk(db, default_pack(), actor=worker, today=lambda: date(2025, 6, 2))


def measure_batch(count: int) -> dict[str, float]:
    processes = os.cpu_count() or 1
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            list(pool.map(_bare_one, range(count), chunksize=8))
        floor_s = time.perf_counter() - start

        desk = _seed(f"sqlite:///{folder}/bench.sqlite3", count)
        ids = desk.families_missing_evidence()
        samples: list[float] = []
        calls: list[float] = []

        def progress(done: int, total: int) -> None:
            calls.append(time.perf_counter())
            if done in (total // 10, total // 2, total):
                samples.append(_children_rss_mb())

        start = time.perf_counter()
        result = desk.generate_packs(ids, Path(folder) / "out", progress=progress, cancelled=lambda: False)
        batch_s = time.perf_counter() - start
        assert len(result.written) == count, result.failed[:3]
        gaps = [b - a for a, b in itertools.pairwise(calls[1:])]  # after the pool's start-up

        more = _seed(f"sqlite:///{folder}/cancel.sqlite3", 200)
        asked: dict[str, float] = {}

        def cancel_after_50(done: int, total: int) -> None:
            if done >= 50 and "at" not in asked:
                asked["at"] = time.perf_counter()

        more.generate_packs(
            more.families_missing_evidence(),
            Path(folder) / "cancel",
            progress=cancel_after_50,
            cancelled=lambda: "at" in asked,
        )
        cancel_s = time.perf_counter() - asked["at"]
    return {
        "processes": processes,
        "floor_s": floor_s,
        "batch_s": batch_s,
        "rss_first": samples[0],
        "rss_last": samples[-1],
        "max_gap_s": max(gaps) if gaps else 0.0,
        "cancel_s": cancel_s,
    }


def report(families: int = FAMILIES) -> str:
    pack_ms, pack_p95 = _median_ms(lambda: build_pack_pdf(content()))
    large_ms, _ = _median_ms(lambda: build_pack_pdf(content(large_print=True)))
    floor_ms, floor_p95 = _median_ms(lambda: bare_pdf(content()))
    batch = measure_batch(families)
    per_pack = batch["batch_s"] / families * 1000
    return "\n".join(
        [
            "## Privacy-notice packs",
            "",
            f"One pack in a warm process ({ROUNDS} rounds, Arabic family name, standard print):",
            "",
            "| what | median | p95 |",
            "|---|---|---|",
            f"| pack (`build_pack_pdf`) | {pack_ms:.1f} ms | {pack_p95:.1f} ms |",
            f"| large-print pack | {large_ms:.1f} ms | |",
            f"| floor: bare reportlab, same text and font | {floor_ms:.1f} ms | {floor_p95:.1f} ms |",
            "",
            f"Ratio pack / floor: **{pack_ms / floor_ms:.2f}×** (goal ≤ 1.5×; one pack ≤ 15 ms).",
            "",
            f"Batch of {families:,} packs on {batch['processes']:.0f} processes (SQLite, each pack built, "
            "written and recorded — event, stored PDF, casenote — in its own transaction):",
            "",
            "| what | total | per pack |",
            "|---|---|---|",
            f"| `generate_packs` | {batch['batch_s']:.1f} s | {per_pack:.1f} ms |",
            f"| floor: {families:,} bare documents on the same pool | {batch['floor_s']:.1f} s | "
            f"{batch['floor_s'] / families * 1000:.1f} ms |",
            "",
            f"Ratio batch / floor: **{batch['batch_s'] / batch['floor_s']:.2f}×** (goal ≤ 1.5×). "
            f"Pool memory at 10 % / 100 % of the batch: {batch['rss_first']:.0f} MB / "
            f"{batch['rss_last']:.0f} MB. "
            f"Longest gap between progress calls: {batch['max_gap_s'] * 1000:.0f} ms (goal ≤ 500 ms); "
            f"cancel returned after {batch['cancel_s'] * 1000:.0f} ms (goal ≤ 1 s).",
            "",
        ]
    )


def render(folder: Path) -> None:
    """PNG pages of a pack, a large-print pack and an explanation record, all for an Arabic name."""
    from ehdesk.documents.explanation import Explanation, build_explanation_pdf

    policy = default_pack()
    share = {
        "agency": "School",
        "recipient_role": "Designated safeguarding lead",
        "shared_on": "2025-05-30",
        "method": "secure_email",
        "data_items": ["identity", "plan"],
        "what_shared": "Sara's and Yusuf's names and dates of birth, and the family plan's goals.",
        "why_needed": "So school can support the morning routine the family chose as their first goal.",
        "how_used": "To agree attendance support at the next review meeting.",
        "purpose": "child_wellbeing",
        "affirm_proportional": True,
        "affirm_relevant": True,
        "affirm_wellbeing": True,
        "affirm_need_to_know": True,
        "informed_in_advance": True,
        "informed_on": date.today().isoformat(),
        "informed_how": "phone",
        "reassurance_given": True,
    }
    about = Explanation(
        family_name="أحمد (سارة، يوسف)",
        family_reference="EH-004217",
        worker_name="Siân Worker",
        script="new",
        authority_name=policy.authority_name,
        policy_stamp=policy.stamp,
        reassurance=policy.reassurance,
        recorded_on=date(2025, 5, 30),
    )
    documents = {
        "privacy-notice-pack": build_pack_pdf(content()),
        "privacy-notice-pack-large-print": build_pack_pdf(content(large_print=True)),
        "share-explanation": build_explanation_pdf(share, about),
    }
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        for name, pdf in documents.items():
            source = Path(scratch) / f"{name}.pdf"
            source.write_bytes(pdf)
            subprocess.run(["pdftoppm", "-png", "-r", "70", str(source), str(folder / name)], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=FAMILIES)
    parser.add_argument("--render", type=Path, metavar="DIR")
    args = parser.parse_args()
    if args.render:
        render(args.render)
        return 0
    print(report(args.families))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
