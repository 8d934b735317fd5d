"""The access log: opening a family is recorded, search rows are not, and only managers read it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from ehdesk.domain import Role
from ehdesk.errors import NotFound, PermissionDenied
from ehdesk.gui.backend import Backend
from ehdesk.policy import default_pack
from ehdesk.services import access_log, families, referrals, users
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from ehdesk.storage.models import FamilyView
from tests import samples
from tests.cli import ehdesk
from tests.conftest import PASSWORD


def _family(db: Database, admin: Actor, manager: Actor, worker: Actor) -> tuple[int, str]:
    """A family allocated to the worker, so both the worker and the manager may open it."""
    with db.session() as session:
        family = referrals.create_referral(session, admin, samples.referral(), policy=default_pack()).family
        family_id, version, reference = family.id, family.version, family.reference
    with db.session() as session:
        families.allocate(session, manager, family_id, worker.id, version=version)
    return family_id, reference


def _views(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(FamilyView)) or 0


def test_opening_a_family_records_who_opened_it_and_when(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id, reference = _family(db, admin, manager, worker)
    wendy = Backend(db, default_pack())
    wendy.login("wendy", PASSWORD)
    wendy.family_summary(family_id)
    wendy.family_summary(family_id)
    with db.read() as session:
        rows = access_log.views_of_family(session, manager, reference)
    assert [(row.username, row.family_reference) for row in rows] == [("wendy", reference)] * 2
    assert rows[0].viewed_at >= rows[1].viewed_at  # newest first


def test_search_rows_are_not_recorded(db: Database, admin: Actor, manager: Actor, worker: Actor) -> None:
    _family(db, admin, manager, worker)
    with db.read() as session:
        assert families.count_families(session, manager, "") == 1
        assert len(families.search_families(session, manager, "", limit=10, before_id=None)) == 1
    assert _views(db) == 0


def test_a_refused_opening_records_nothing(db: Database, admin: Actor, worker: Actor) -> None:
    with db.session() as session:
        family_id = referrals.create_referral(
            session, admin, samples.referral(), policy=default_pack()
        ).family.id
    with db.session() as session, pytest.raises(PermissionDenied):
        access_log.open_family(session, worker, family_id)
    assert _views(db) == 0


@pytest.mark.parametrize("who", ["worker", "admin"])
def test_workers_and_admins_cannot_read_the_access_log(
    db: Database, admin: Actor, manager: Actor, worker: Actor, who: str
) -> None:
    _, reference = _family(db, admin, manager, worker)
    actor = {"worker": worker, "admin": admin}[who]
    with db.read() as session, pytest.raises(PermissionDenied, match="read who opened which family"):
        access_log.views_of_family(session, actor, reference)


def test_an_unknown_reference_says_so(db: Database, manager: Actor) -> None:
    with db.read() as session, pytest.raises(NotFound, match="EH-999999"):
        access_log.views_of_family(session, manager, "EH-999999")


def test_audit_views_lists_who_opened_a_family_for_a_manager_only(tmp_path: Path) -> None:
    path = str(tmp_path / "team.sqlite3")
    made = ehdesk("--database", path, "init", "--admin", "ada", env={"EHDESK_ADMIN_PASSWORD": PASSWORD})
    assert made.returncode == 0, made.stderr
    db = Database(f"sqlite:///{path}")
    try:
        with db.session() as session:
            ada = users.login(session, "ada", PASSWORD)
            mo = Actor.from_user(users.create_user(session, ada, "mo", "Mo Manager", Role.MANAGER, PASSWORD))
            family = referrals.create_referral(session, ada, samples.referral(), policy=default_pack()).family
            family_id, reference = family.id, family.reference
        with db.session() as session:
            access_log.open_family(session, mo, family_id)
    finally:
        db.dispose()
    as_password = {"EHDESK_AS_PASSWORD": PASSWORD}
    shown = ehdesk("--database", path, "audit", "views", "--family", reference, "--as", "mo", env=as_password)
    assert shown.returncode == 0, shown.stderr
    assert "opened 1 time" in shown.stdout
    assert "mo  (Mo Manager)" in shown.stdout
    refused = ehdesk(
        "--database", path, "audit", "views", "--family", reference, "--as", "ada", env=as_password
    )
    assert refused.returncode != 0
    assert "read who opened which family" in refused.stderr
    assert "Traceback" not in refused.stderr
