"""Signing identities and PAdES signatures (pyHanko), Qt-free.

- :mod:`~ehdesk.signing.authority`: the authority's local signing CA, made by ``ehdesk init``.
- :mod:`~ehdesk.signing.identities`: each person's certificate and password-locked PKCS#12.
- :mod:`~ehdesk.signing.sign`: :func:`unlock` once per sign-off session, then sign many records;
  :func:`sign_pdf` for a single one.
- :mod:`~ehdesk.signing.verify`: signer, role, time, integrity, trust and the audit hash carried.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ehdesk.lazy import lazy_names

if TYPE_CHECKING:
    from ehdesk.signing.appearance import SignatureAppearance
    from ehdesk.signing.sign import UnlockedSigner, sign_pdf, unlock
    from ehdesk.signing.verify import SignatureReport, verify_pdf

__all__ = ["SignatureAppearance", "SignatureReport", "UnlockedSigner", "sign_pdf", "unlock", "verify_pdf"]

# imported on first use: importing ``ehdesk.signing.errors`` — which a screen does to catch a wrong
# password — must not bring in reportlab, cryptography and pyHanko, which only signing and verifying need
__getattr__ = lazy_names(
    __name__,
    {
        "SignatureAppearance": "ehdesk.signing.appearance",
        "UnlockedSigner": "ehdesk.signing.sign",
        "sign_pdf": "ehdesk.signing.sign",
        "unlock": "ehdesk.signing.sign",
        "SignatureReport": "ehdesk.signing.verify",
        "verify_pdf": "ehdesk.signing.verify",
    },
)
