"""Checking a signed PDF: who signed, in what role, when, whether the bytes are as signed, and whether the
certificate chains to the authority's signing CA. Nothing here touches the network or the database;
the caller passes the trust roots (``ehdesk.signing.authority.trust_roots``).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography import x509 as pyca_x509
from cryptography.hazmat.primitives import serialization

from ehdesk.signing.errors import NotAPdf
from ehdesk.signing.sign import AUDIT_KEY, ROLE_KEY


@dataclass
class SignatureReport:
    """The verdict on one PDF. ``intact`` means every byte is as signed and the signature covers the
    whole file; ``trusted`` means the certificate chains to one of the roots given."""

    signer: str = ""
    role: str = ""
    signed_at: datetime | None = None
    intact: bool = False
    trusted: bool = False
    audit_hash: str = ""
    fingerprint: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and not self.problems


def _text(value: object) -> str:
    return str(value) if value is not None else ""


def _chains(sig: Any, context: Any) -> bool:
    """Whether the signer's certificate (with the certificates the signature carries) chains to the
    context's trust roots, judged on the certificates alone, whatever the state of the signed bytes."""
    import asyncio

    from pyhanko_certvalidator import CertificateValidator
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

    validator = CertificateValidator(
        sig.signer_cert, intermediate_certs=list(sig.other_embedded_certs), validation_context=context
    )
    try:
        asyncio.run(validator.async_validate_usage(set()))  # type: ignore[no-untyped-call]
    except (PathBuildingError, PathValidationError):
        return False
    return True


def verify_pdf(data: bytes, roots: list[pyca_x509.Certificate]) -> SignatureReport:
    """Verify the last signature in ``data`` against ``roots``; raises :class:`NotAPdf` for a non-PDF."""
    from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    # pyHanko logs a full traceback for every certificate it cannot chain; the verdict says it in a line
    logging.getLogger("pyhanko").addHandler(logging.NullHandler())
    logging.getLogger("pyhanko").propagate = False
    if b"%PDF-" not in data[:1024]:
        raise NotAPdf("the file is not a PDF (it does not start with %PDF-); give the signed PDF itself")
    report = SignatureReport()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError) as error:
        report.problems.append(f"the PDF is damaged and cannot be read ({error})")
        return report
    if not signatures:
        report.problems.append("the PDF carries no signature")
        return report
    sig = signatures[-1]
    cert = sig.signer_cert
    report.signer = _text(cert.subject.native.get("common_name"))
    report.role = _text(cert.subject.native.get("title"))
    pyca_cert = pyca_x509.load_der_x509_certificate(cert.dump())
    from ehdesk.signing.keys import fingerprint

    report.fingerprint = fingerprint(pyca_cert)
    anchors = [asn1_x509.Certificate.load(r.public_bytes(serialization.Encoding.DER)) for r in roots]
    context = ValidationContext(trust_roots=anchors, allow_fetching=False, revocation_mode="soft-fail")
    try:
        status = validate_pdf_signature(sig, context)
    except Exception as error:  # pyHanko raises on some damaged signatures rather than reporting
        report.problems.append(f"the signature cannot be checked ({' '.join(str(error).split())})")
        return report
    report.signed_at = status.signer_reported_dt
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    report.intact = bool(status.intact and status.valid and whole)
    # pyHanko reports "not trusted" for any signature whose bytes fail, without looking at the chain; the
    # two questions are separate, so a changed byte says only that, and an unknown signer only that
    trusted = bool(status.trusted) if status.intact and status.valid else _chains(sig, context)
    report.trusted = trusted
    if not (status.intact and status.valid):
        report.problems.append("the bytes have changed since signing (the signature no longer matches)")
    elif not whole:
        report.problems.append(
            "content was added after signing (the signature does not cover the whole file)"
        )
    if not trusted:
        report.problems.append(
            "the certificate does not chain to this authority's signing CA (signed elsewhere, or unknown)"
        )
    if whole:
        info = reader.trailer_view.get("/Info")
        if info is not None:
            info = info.get_object()
            report.audit_hash = _text(info.get(AUDIT_KEY)) if AUDIT_KEY in info else ""
            if not report.role and ROLE_KEY in info:
                report.role = _text(info.get(ROLE_KEY))
    return report
