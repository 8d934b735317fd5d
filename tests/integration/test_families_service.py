"""Allocating families: managers only, to workers or managers, and workers then see only their own."""

from __future__ import annotations

import pytest

from ehdesk.domain import FamilyStatus
from ehdesk.errors import PermissionDenied, ValidationFailed
from ehdesk.policy import default_pack
from ehdesk.services import families, referrals
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from tests import samples


def _family(db: Database, admin: Actor) -> tuple[int, int]:
    with db.session() as session:
        family = referrals.create_referral(session, admin, samples.referral(), policy=default_pack()).family
        return family.id, family.version


def test_a_manager_allocates_a_family_to_a_worker(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id, version = _family(db, admin)
    with db.session() as session:
        family = families.allocate(session, manager, family_id, worker.id, version=version)
        assert family.worker_id == worker.id
        assert family.status == FamilyStatus.ALLOCATED
    with db.session() as session:
        assert families.get_family(session, worker, family_id).id == family_id  # now theirs to open


def test_a_worker_cannot_allocate_families(db: Database, admin: Actor, worker: Actor) -> None:
    family_id, version = _family(db, admin)
    with db.session() as session, pytest.raises(PermissionDenied, match="allocate families"):
        families.allocate(session, worker, family_id, worker.id, version=version)


def test_a_family_cannot_be_allocated_to_an_admin(db: Database, admin: Actor, manager: Actor) -> None:
    family_id, version = _family(db, admin)
    with db.session() as session, pytest.raises(PermissionDenied, match="family workers or managers"):
        families.allocate(session, manager, family_id, admin.id, version=version)


def test_a_worker_may_not_open_a_family_allocated_to_someone_else(
    db: Database, admin: Actor, worker: Actor
) -> None:
    family_id, _ = _family(db, admin)
    with db.session() as session, pytest.raises(PermissionDenied, match="ask a manager to allocate it"):
        families.get_family(session, worker, family_id)


def test_an_address_edit_passes_the_referrals_postcode_rules(db: Database, admin: Actor) -> None:
    family_id, version = _family(db, admin)
    with db.session() as session, pytest.raises(ValidationFailed, match=r"postcode: .*10 characters"):
        families.update_address(session, admin, family_id, "1 High St", "X" * 1_000_000, version=version)
    with db.session() as session, pytest.raises(ValidationFailed, match="postcode"):
        families.update_address(session, admin, family_id, "1 High St", "NOT A POSTCODE", version=version)
    with db.session() as session, pytest.raises(ValidationFailed, match="address: "):
        families.update_address(session, admin, family_id, "y" * 100_000, "LS1 1AA", version=version)
    with db.session() as session:
        family = families.update_address(session, admin, family_id, " 1 High St ", "ls11aa", version=version)
        assert (family.address, family.postcode) == ("1 High St", "LS1 1AA")
    with db.read() as session:
        assert [r.id for r in families.search_families(session, admin, "ls11aa")] == [family_id]


def test_a_worker_holding_no_family_is_told_a_manager_allocates_families(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id, version = _family(db, admin)
    with db.read() as session:
        assert families.search_families(session, worker, "smith") == []
        assert families.empty_list_hint(session, worker) == families.NO_FAMILIES_ALLOCATED
        assert "a manager allocates families" in families.NO_FAMILIES_ALLOCATED
        assert families.empty_list_hint(session, manager) is None  # managers see every family
        assert families.empty_list_hint(session, admin) is None
    with db.session() as session:
        families.allocate(session, manager, family_id, worker.id, version=version)
    with db.read() as session:
        assert families.empty_list_hint(session, worker) is None
