"""A manager's signing key is sealed with their log-in password: changing that password re-seals the key
in the same transaction (they can still sign), while an admin's reset cannot and says a new
certificate is needed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ehdesk.desk import Desk
from ehdesk.errors import LoginFailed
from ehdesk.policy import default_pack
from ehdesk.services import users
from ehdesk.services.actor import Actor
from ehdesk.signing import unlock
from ehdesk.signing.authority import create_authority
from ehdesk.signing.errors import WrongPassword
from ehdesk.signing.identities import active_identity, issue_identity
from ehdesk.storage.database import Database
from ehdesk.storage.models import AuditEvent
from tests.conftest import PASSWORD

CA_PASS = "authority passphrase"
NEW_PASSWORD = "a brand new password"


@pytest.fixture
def sealed(db: Database, admin: Actor, manager: Actor) -> None:
    """The manager holds a certificate whose key is sealed with their log-in password."""
    with db.session() as session:
        create_authority(session, admin, "Example Borough Council", CA_PASS)
        issue_identity(session, admin, manager.id or 0, CA_PASS, PASSWORD)


@pytest.mark.usefixtures("sealed")
def test_changing_ones_own_password_reseals_the_signing_key_with_it(db: Database, manager: Actor) -> None:
    with db.read() as session:
        before = active_identity(session, manager.id or 0)
        assert before is not None
        fingerprint = before.fingerprint
    with db.session() as session:
        users.change_own_password(session, manager, PASSWORD, NEW_PASSWORD)
    with db.read() as session:
        identity = active_identity(session, manager.id or 0)
        assert identity is not None
        assert identity.fingerprint == fingerprint  # the same certificate, not a new one
        assert unlock(identity, NEW_PASSWORD).fingerprint == fingerprint  # signing still works
        with pytest.raises(WrongPassword):
            unlock(identity, PASSWORD)  # the old password no longer opens it
        actions = list(
            session.scalars(select(AuditEvent.action).where(AuditEvent.entity == "signing_identity"))
        )
    assert actions[-1] == "reseal"


@pytest.mark.usefixtures("sealed")
def test_a_refused_password_change_leaves_the_key_as_it_was(db: Database, manager: Actor) -> None:
    with db.session() as session, pytest.raises(LoginFailed):
        users.change_own_password(session, manager, "not my password", NEW_PASSWORD)
    with db.read() as session:
        identity = active_identity(session, manager.id or 0)
        assert identity is not None
        assert unlock(identity, PASSWORD).name == manager.full_name


@pytest.mark.usefixtures("sealed")
def test_an_admins_reset_cannot_reseal_and_says_a_new_certificate_is_needed(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    desk = Desk(db, default_pack(), actor=admin)
    with db.read() as session:
        version = users.get_user(session, manager.id or 0).version
        worker_version = users.get_user(session, worker.id or 0).version
    notice = desk.reset_password(manager.id or 0, NEW_PASSWORD, version=version)
    assert notice is not None
    assert manager.username in notice
    assert "issue a new signing certificate" in notice
    with db.read() as session:
        identity = active_identity(session, manager.id or 0)
        assert identity is not None
        with pytest.raises(WrongPassword):
            unlock(identity, NEW_PASSWORD)
    # someone with no certificate: nothing to say
    assert desk.reset_password(worker.id or 0, NEW_PASSWORD, version=worker_version) is None
