"""The acting user as a plain value, safe to hold in the GUI after the session that loaded it closed.

An :class:`Actor` is a snapshot taken at log-in. A session can stay open all day, so before each unit of
work the front end asks :func:`current` for the user's row as it is now (one primary-key read): a user
deactivated since log-in is refused at their next action, and one whose role changed acts with the new
role from then on (a demoted manager stops allocating at once).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ehdesk.domain import Role
from ehdesk.errors import PermissionDenied
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


class AccountDeactivated(PermissionDenied):
    """The logged-in user's account was deactivated (or removed) since they logged in."""


def current(session: Session, actor: Actor) -> Actor:
    """``actor`` as their row says now: refused if deactivated, with the new role if it changed.

    Reads only the columns that matter, by primary key, without loading a :class:`User` into the
    session (a caller's later flush must not see a stale copy of it).
    """
    if actor.id is None:
        return actor  # the set-up actor has no row
    row = session.execute(
        select(User.active, User.role, User.full_name).where(User.id == actor.id)
    ).one_or_none()
    if row is None or not row.active:
        raise AccountDeactivated(
            f"the account {actor.username} has been deactivated since you logged in, so nothing more can "
            "be done with it; close ehdesk, and ask an admin if you still need access"
        )
    role = Role(row.role)
    if role is actor.role and row.full_name == actor.full_name:
        return actor
    return Actor(id=actor.id, username=actor.username, full_name=row.full_name, role=role)
