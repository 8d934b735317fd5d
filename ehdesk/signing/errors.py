"""What can go wrong with signing, each saying what to do next."""

from __future__ import annotations

from ehdesk.errors import EhdeskError


class SigningError(EhdeskError):
    """A document could not be signed, or an identity could not be made or used."""


class WrongPassword(SigningError):
    """The password does not open the key. Nothing can recover a lost one; a new certificate can."""


class NoSigningAuthority(SigningError):
    """``ehdesk init`` has not created the authority's signing CA in this database."""


class NotAPdf(EhdeskError):
    """The file given to verify is not a PDF at all."""

    exit_code = 2
