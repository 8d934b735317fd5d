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
