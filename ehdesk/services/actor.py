"""The acting user as a plain value, safe to hold in the GUI after the session that loaded it closed."""

from __future__ import annotations

from dataclasses import dataclass

from ehdesk.domain import Role
from ehdesk.storage.models import User


@dataclass(frozen=True)
class Actor:
    id: int | None
    username: str
    full_name: str
    role: Role

    @classmethod
    def from_user(cls, user: User) -> Actor:
        return cls(id=user.id, username=user.username, full_name=user.full_name, role=Role(user.role))

    @property
    def label(self) -> str:
        return f"{self.full_name} ({self.role.title})"


SYSTEM = Actor(id=None, username="ehdesk", full_name="ehdesk", role=Role.ADMIN)
"""The actor for set-up work done before any user exists (``ehdesk init``, the first-admin dialog)."""
