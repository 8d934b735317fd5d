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


def test_a_database_with_users_or_their_referrals_counts_as_in_use(db: Database) -> None:
    add_demo_families(db.session, 2, seed=1)
    with db.read() as session:
        assert not holds_real_work(session)  # demo families alone: still a demo database
    admin = make_user(db, "setup-admin", Role.ADMIN)
    with db.session() as session:
        assert holds_real_work(session)
        referrals.create_referral(session, admin, samples.referral(), policy=default_pack())
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
