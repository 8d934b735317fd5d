"""Optimistic locking for every editable record.

A caller that shows a record to a user remembers its ``version``; the save passes it back. If someone
else saved in between, the versions differ and the save is refused with :class:`ConflictError` instead of
silently overwriting their work. SQLAlchemy's ``version_id_col`` closes the remaining gap (two saves
racing between the check and the UPDATE): every writing session turns its ``StaleDataError`` into a
ConflictError at any flush (:class:`ehdesk.storage.database.ConflictAwareSession`);
:func:`flush_or_conflict` only adds which record it was.
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from ehdesk.errors import ConflictError
from ehdesk.storage.models import Versioned


def _describe(record: Versioned) -> str:
    name = type(record).__name__.lower()
    ident = getattr(record, "reference", None) or getattr(record, "id", "?")
    return f"{name} {ident}"


def expect_version(record: Versioned, expected: int) -> None:
    if record.version != expected:
        raise ConflictError(
            f"{_describe(record)} was changed by someone else after you opened it "
            f"(version {expected} → {record.version}); reload it and make your change again"
        )


def flush_or_conflict(session: Session, record: Versioned) -> None:
    what = _describe(record)  # read now: after a failed flush the record's attributes are unusable
    try:
        session.flush()
    except (StaleDataError, ConflictError) as exc:
        raise ConflictError(
            f"{what} was changed by someone else while you were saving; reload it and try again"
        ) from exc
