"""A manager's sign-off through the service: build the decision record from the stored decision and sign it.

Sets up a SQLite database with a signing CA, a manager with a certificate, a family, its decline and the
manager's decision. The manager's key is unlocked once, as for a sign-off session (printed on its own
line, with the password check that precedes it); then each of 50 rounds

* builds the decision record from the database (the decline as recorded, the decision, the policy stamp,
  the audit trail's newest hash) and signs it as PAdES with the visible box: the goal, ≤ 100 ms median;
* runs the whole sign-off unit of work (build, sign, store the bytes and their SHA-256, lock the decision
  and the decline, audit) and rolls it back, so every round signs the same unsigned decision.

``.venv/bin/python benchmarks/bench_signoff.py [--write]``: ``--write`` puts the section into
docs/benchmarks.md (replacing an earlier one).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common import p95, write_section  # noqa: E402

ROUNDS = 50
WARM_UP = 3
HEADING = "## Sign-off: building and signing a decision record through the service"
CA_PASSPHRASE = "authority passphrase"
PASSWORD = "a manager's own password"


class _RolledBack(Exception):
    """Ends a timed sign-off with a rollback, so the next round signs the same unsigned decision."""


def _setup(folder: Path) -> tuple[Any, Any, int]:
    from ehdesk.desk import Desk
    from ehdesk.domain import Role
    from ehdesk.policy import default_pack
    from ehdesk.services import families, referrals, users
    from ehdesk.services.actor import Actor
    from ehdesk.signing.authority import create_authority
    from ehdesk.signing.identities import issue_identity
    from ehdesk.storage.database import Database
    from tests import samples
    from tests.unit.forms.formcases import DECISION_DECLINE, DECLINE

    os.environ["EHDESK_DATA_DIR"] = str(folder / "data")
    db = Database(f"sqlite:///{folder / 'bench.sqlite3'}")
    db.upgrade()
    with db.session() as session:
        admin = Actor.from_user(users.create_first_admin(session, "admin", "Ada Admin", PASSWORD))
        worker = Actor.from_user(
            users.create_user(session, admin, "wendy", "Wendy Worker", Role.WORKER, PASSWORD)
        )
        manager = Actor.from_user(
            users.create_user(session, admin, "lucja", "Łucja Nowak", Role.MANAGER, PASSWORD)
        )
        create_authority(session, admin, "Example Borough Council", CA_PASSPHRASE)
        issue_identity(session, admin, manager.id or 0, CA_PASSPHRASE, PASSWORD)
        family_id = referrals.create_referral(
            session, admin, samples.referral(), policy=default_pack()
        ).family_id
    with db.session() as session:
        family = families.get_family(session, manager, family_id)
        families.allocate(session, manager, family_id, worker.id, version=family.version)
    worker_desk, desk = Desk(db, default_pack(), actor=worker), Desk(db, default_pack(), actor=manager)
    decline = worker_desk.create_record("decline", family_id, {**DECLINE, "declined_by": None})
    decision = desk.decide(
        family_id, DECISION_DECLINE, subject="decline", subject_id=decline.id, confirmed_warnings=True
    )
    return db, desk, decision.id


def measure() -> tuple[float, float, list[float], list[float]]:
    from ehdesk.desk import Desk
    from ehdesk.services import audit, signoff
    from ehdesk.signing import unlock
    from ehdesk.signing.identities import require_identity
    from ehdesk.storage.database import Database
    from ehdesk.storage.models import Decision

    with TemporaryDirectory() as tmp:
        db, desk, decision_id = _setup(Path(tmp))
        assert isinstance(db, Database)
        assert isinstance(desk, Desk)
        actor = desk.actor
        assert actor is not None
        started = time.perf_counter()
        with db.session() as session:
            signoff.check_password(session, actor, PASSWORD)
        checked = time.perf_counter()
        with db.read() as session:
            identity = require_identity(session, actor.id or 0)
            session.expunge(identity)
        t0 = time.perf_counter()
        key = unlock(identity, PASSWORD)
        unlock_ms = (time.perf_counter() - t0) * 1000
        check_ms = (checked - started) * 1000
        build_sign: list[float] = []
        whole: list[float] = []
        for round_ in range(ROUNDS + WARM_UP):
            with db.read() as session:
                decision = session.get(Decision, decision_id)
                assert decision is not None
                t1 = time.perf_counter()
                pdf = signoff.build_record(session, actor, decision, "Manager", audit.newest_hash(session))
                key.sign(pdf, reason=signoff.SIGN_REASON, audit_hash=audit.newest_hash(session))
                t2 = time.perf_counter()
            t3 = time.perf_counter()
            try:
                with db.session() as session:
                    signoff.sign_decision(session, actor, decision_id, key)
                    t4 = time.perf_counter()
                    raise _RolledBack
            except _RolledBack:
                pass
            if round_ >= WARM_UP:
                build_sign.append((t2 - t1) * 1000)
                whole.append((t4 - t3) * 1000)
        db.dispose()
    return check_ms, unlock_ms, build_sign, whole


def section(check_ms: float, unlock_ms: float, build_sign: list[float], whole: list[float]) -> str:
    lines = [
        HEADING,
        "",
        f"Machine: {platform.machine()} {sys.platform}, Python {platform.python_version()}. "
        f"One warm process, SQLite; median and p95 of {ROUNDS} rounds after {WARM_UP} warm-up rounds.",
        f"Load average when measured: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.",
        f"Once per sign-off session: the password checked as a log-in ({check_ms:.0f} ms, argon2) and the "
        f"PKCS#12 unlocked ({unlock_ms:.0f} ms). Goal: build + sign ≤ 100 ms median.",
        "",
        "| step | median (ms) | p95 (ms) |",
        "|---|---|---|",
        f"| build the record from the database + sign it | {statistics.median(build_sign):.1f} | "
        f"{p95(build_sign):.1f} |",
        f"| whole sign-off unit (build, sign, store, lock, audit) | {statistics.median(whole):.1f} | "
        f"{p95(whole):.1f} |",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--write", action="store_true", help="put the section into docs/benchmarks.md")
    args = parser.parse_args()
    check_ms, unlock_ms, build_sign, whole = measure()
    print(f"password check: {check_ms:.0f} ms; PKCS#12 unlock: {unlock_ms:.0f} ms", file=sys.stderr)
    text = section(check_ms, unlock_ms, build_sign, whole)
    print(text)
    if args.write:
        write_section(HEADING, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
