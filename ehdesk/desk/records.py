"""Casefile records, any form: the five generic use cases keyed by form ID (a new casefile form needs a
spec entry in ``ehdesk.services.specs``, not a new method here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from ehdesk.desk.base import DeskBase
from ehdesk.forms.model import ValidationResult
from ehdesk.policy import PolicyPack
from ehdesk.services import casefile
from ehdesk.services.actor import Actor
from ehdesk.services.casefile import RecordView
from ehdesk.services.specs import RecordSpec


def create_and_show(
    session: Session,
    actor: Actor,
    spec: RecordSpec,
    family_id: int,
    values: Mapping[str, Any],
    *,
    policy: PolicyPack,
    carried: Mapping[str, Any] | None,
    confirmed_warnings: bool,
) -> RecordView:
    """Store a new record and read it back as a page shows it, in the caller's unit of work: the end
    of every create, the generic one here and a manager's decision (which checks its queue first)."""
    record = casefile.create(
        session,
        actor,
        spec,
        family_id,
        values,
        policy=policy,
        carried=carried,
        confirmed_warnings=confirmed_warnings,
    )
    return casefile.get(session, actor, spec, record.id)


class RecordsDesk(DeskBase):
    """Check, create, amend, read and list any casefile form's records."""

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
        with self._write() as (session, actor):
            return create_and_show(
                session,
                actor,
                self.spec(form_id),
                family_id,
                values,
                policy=self.policy,
                carried=carried,
                confirmed_warnings=confirmed_warnings,
            )

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
