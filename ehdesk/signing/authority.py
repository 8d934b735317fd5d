"""The authority's local signing CA: created once by ``ehdesk init``, its key under the admin's passphrase.

Certificates issued by any CA this database has held are trusted by ``verify``: a CA replaced later
(``retired_at`` set) still vouches for what was signed under it.
"""

from __future__ import annotations

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.orm import Session

from ehdesk.clock import utcnow
from ehdesk.services import audit
from ehdesk.services.actor import Actor
from ehdesk.services.permissions import Permission, require
from ehdesk.signing import keys
from ehdesk.signing.errors import NoSigningAuthority
from ehdesk.storage.models import SigningAuthority


def current_authority(session: Session) -> SigningAuthority | None:
    return session.scalars(
        select(SigningAuthority)
        .where(SigningAuthority.retired_at.is_(None))
        .order_by(SigningAuthority.id.desc())
        .limit(1)
    ).first()


def require_authority(session: Session) -> SigningAuthority:
    authority = current_authority(session)
    if authority is None:
        raise NoSigningAuthority(
            "this database has no signing authority yet; an admin creates it with `ehdesk init`"
        )
    return authority


def create_authority(session: Session, actor: Actor, name: str, passphrase: str) -> SigningAuthority:
    """Create the CA (retiring any current one); its key is kept only encrypted under ``passphrase``."""
    require(actor, Permission.MANAGE_USERS)
    keys.check_secret(passphrase, "passphrase")  # refuse a weak one before the slow key generation
    now = utcnow()
    key, cert = keys.make_ca(name, now)
    previous = current_authority(session)
    if previous is not None:
        previous.retired_at = now
    authority = SigningAuthority(
        name=name, certificate_pem=keys.pem(cert), encrypted_key=keys.encrypt_key(key, passphrase)
    )
    session.add(authority)
    session.flush()
    audit.record(
        session,
        actor,
        "create",
        "signing_authority",
        authority.id,
        after={"name": name, "fingerprint": keys.fingerprint(cert)},
    )
    return authority


def trust_roots(session: Session) -> list[x509.Certificate]:
    """Every CA certificate this database has held, newest first."""
    pems = session.scalars(select(SigningAuthority.certificate_pem).order_by(SigningAuthority.id.desc()))
    return [keys.load_pem(text) for text in pems]
