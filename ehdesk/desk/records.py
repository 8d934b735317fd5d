"""Casefile records, any form: the five generic use cases keyed by form ID (a new casefile form needs a
spec entry in ``ehdesk.services.specs``, not a new method here)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ehdesk.desk.base import DeskBase
from ehdesk.forms.model import ValidationResult
from ehdesk.services import casefile
from ehdesk.services.casefile import RecordView


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
