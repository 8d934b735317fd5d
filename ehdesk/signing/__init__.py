"""Signing identities and PAdES signatures (pyHanko), Qt-free.

- :mod:`~ehdesk.signing.authority`: the authority's local signing CA, made by ``ehdesk init``.
- :mod:`~ehdesk.signing.identities`: each person's certificate and password-locked PKCS#12.
- :mod:`~ehdesk.signing.sign`: :func:`unlock` once per sign-off session, then sign many records;
  :func:`sign_pdf` for a single one.
- :mod:`~ehdesk.signing.verify`: signer, role, time, integrity, trust and the audit hash carried.
"""

from __future__ import annotations

from ehdesk.signing.appearance import SignatureAppearance
from ehdesk.signing.sign import UnlockedSigner, sign_pdf, unlock
from ehdesk.signing.verify import SignatureReport, verify_pdf

__all__ = ["SignatureAppearance", "SignatureReport", "UnlockedSigner", "sign_pdf", "unlock", "verify_pdf"]
