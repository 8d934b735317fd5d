"""Enumerations that are stored as text, so the database stays readable with the sqlite3 shell."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    WORKER = "worker"
    MANAGER = "manager"

    @property
    def title(self) -> str:  # type: ignore[override]
        return {"admin": "Admin team", "worker": "Family worker", "manager": "Manager"}[self.value]


class PersonKind(StrEnum):
    CHILD = "child"
    CARER = "carer"


class FamilyStatus(StrEnum):
    """Where a family is in the service; stored as text, shown by its label."""

    REFERRED = "referred"
    ALLOCATED = "allocated"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"referred": "Referred", "allocated": "Allocated", "closed": "Closed"}[self.value]

    @classmethod
    def label_for(cls, value: str) -> str:
        """The label for a stored value; an unknown value is shown as stored rather than hidden."""
        try:
            return cls(value).label
        except ValueError:
            return value
