"""The one place ehdesk reads the time, so tests can reason about it."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return date.today()
