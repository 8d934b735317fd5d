"""Demo families are valid referrals stored through the service, the same for the same seed."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from ehdesk.demo import add_demo_families, demo_referrals, holds_real_work
from ehdesk.domain import Role
from ehdesk.forms.registry import get_form
from ehdesk.forms.validate import validate
from ehdesk.policy import default_pack
from ehdesk.services import audit, referrals
from ehdesk.storage.database import Database
from ehdesk.storage.models import AuditEvent, Family
from tests import samples
from tests.cli import ehdesk
from tests.conftest import make_user


def test_demo_referrals_pass_every_referral_rule() -> None:
    form = get_form("referral")
    for values in demo_referrals(300, seed=5, today=date(2026, 11, 25)):
        result = validate(form, values)
        assert result.errors == [], result.errors


def test_the_same_seed_gives_the_same_families() -> None:
    first = list(demo_referrals(5, seed=9, today=date(2026, 11, 25)))
    again = list(demo_referrals(5, seed=9, today=date(2026, 11, 25)))
    assert first == again


def test_demo_families_are_stored_and_audited_as_demo_data(db: Database) -> None:
    seen: list[tuple[int, int]] = []
    stored = add_demo_families(
        db.session, 120, seed=3, progress=lambda done, total: seen.append((done, total))
    )
    assert stored == 120
    assert seen == [(100, 120), (120, 120)]
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Family)) == 120
        actors = set(session.scalars(select(AuditEvent.actor)))
        assert actors == {"ehdesk-demo"}
        assert audit.verify(session).ok


def test_a_database_with_staff_or_their_referrals_counts_as_in_use(db: Database) -> None:
    add_demo_families(db.session, 2, seed=1)
    with db.read() as session:
        assert not holds_real_work(session)  # demo families alone: still a demo database
    admin = make_user(db, "setup-admin", Role.ADMIN)
    with db.read() as session:
        assert not holds_real_work(session)  # only the first admin that ehdesk init makes
    with db.session() as session:
        referrals.create_referral(session, admin, samples.referral(), policy=default_pack())
    with db.read() as session:
        assert holds_real_work(session)  # a referral a user keyed: real work


def test_a_second_member_of_staff_or_a_lone_non_admin_counts_as_in_use(db: Database) -> None:
    make_user(db, "setup-admin", Role.ADMIN)
    make_user(db, "first-worker", Role.WORKER)
    with db.read() as session:
        assert holds_real_work(session)


def test_the_demo_command_refuses_a_live_database_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "live.sqlite3"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    admin = make_user(db, "setup-admin", Role.ADMIN)
    with db.session() as session:
        referrals.create_referral(session, admin, samples.referral(), policy=default_pack())
    db.dispose()
    done = ehdesk("--database", str(path), "demo", "--families", "3")
    assert done.returncode == 2
    assert "is in use" in done.stderr
    assert done.stderr.count("\n") == 1


def test_the_demo_runs_after_init_and_prints_its_logins(tmp_path: Path) -> None:
    path = tmp_path / "tryout.sqlite3"
    secrets = {"EHDESK_ADMIN_PASSWORD": "admin-pass-123", "EHDESK_CA_PASSPHRASE": "ca-pass-phrase-123"}
    init = ehdesk("--database", str(path), "init", "--admin", "ada", env=secrets)
    assert init.returncode == 0, init.stderr
    done = ehdesk(
        "--database",
        str(path),
        "demo",
        "--families",
        "12",
        env={**secrets, "EHDESK_DEMO_PASSWORD": "demo-pass-123"},
    )
    assert done.returncode == 0, done.stderr
    assert "added 12 demo families" in done.stdout
    progress = [line for line in done.stderr.splitlines() if "demo families" in line]
    assert progress[-1:] == ["12/12 demo families"]  # a log gets whole lines, not \r runs
    assert "\r" not in done.stderr
    assert "demo logins (each with the password in EHDESK_DEMO_PASSWORD):" in done.stdout
    for username in ("demo-manager", "demo-worker1", "demo-worker2", "demo-worker3"):
        assert username in done.stdout
    assert "not signed" not in done.stdout  # init's CA passphrase let the demo managers sign
    db = Database(f"sqlite:///{path}")
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Family)) == 12
        assert audit.verify(session).ok
    db.dispose()


def test_the_demo_after_init_without_the_ca_passphrase_says_how_to_sign(tmp_path: Path) -> None:
    path = tmp_path / "tryout.sqlite3"
    env = {"EHDESK_ADMIN_PASSWORD": "admin-pass-123", "EHDESK_CA_PASSPHRASE": "ca-pass-phrase-123"}
    assert ehdesk("--database", str(path), "init", "--admin", "ada", env=env).returncode == 0
    done = ehdesk(
        "--database",
        str(path),
        "demo",
        "--families",
        "6",
        without=["EHDESK_CA_PASSPHRASE", "EHDESK_DEMO_PASSWORD"],
    )
    assert done.returncode == 0, done.stderr
    assert "EHDESK_CA_PASSPHRASE" in done.stdout
    assert "demo logins (each with " in done.stdout
