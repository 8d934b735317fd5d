"""A batch of packs stopped from outside: killed (``kill -9``) or terminated (SIGTERM).

A killed batch must leave no process behind — its pool's processes would otherwise live on as orphans and
keep writing files nobody records — and the ``.part`` files it could not remove are removed by the next
run. A terminated ``ehdesk packs`` behaves as on Ctrl+C: in-flight files removed, one line, exit 143.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from ehdesk.desk.batch import STALE_PART_S, remove_stale_parts
from ehdesk.domain import Role
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from ehdesk.storage.models import CaseNote
from tests.conftest import PASSWORD, make_user
from tests.integration.worker_helpers import allocated_family, desk

ROOT = Path(__file__).resolve().parents[2]
FAMILIES = 60

linux_only = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="reads the process table in /proc"
)


def _state_and_parent(pid: int) -> tuple[str, int] | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return fields[0], int(fields[1])


def _alive(pid: int) -> bool:
    seen = _state_and_parent(pid)
    return seen is not None and seen[0] not in ("Z", "X")


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            seen = _state_and_parent(int(entry.name))
            if seen is not None and seen[1] == pid and seen[0] not in ("Z", "X"):
                found.add(int(entry.name))
    return found


def _team_with_families(db: Database) -> Actor:
    """Wendy, a family worker with :data:`FAMILIES` families allocated and none with a pack yet."""
    admin = make_user(db, "setup-admin", Role.ADMIN)
    manager = make_user(db, "mo", Role.MANAGER)
    worker = make_user(db, "wendy", Role.WORKER)
    for _ in range(FAMILIES):
        allocated_family(db, admin, manager, worker)
    return worker


def _casenotes(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(CaseNote)) or 0


def _files(out: Path, suffix: str) -> list[Path]:
    return sorted(out.glob(f"*{suffix}")) if out.exists() else []


@linux_only
def test_a_killed_batch_leaves_no_pool_process_and_the_next_run_leaves_no_part_file(
    sqlite_db: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    db = sqlite_db
    wendy = _team_with_families(db)
    out = tmp_path / "packs"
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.batch_child", db.url, str(out), "wendy"],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
    )
    try:
        # mid-batch: both pool processes started and a family's file on its way
        qtbot.waitUntil(lambda: len(_children(child.pid)) >= 2 and bool(_files(out, "")), timeout=30_000)
        pool = _children(child.pid)
        child.kill()
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    qtbot.waitUntil(lambda: not any(_alive(pid) for pid in pool), timeout=10_000)  # none outlives it
    worker = desk(db, wendy)
    missing = worker.families_missing_evidence()
    assert missing, "the batch finished before it was killed: nothing was proved"
    old = time.time() - 2 * STALE_PART_S  # the next run, a while later
    for part in _files(out, ".part"):
        os.utime(part, (old, old))
    result = worker.generate_packs(
        missing, out, progress=lambda done, total: None, cancelled=lambda: False, processes=2
    )
    assert result.failed == ()
    assert _files(out, ".part") == []
    assert worker.families_missing_evidence() == []
    assert len(_files(out, ".pdf")) == _casenotes(db) == FAMILIES


def test_only_part_files_left_long_enough_ago_are_removed(tmp_path: Path) -> None:
    old = time.time() - 2 * STALE_PART_S
    stale = tmp_path / "privacy-notice-EH-000001-2025-06-02.part"
    running = tmp_path / "privacy-notice-EH-000002-2025-06-02.part"  # another batch's, being written now
    theirs = tmp_path / "notes.part"  # not a pack's: not ours to remove
    pack = tmp_path / "privacy-notice-EH-000003-2025-06-02.pdf"
    for path in (stale, running, theirs, pack):
        path.write_bytes(b"%PDF")
    for path in (stale, theirs, pack):
        os.utime(path, (old, old))
    assert remove_stale_parts(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (running, theirs, pack))


def test_sigterm_stops_the_packs_command_like_ctrl_c(
    sqlite_db: Database, tmp_path: Path, qtbot: QtBot
) -> None:
    db = sqlite_db
    _team_with_families(db)
    out = tmp_path / "packs"
    environment = {**os.environ, "EHDESK_AS_PASSWORD": PASSWORD}
    command = [sys.executable, "-m", "ehdesk", "--database", db.url, "packs", "--missing-evidence"]
    command += ["--out", str(out), "--as", "wendy", "--processes", "2"]
    child = subprocess.Popen(
        command,
        cwd=ROOT,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        qtbot.waitUntil(lambda: bool(_files(out, "")), timeout=30_000)  # the batch has written a file
        child.send_signal(signal.SIGTERM)
        stdout, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 128 + signal.SIGTERM
    assert stderr.strip().splitlines()[-1] == "ehdesk: terminated"
    assert "Traceback" not in stderr
    assert stdout == ""
    assert _files(out, ".part") == []  # the families in flight: their files removed
    assert len(_files(out, ".pdf")) == _casenotes(db) < FAMILIES  # whole families only, stopped midway
