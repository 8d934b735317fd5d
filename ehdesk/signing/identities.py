"""Each person's signing identity: a certificate and a key in a PKCS#12 locked by their own password.

An admin issues identities from the local CA (typing the CA passphrase) or imports a PKCS#12 from the
council's own PKI. A person has at most one identity in use; issuing or importing another revokes the
old one, which is what happens when a password is lost: the key is never recovered, it is replaced.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ehdesk.clock import utcnow
from ehdesk.domain import Role
from ehdesk.errors import NotFound
from ehdesk.services import audit, users
from ehdesk.services.actor import Actor
from ehdesk.services.permissions import Permission, require
from ehdesk.signing import keys
from ehdesk.signing.authority import require_authority
from ehdesk.signing.errors import SigningError, WrongPassword
from ehdesk.storage.models import SigningIdentity, User


def active_identity(session: Session, user_id: int) -> SigningIdentity | None:
    return session.scalars(
        select(SigningIdentity)
        .where(SigningIdentity.user_id == user_id, SigningIdentity.revoked_at.is_(None))
        .order_by(SigningIdentity.id.desc())
        .limit(1)
    ).first()


def require_identity(session: Session, user_id: int) -> SigningIdentity:
    identity = active_identity(session, user_id)
    if identity is None:
        raise NotFound(
            "you have no signing certificate yet; ask an admin to issue one "
            "(File ▸ Users… ▸ Signing certificate…)"
        )
    return identity


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user with id {user_id}")
    return user


def _revoke_current(session: Session, actor: Actor, user_id: int) -> None:
    current = active_identity(session, user_id)
    if current is not None:
        revoke_identity(session, actor, current.id)


def _store(
    session: Session, actor: Actor, user: User, source: str, cert_pem: str, subject: str, fp: str, p12: bytes
) -> SigningIdentity:
    if session.scalar(select(SigningIdentity.id).where(SigningIdentity.fingerprint == fp)) is not None:
        raise SigningError("this certificate is already held by ehdesk; import a different one")
    _revoke_current(session, actor, user.id)
    identity = SigningIdentity(
        user_id=user.id, source=source, subject=subject, fingerprint=fp, certificate_pem=cert_pem, pkcs12=p12
    )
    session.add(identity)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "signing_identity",
        identity.id,
        after={"user_id": user.id, "source": source, "subject": subject, "fingerprint": fp},
    )
    return identity


def issue_identity(
    session: Session, actor: Actor, user_id: int, ca_passphrase: str, password: str
) -> SigningIdentity:
    """Issue ``user_id`` a certificate from the local CA, its key sealed with that person's ``password``.

    Signing opens the key with the password the person logs in with, so ``password`` must be that
    one: it is checked against their stored log-in hash (as a log-in checks it, but neither counted nor
    audited as one) before any key is made, or a mistyped password would leave a key nobody can open at
    sign-off. The authority's passphrase is checked first, so only someone holding it can ask whether a
    password is someone's.
    """
    require(actor, Permission.MANAGE_USERS)
    user = _user(session, user_id)
    authority = require_authority(session)
    keys.check_secret(password, "signing password")
    ca_key = keys.decrypt_key(authority.encrypted_key, ca_passphrase)
    if not users.is_login_password(user, password):
        raise WrongPassword(
            f"that is not {user.username}'s log-in password, and their signing key must be locked with "
            "the password they log in with (they type it to sign): type it again, or let them type it; "
            "if nobody knows it, reset their password first (Reset password…), then issue the "
            "certificate with the new one"
        )
    ca_cert = keys.load_pem(authority.certificate_pem)
    person = keys.Person(user.full_name, Role(user.role).title, user.username, authority.name)
    key, cert = keys.issue(ca_key, ca_cert, person, utcnow())
    p12 = keys.pack_pkcs12(key, cert, [ca_cert], password, user.full_name)
    return _store(
        session,
        actor,
        user,
        "issued",
        keys.pem(cert),
        cert.subject.rfc4514_string(),
        keys.fingerprint(cert),
        p12,
    )


def import_pkcs12(
    session: Session, actor: Actor, user_id: int, data: bytes, password: str
) -> SigningIdentity:
    """Keep a PKCS#12 from the council's PKI for ``user_id``, as given (still locked by ``password``).

    The file is opened once to prove the password fits and to read the certificate; the stored bytes are
    the file itself, so ehdesk never re-encrypts (or ever holds unencrypted) a key it did not make.
    """
    require(actor, Permission.MANAGE_USERS)
    user = _user(session, user_id)
    bundle = keys.open_pkcs12(data, password)
    assert bundle.cert is not None  # open_pkcs12 refuses a file without one
    cert = bundle.cert.certificate
    return _store(
        session,
        actor,
        user,
        "imported",
        keys.pem(cert),
        cert.subject.rfc4514_string(),
        keys.fingerprint(cert),
        data,
    )


def revoke_identity(session: Session, actor: Actor, identity_id: int) -> SigningIdentity:
    """Stop an identity being used to sign (a lost password, a person leaving); what it signed stays valid."""
    require(actor, Permission.MANAGE_USERS)
    identity = session.get(SigningIdentity, identity_id)
    if identity is None:
        raise NotFound(f"no signing identity with id {identity_id}")
    if identity.revoked_at is None:
        identity.revoked_at = utcnow()
        session.flush()
        audit.record(
            session,
            actor,
            "revoke",
            "signing_identity",
            identity.id,
            after={"user_id": identity.user_id, "fingerprint": identity.fingerprint},
        )
    return identity


def reseal_own_identity(session: Session, actor: Actor, old_password: str, new_password: str) -> bool:
    """Re-lock the actor's signing key with their new log-in password, in the caller's transaction.

    Signing opens the key with the log-in password, so a password change that left the key sealed with
    the old one would stop the person signing. Only someone who knows the old password can do this,
    which is why an admin's reset cannot (:func:`key_lost_by_reset`). An identity the old password does
    not open (a PKCS#12 imported with a password of its own) is left as it is. True if re-sealed.
    """
    if actor.id is None:
        return False
    identity = active_identity(session, actor.id)
    if identity is None:
        return False
    try:
        identity.pkcs12 = keys.reseal_pkcs12(identity.pkcs12, old_password, new_password)
    except WrongPassword:
        return False
    session.flush()
    audit.record(
        session,
        actor,
        "reseal",
        "signing_identity",
        identity.id,
        after={"user_id": identity.user_id, "fingerprint": identity.fingerprint},
    )
    return True


def key_lost_by_reset(session: Session, user_id: int) -> str | None:
    """What an admin must know after resetting ``user_id``'s password: the signing key in use is still
    sealed with the forgotten password, so it can no longer be opened and a new certificate is needed."""
    identity = active_identity(session, user_id)
    if identity is None:
        return None
    return (
        f"{_user(session, user_id).username}'s signing certificate is sealed with the old password and "
        "can no longer be used: issue a new signing certificate for them before they next sign"
    )


def identity_by_fingerprint(session: Session, fp: str) -> SigningIdentity | None:
    """The identity holding the certificate with fingerprint ``fp``, if ehdesk knows it."""
    return session.scalars(select(SigningIdentity).where(SigningIdentity.fingerprint == fp)).first()
