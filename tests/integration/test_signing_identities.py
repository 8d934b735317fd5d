"""Signing identities: the local CA and each person's certificate, never a key stored unprotected."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.serialization import load_pem_private_key, pkcs12

from ehdesk.desk import Desk
from ehdesk.errors import PermissionDenied
from ehdesk.policy import default_pack
from ehdesk.services import users
from ehdesk.services.actor import Actor
from ehdesk.signing import keys, unlock
from ehdesk.signing.authority import create_authority, trust_roots
from ehdesk.signing.errors import SigningError, WrongPassword
from ehdesk.signing.identities import active_identity, import_pkcs12, issue_identity
from ehdesk.storage.database import Database
from ehdesk.storage.models import AuditEvent, SigningIdentity
from tests.conftest import PASSWORD

CA_PASS = "authority passphrase"
MY_PASS = PASSWORD  # the manager's log-in password: their key is sealed with it


def test_the_authority_key_and_every_person_key_are_stored_only_encrypted(
    db: Database, admin: Actor, manager: Actor
) -> None:
    with db.session() as session:
        authority = create_authority(session, admin, "Example Borough Council", CA_PASS)
        identity = issue_identity(session, admin, manager.id or 0, CA_PASS, MY_PASS)
        ca_key, p12 = authority.encrypted_key, identity.pkcs12
    assert b"ENCRYPTED PRIVATE KEY" in ca_key
    with pytest.raises(TypeError):  # a password is required to read it
        load_pem_private_key(ca_key, password=None)
    with pytest.raises(ValueError, match=r"(?i)password"):
        pkcs12.load_pkcs12(p12, None)
    assert pkcs12.load_pkcs12(p12, MY_PASS.encode()).key is not None


def test_a_wrong_password_never_opens_the_key_and_says_it_cannot_be_recovered(
    db: Database, admin: Actor, manager: Actor
) -> None:
    with db.session() as session:
        create_authority(session, admin, "Example Borough Council", CA_PASS)
        identity = issue_identity(session, admin, manager.id or 0, CA_PASS, MY_PASS)
        with pytest.raises(WrongPassword, match="cannot be recovered"):
            unlock(identity, "a guess at the password")
        with pytest.raises(WrongPassword):
            issue_identity(session, admin, manager.id or 0, "not the passphrase", MY_PASS)


def test_the_certificate_names_the_person_and_their_role_and_chains_to_the_authority(
    db: Database, admin: Actor, manager: Actor
) -> None:
    with db.session() as session:
        create_authority(session, admin, "Example Borough Council", CA_PASS)
        identity = issue_identity(session, admin, manager.id or 0, CA_PASS, MY_PASS)
        roots = trust_roots(session)
        signer = unlock(identity, MY_PASS)
        cert = keys.load_pem(identity.certificate_pem)
    assert signer.name == manager.full_name
    assert signer.role == "Manager"
    assert cert.issuer == roots[0].subject


def test_only_an_admin_issues_identities(db: Database, admin: Actor, worker: Actor, manager: Actor) -> None:
    with db.session() as session:
        create_authority(session, admin, "Example Borough Council", CA_PASS)
        with pytest.raises(PermissionDenied):
            issue_identity(session, manager, worker.id or 0, CA_PASS, MY_PASS)
        with pytest.raises(PermissionDenied):
            create_authority(session, worker, "Somewhere Else", CA_PASS)


def test_a_lost_password_means_a_new_certificate_and_the_old_one_is_revoked(
    db: Database, admin: Actor, manager: Actor
) -> None:
    with db.session() as session:
        create_authority(session, admin, "Example Borough Council", CA_PASS)
        first = issue_identity(session, admin, manager.id or 0, CA_PASS, MY_PASS)
        person = users.get_user(session, manager.id or 0)
        users.reset_password(session, admin, person.id, "a brand new password", version=person.version)
        second = issue_identity(session, admin, manager.id or 0, CA_PASS, "a brand new password")
        assert first.revoked_at is not None
        assert active_identity(session, manager.id or 0) == second
        assert first.fingerprint != second.fingerprint
        actions = [e.action for e in session.query(AuditEvent).where(AuditEvent.entity == "signing_identity")]
    assert actions == ["create", "revoke", "create"]


def test_a_password_that_is_not_the_persons_log_in_password_is_refused_and_no_key_is_made(
    db: Database, admin: Actor, manager: Actor
) -> None:
    """A mistyped password would seal a key its owner cannot open at sign-off: refused, saying what to
    do, before any certificate is made or the one in use is revoked."""
    with db.session() as session:
        create_authority(session, admin, "Example Borough Council", CA_PASS)
        kept = issue_identity(session, admin, manager.id or 0, CA_PASS, MY_PASS).id
    admin_desk = Desk(db, default_pack(), actor=admin)
    with pytest.raises(WrongPassword) as refused:
        admin_desk.issue_identity(manager.id or 0, CA_PASS, MY_PASS + "x")
    said = str(refused.value)
    assert f"that is not {manager.username}'s log-in password" in said
    assert "reset their password first" in said
    with db.read() as session:
        in_use = active_identity(session, manager.id or 0)
        assert in_use is not None
        assert in_use.id == kept
        assert session.query(SigningIdentity).count() == 1
        user = users.get_user(session, manager.id or 0)
        assert user.failed_logins == 0  # an admin's typing is not a log-in attempt of the person's
    assert admin_desk.issue_identity(manager.id or 0, CA_PASS, MY_PASS).id != kept


def test_an_imported_pkcs12_is_kept_exactly_as_given(db: Database, admin: Actor, manager: Actor) -> None:
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    ca_key, ca_cert = keys.make_ca("County PKI", now)
    key, cert = keys.issue(ca_key, ca_cert, keys.Person("Mo", "Manager", "mo", "County"), now)
    data = keys.pack_pkcs12(key, cert, [ca_cert], "pki password", "mo")
    with db.session() as session:
        with pytest.raises(WrongPassword):
            import_pkcs12(session, admin, manager.id or 0, data, "wrong one!")
        identity = import_pkcs12(session, admin, manager.id or 0, data, "pki password")
        assert identity.pkcs12 == data
        assert identity.source == "imported"
        with pytest.raises(SigningError, match="already held"):
            import_pkcs12(session, admin, manager.id or 0, data, "pki password")
        assert session.get(SigningIdentity, identity.id) is not None


def test_a_short_password_is_refused_before_any_key_is_made(db: Database, admin: Actor) -> None:
    with db.session() as session, pytest.raises(SigningError, match="at least"):
        create_authority(session, admin, "Example Borough Council", "short")
