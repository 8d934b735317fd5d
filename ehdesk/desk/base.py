"""The base of the Desk facade: the database, the policy pack, the clock, the acting user and the units
of work every use case runs in.

The use cases themselves are grouped by who uses them in sibling modules (records, worker, manager …),
each a mixin on :class:`DeskBase`; :class:`ehdesk.desk.Desk` puts them together. Splitting by area keeps
each module small and lets the areas grow apart without one file every change touches.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from ehdesk import clock
from ehdesk.errors import PermissionDenied
from ehdesk.policy.pack import PolicyPack
from ehdesk.services.actor import Actor
from ehdesk.services.actor import current as current_actor
from ehdesk.storage.database import Database

if TYPE_CHECKING:
    from ehdesk.services.specs import RecordSpec


class NotLoggedIn(PermissionDenied):
    """A use case that needs a user was asked for before anyone logged in (nobody may act unnamed)."""


class DeskBase:
    """Database + policy pack + clock + acting user, and the units of work use cases run in."""

    def __init__(
        self,
        db: Database,
        policy: PolicyPack,
        *,
        actor: Actor | None = None,
        today: Callable[[], date] = clock.today,
        specs: Mapping[str, RecordSpec] | None = None,
    ) -> None:
        self.db = db
        self.policy = policy
        self.today = today
        self._specs = specs
        self.actor: Actor | None = actor

    @property
    def specs(self) -> Mapping[str, RecordSpec]:
        """The casefile forms' specs: the built-in ones unless others were given. Looked up on first use,
        because they import every form definition and logging in needs none (start-up, issue 18)."""
        if self._specs is None:
            from ehdesk.services.specs import SPECS

            self._specs = SPECS
        return self._specs

    def _actor(self) -> Actor:
        if self.actor is None:
            raise NotLoggedIn("log in first: this needs to know who is acting")
        return self.actor

    @contextmanager
    def _write(self) -> Iterator[tuple[Session, Actor]]:
        """A writing unit of work, acting as the user's row says now: a deactivated user is refused at
        their next action, a demoted one acts with their new role (one primary-key read)."""
        actor = self._actor()
        with self.db.session() as session:
            self.actor = actor = current_actor(session, actor)
            yield session, actor

    @contextmanager
    def _read(self) -> Iterator[tuple[Session, Actor]]:
        """A read-only unit of work that never waits for writers; the actor is re-read as for writes."""
        actor = self._actor()
        with self.db.read() as session:
            self.actor = actor = current_actor(session, actor)
            yield session, actor

    def spec(self, form_id: str) -> RecordSpec:
        from ehdesk.services.specs import get_spec

        return get_spec(form_id, self.specs)

    @property
    def casefile_forms(self) -> tuple[str, ...]:
        return tuple(self.specs)
