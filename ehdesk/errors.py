"""Errors a user can act on. Each message says what happened and what to do next.

The CLI prints ``str(error)`` as one line and exits non-zero; the GUI shows it in a message box.
Anything that is not an :class:`EhdeskError` is a bug and is reported as such.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ehdesk.forms.model import ValidationResult


class EhdeskError(Exception):
    """Base of every error meant for the user."""

    exit_code = 1


class ConfigError(EhdeskError):
    """A setting (database URL, policy pack, data directory) cannot be used."""

    exit_code = 2


class StorageError(EhdeskError):
    """The database could not do what was asked (busy, unreachable, refused)."""


class PermissionDenied(EhdeskError):
    """The acting user's role (or allocation) does not allow this."""


class NotFound(EhdeskError):
    """The record asked for does not exist (or was deleted)."""


class ConflictError(EhdeskError):
    """Someone else saved this record after it was opened (optimistic locking)."""


class LoginFailed(EhdeskError):
    """Wrong user name or password."""


class AccountLocked(EhdeskError):
    """Too many failed logins; the account is locked for a while. The log-in refuses it with the same
    message as a wrong name or password, so nobody trying names can tell a locked (real) account from
    an unknown one; the type is for callers that already know who is logged in (signing)."""


class RecordLocked(EhdeskError):
    """The record was signed and can no longer change; add an addendum instead."""


class ValidationFailed(EhdeskError):
    """A save was refused by the form's rules; ``result`` holds every problem and what was typed."""

    def __init__(self, result: ValidationResult, message: str | None = None) -> None:
        self.result = result
        count = len(result.errors)
        first = result.errors[0].line() if result.errors else ""
        text = message or (
            f"{count} problem{'s' if count != 1 else ''} must be fixed before saving (first: {first})"
        )
        super().__init__(text)


class NeedsConfirmation(EhdeskError):
    """Only warnings stand in the way; the user must confirm them before the save goes ahead."""

    def __init__(self, result: ValidationResult) -> None:
        self.result = result
        count = len(result.warnings)
        super().__init__(f"{count} warning{'s' if count != 1 else ''} to confirm before saving")


class DatabaseDamaged(StorageError):
    """SQLite's integrity check found the database file damaged (a disk fault, or editing of the file)."""
