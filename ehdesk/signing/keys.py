"""Key and certificate plumbing (``cryptography``): the local CA, issued certificates, PKCS#12 files.

Every private key leaves this module encrypted: the CA's as PKCS#8 under the admin's passphrase, a
person's inside a PKCS#12 under their own password (AES-256 with PBKDF2-SHA256). There is no
"export unencrypted" path, so no caller can store a bare key by mistake.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ehdesk.signing.errors import SigningError, WrongPassword

CA_YEARS = 20
PERSON_YEARS = 5
PKCS12_ROUNDS = 200_000
MIN_SECRET = 8

PrivateKey = rsa.RSAPrivateKey


def check_secret(secret: str, what: str) -> bytes:
    if len(secret) < MIN_SECRET:
        raise SigningError(f"the {what} must be at least {MIN_SECRET} characters; choose a longer one")
    return secret.encode("utf-8")


def new_key(bits: int = 2048) -> PrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def fingerprint(cert: x509.Certificate) -> str:
    return hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()


def pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode("ascii")


def load_pem(text: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(text.encode("ascii"))


def attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def make_ca(authority_name: str, now: datetime) -> tuple[PrivateKey, x509.Certificate]:
    """A self-signed CA that may only issue end-entity certificates (path length 0)."""
    key = new_key(3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{authority_name} Early Help signing authority"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, authority_name),
        ]
    )
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    return key, cert


def encrypt_key(key: PrivateKey, passphrase: str) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(check_secret(passphrase, "passphrase")),
    )


def decrypt_key(encrypted: bytes, passphrase: str) -> PrivateKey:
    try:
        key = serialization.load_pem_private_key(encrypted, password=passphrase.encode("utf-8"))
    except (ValueError, TypeError):
        raise WrongPassword(
            "the signing authority's passphrase is wrong; type it again (it cannot be recovered)"
        ) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise SigningError("the signing authority's key is not an RSA key; create the authority again")
    return key


@dataclass(frozen=True)
class Person:
    """Who a certificate is for: the name and role printed on what they sign."""

    full_name: str
    role: str
    username: str
    organisation: str


def issue(
    ca_key: PrivateKey, ca_cert: x509.Certificate, person: Person, now: datetime
) -> tuple[PrivateKey, x509.Certificate]:
    """A signing certificate for ``person``: name, role (X.509 title) and user name in the subject."""
    key = new_key()
    public = key.public_key()
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, person.full_name),
            x509.NameAttribute(NameOID.TITLE, person.role),
            x509.NameAttribute(NameOID.PSEUDONYM, person.username),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, person.organisation),
        ]
    )
    ca_ski = ca_cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca_cert.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(min(now + timedelta(days=365 * PERSON_YEARS), ca_cert.not_valid_after_utc))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    return key, cert


def pack_pkcs12(
    key: PrivateKey, cert: x509.Certificate, chain: list[x509.Certificate], password: str, label: str
) -> bytes:
    """A PKCS#12 holding the key, its certificate and the chain, locked by ``password``."""
    encryption = (
        serialization.PrivateFormat.PKCS12.encryption_builder()
        .kdf_rounds(PKCS12_ROUNDS)
        .key_cert_algorithm(pkcs12.PBES.PBESv2SHA256AndAES256CBC)
        .hmac_hash(hashes.SHA256())
        .build(check_secret(password, "signing password"))
    )
    return pkcs12.serialize_key_and_certificates(label.encode("utf-8"), key, cert, chain, encryption)


def reseal_pkcs12(data: bytes, old_password: str, new_password: str) -> bytes:
    """The same key, certificate, chain and label, locked by ``new_password`` instead of the old one
    (raises :class:`WrongPassword` if ``old_password`` does not open ``data``)."""
    bundle = open_pkcs12(data, old_password)
    if not isinstance(bundle.key, rsa.RSAPrivateKey) or bundle.cert is None:
        raise SigningError("this signing key is of a kind ehdesk cannot re-seal; ask an admin for a new one")
    label = (bundle.cert.friendly_name or b"").decode("utf-8", "replace")
    chain = [c.certificate for c in bundle.additional_certs]
    return pack_pkcs12(bundle.key, bundle.cert.certificate, chain, new_password, label)


def open_pkcs12(data: bytes, password: str) -> pkcs12.PKCS12KeyAndCertificates:
    """The key and certificates inside ``data``; a wrong password says so (and that it is not recoverable)."""
    try:
        bundle = pkcs12.load_pkcs12(data, password.encode("utf-8"))
    except ValueError:
        raise WrongPassword(
            "that password does not open this signing key; try again, or ask an admin for a new "
            "certificate if the password is lost (a lost password cannot be recovered)"
        ) from None
    if bundle.key is None or bundle.cert is None:
        raise SigningError("the PKCS#12 file holds no key and certificate pair; export it again with both")
    return bundle
