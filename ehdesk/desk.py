"""The one door to the core for every front end (in the spirit of Anki's ``Collection``).

A :class:`Desk` owns the database, the policy pack the user works under, the clock and — after login —
the acting user. Each method is one use case in one unit of work and returns plain data, so neither the
GUI nor the CLI ever holds a session or a database object, and every permission check, validation rule
and audit event stays in the services behind it.

The casefile forms (share, objection, decline, privacy notice, decision …) are served by five generic
methods keyed by form ID (:meth:`check_record`, :meth:`create_record`, :meth:`amend_record`,
:meth:`get_record`, :meth:`list_records`); a new form needs a spec entry, not a new method.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from ehdesk import clock
from ehdesk.errors import EhdeskError
from ehdesk.forms.model import ValidationResult
from ehdesk.policy.pack import PolicyPack
from ehdesk.services import casefile
from ehdesk.services.actor import Actor
from ehdesk.services.casefile import RecordView
from ehdesk.services.specs import SPECS, RecordSpec, get_spec
from ehdesk.storage.database import Database


class NotLoggedIn(EhdeskError):
    """A use case that needs a user was asked for before anyone logged in."""


class Desk:
    """Database + policy pack + clock + acting user; one method per use case."""

    def __init__(
        self,
        db: Database,
        policy: PolicyPack,
        *,
        today: Callable[[], date] = clock.today,
        specs: Mapping[str, RecordSpec] = SPECS,
    ) -> None:
        self.db = db
        self.policy = policy
        self.today = today
        self.specs = specs
        self.actor: Actor | None = None

    # units of work ---------------------------------------------------------------------------------
    def _actor(self) -> Actor:
        if self.actor is None:
            raise NotLoggedIn("log in first: this needs to know who is acting")
        return self.actor

    @contextmanager
    def _write(self) -> Iterator[tuple[Session, Actor]]:
        actor = self._actor()
        with self.db.session() as session:
            yield session, actor

    @contextmanager
    def _read(self) -> Iterator[tuple[Session, Actor]]:
        actor = self._actor()
        with self.db.read() as session:
            yield session, actor

    def spec(self, form_id: str) -> RecordSpec:
        return get_spec(form_id, self.specs)

    @property
    def casefile_forms(self) -> tuple[str, ...]:
        return tuple(self.specs)

    # casefile records --------------------------------------------------------------------------------
    def check_record(
        self,
        form_id: str,
        family_id: int,
        values: Mapping[str, Any],
        *,
        carried: Mapping[str, Any] | None = None,
    ) -> ValidationResult:
        with self._read() as (session, actor):
            return casefile.check(
                session, actor, self.spec(form_id), family_id, values, policy=self.policy, carried=carried
            )

    def create_record(
        self,
        form_id: str,
        family_id: int,
        values: Mapping[str, Any],
        *,
        carried: Mapping[str, Any] | None = None,
        confirmed_warnings: bool = False,
    ) -> RecordView:
        spec = self.spec(form_id)
        with self._write() as (session, actor):
            record = casefile.create(
                session,
                actor,
                spec,
                family_id,
                values,
                policy=self.policy,
                carried=carried,
                confirmed_warnings=confirmed_warnings,
            )
            return casefile.get(session, actor, spec, record.id)

    def amend_record(
        self,
        form_id: str,
        record_id: int,
        values: Mapping[str, Any],
        *,
        version: int,
        carried: Mapping[str, Any] | None = None,
        confirmed_warnings: bool = False,
    ) -> RecordView:
        spec = self.spec(form_id)
        with self._write() as (session, actor):
            record = casefile.amend(
                session,
                actor,
                spec,
                record_id,
                values,
                version=version,
                policy=self.policy,
                carried=carried,
                confirmed_warnings=confirmed_warnings,
            )
            return casefile.get(session, actor, spec, record.id)

    def get_record(self, form_id: str, record_id: int) -> RecordView:
        with self._read() as (session, actor):
            return casefile.get(session, actor, self.spec(form_id), record_id)

    def list_records(self, form_id: str, family_id: int) -> list[RecordView]:
        with self._read() as (session, actor):
            return casefile.list_for_family(session, actor, self.spec(form_id), family_id)
