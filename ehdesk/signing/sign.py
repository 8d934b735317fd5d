"""Signing a PDF as PAdES (ETSI.CAdES.detached) with a visible signature, with pyHanko.

A sign-off session unlocks the manager's key once (:func:`unlock`, the slow PKCS#12 step) and signs as
many records as it needs with the :class:`UnlockedSigner`; :func:`sign_pdf` is the one-shot form. The
audit trail's newest hash goes into the signed revision twice: in the document information (as
``/EhdeskAuditHash``, which ``verify`` reads back) and printed in the signature box, so a copy held by a
family contradicts any later rewrite of the trail.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from ehdesk.clock import utcnow
from ehdesk.documents.record import SIGNATURE_FIELD
from ehdesk.signing import keys
from ehdesk.signing.appearance import SignatureAppearance, stamp_pdf
from ehdesk.signing.errors import SigningError

FIELD_NAME = SIGNATURE_FIELD  # the empty field ehdesk.documents leaves in each record
AUDIT_KEY = "/EhdeskAuditHash"
ROLE_KEY = "/EhdeskSignerRole"
_DEFAULT_BOX = (320, 60, 570, 152)  # bottom right of the last page when a PDF has no field


class HoldsPkcs12(Protocol):
    """Anything carrying a person's locked key: a :class:`~ehdesk.storage.models.SigningIdentity`."""

    @property
    def pkcs12(self) -> bytes: ...


def _stamp_content(data: bytes) -> Any:
    """A pyHanko content object drawing page 1 of the PDF in ``data`` (pyHanko's own reads only files)."""
    import binascii
    import uuid

    from pyhanko.pdf_utils.content import PdfContent
    from pyhanko.pdf_utils.layout import BoxConstraints
    from pyhanko.pdf_utils.reader import PdfFileReader

    class _PdfPage(PdfContent):
        def render(self) -> bytes:
            xobj = self._ensure_writer.import_page_as_xobject(PdfFileReader(io.BytesIO(data)), page_ix=0)
            name = "/Stamp" + binascii.hexlify(uuid.uuid4().bytes).decode("ascii")
            self.resources.xobject[name] = xobj
            x1, y1, x2, y2 = xobj.get_object()["/BBox"]
            self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
            return name.encode("ascii") + b" Do"

    return _PdfPage()


def _empty_field_box(reader: Any) -> tuple[float, float, float, float] | None:
    """The box of the document's own empty signature field, if it has one."""
    from pyhanko.sign.fields import enumerate_sig_fields

    for name, value, ref in enumerate_sig_fields(reader, filled_status=False):
        if name != FIELD_NAME or value is not None:
            continue
        widget = ref.get_object()
        if "/Rect" not in widget and "/Kids" in widget:
            widget = widget["/Kids"][0].get_object()
        x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
        return min(x1, x2), min(y1, y2), max(x1, x2), max(y1, y2)
    return None


def _simple_signer(key: Any, cert_der: bytes, chain_der: list[bytes]) -> Any:
    """A pyHanko signer that keeps the opened key object.

    pyHanko's ``SimpleSigner`` parses (and re-validates) the private key on every signature, and signs
    twice per PDF (once to size the container): about 90 ms each time for a 2048-bit RSA key. A sign-off
    session signs many records with one key, so the parsed key is kept for the session instead.
    """
    from asn1crypto import keys as asn1_keys  # type: ignore[import-untyped]
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore
    from pyhanko_certvalidator.util import get_pyca_cryptography_hash

    class _KeptKeySigner(SimpleSigner):
        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            if mechanism == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPrivateKey):
                return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            signature: bytes = super().sign_raw(data, digest_algorithm)
            return signature

    der_key = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )  # handed to pyHanko in memory only; never written anywhere
    return _KeptKeySigner(
        signing_cert=asn1_x509.Certificate.load(cert_der),
        signing_key=asn1_keys.PrivateKeyInfo.load(der_key),
        cert_registry=SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [asn1_x509.Certificate.load(c) for c in chain_der]
        ),
    )


@dataclass
class UnlockedSigner:
    """A person's key, opened once for a sign-off session; drop it when the session ends."""

    signer: Any  # pyhanko.sign.signers.SimpleSigner
    name: str
    role: str
    fingerprint: str
    reserve: int  # bytes kept for the signature container: certificates plus room for the rest

    def sign(
        self,
        pdf: bytes,
        *,
        reason: str,
        appearance: SignatureAppearance | None = None,
        audit_hash: str = "",
        location: str = "",
        signed_at: datetime | None = None,
    ) -> bytes:
        """``pdf`` signed as PAdES over the whole file, with the visible box the document reserved."""
        from pyhanko.pdf_utils import generic, layout
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.pdf_utils.misc import PdfReadError
        from pyhanko.sign import fields, signers
        from pyhanko.stamp import StaticStampStyle

        look = appearance or SignatureAppearance(self.name, self.role)
        moment = (signed_at or utcnow()).astimezone()
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        except (PdfReadError, ValueError) as error:
            raise SigningError(
                f"the document to sign is not a readable PDF ({error}); build it again"
            ) from None
        box = _empty_field_box(writer.prev)
        info_ref = writer.trailer.raw_get("/Info")
        info = info_ref.get_object()
        info[generic.NameObject(AUDIT_KEY)] = generic.TextStringObject(audit_hash)
        info[generic.NameObject(ROLE_KEY)] = generic.TextStringObject(look.role)
        writer.mark_update(info_ref)
        spec = None
        if box is None:  # a PDF ehdesk did not build: a new field at the bottom of its last page
            x1, y1, x2, y2 = _DEFAULT_BOX
            box = (float(x1), float(y1), float(x2), float(y2))
            spec = fields.SigFieldSpec(FIELD_NAME, on_page=-1, box=_DEFAULT_BOX)
        width, height = box[2] - box[0], box[3] - box[1]
        style = StaticStampStyle(
            background=_stamp_content(stamp_pdf(look, moment, audit_hash, width, height)),
            background_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MIN,
                margins=layout.Margins(0, 0, 0, 0),
                inner_content_scaling=layout.InnerScaling.STRETCH_FILL,
            ),
            border_width=0,
            background_opacity=1.0,
        )
        meta = signers.PdfSignatureMetadata(
            field_name=FIELD_NAME,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason,
            name=look.name,
            location=location or None,
        )
        pdf_signer = signers.PdfSigner(meta, signer=self.signer, stamp_style=style, new_field_spec=spec)
        out = io.BytesIO()
        pdf_signer.sign_pdf(writer, output=out, bytes_reserved=self.reserve)
        return out.getvalue()


def unlock(identity: HoldsPkcs12, password: str) -> UnlockedSigner:
    """Open ``identity``'s PKCS#12 with the person's password (the slow step: key derivation)."""
    from cryptography.x509.oid import NameOID

    bundle: pkcs12.PKCS12KeyAndCertificates = keys.open_pkcs12(identity.pkcs12, password)
    assert bundle.key is not None
    assert bundle.cert is not None
    cert = bundle.cert.certificate
    cert_der = cert.public_bytes(serialization.Encoding.DER)
    chain_der = [c.certificate.public_bytes(serialization.Encoding.DER) for c in bundle.additional_certs]
    return UnlockedSigner(
        signer=_simple_signer(bundle.key, cert_der, chain_der),
        name=keys.attribute(cert.subject, NameOID.COMMON_NAME),
        role=keys.attribute(cert.subject, NameOID.TITLE),
        fingerprint=keys.fingerprint(cert),
        reserve=2 * (4096 + len(cert_der) + sum(len(c) for c in chain_der)),  # hex digits: even
    )


def sign_pdf(
    pdf: bytes,
    identity: HoldsPkcs12,
    password: str,
    *,
    reason: str,
    appearance: SignatureAppearance | None = None,
    audit_hash: str = "",
) -> bytes:
    """Unlock ``identity`` with ``password`` and sign ``pdf`` once (see :class:`UnlockedSigner`)."""
    return unlock(identity, password).sign(pdf, reason=reason, appearance=appearance, audit_hash=audit_hash)
