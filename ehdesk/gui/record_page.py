"""The page for any casefile form: a new record, or one already stored opened to correct it.

Everything form-specific comes from the form's spec (``ehdesk.services.specs``) through the Desk: the
definition the page renders, the rules its check runs, the service its save goes through. So a new
casefile form gets this page with no code of its own. The family's people fill the person pickers and
the policy pack's agencies the agency pickers.

A stored record opens read-only when the user could not save it anyway: it is signed (locked; changes
after signing are addenda, G19–G20) or it was written by someone else (its author corrects it; others
add a record of their own). The service refuses both regardless; the page says so before any typing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from ehdesk.forms.model import ValidationResult
from ehdesk.gui.backend import Backend
from ehdesk.gui.form_page import FormPage, new_draft_key
from ehdesk.gui.formview import FormEnvironment
from ehdesk.services.casefile import RecordView


class RecordPage(FormPage):
    """One casefile record of ``form_id`` on the family ``family_id``: new, or ``record`` to amend.

    ``carried`` holds what the record needs beside the form (a decision's subject)."""

    def __init__(
        self,
        backend: Backend,
        form_id: str,
        family_id: int,
        *,
        record: RecordView | None = None,
        carried: Mapping[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        spec = backend.spec(form_id)
        env = FormEnvironment(
            agencies=backend.agencies,
            people=backend.family_people(family_id),
            adults=backend.family_adults(family_id),
            policy_text=backend.policy_text,
        )
        opened: list[RecordView | None] = [record]  # the record being amended, once there is one

        def check(values: dict[str, Any]) -> ValidationResult:
            return backend.check_record(form_id, family_id, values, carried=carried)

        def store(values: dict[str, Any], confirmed: bool) -> RecordView:
            current = opened[0]
            if current is None:
                return backend.create_record(
                    form_id, family_id, values, carried=carried, confirmed_warnings=confirmed
                )
            return backend.amend_record(
                form_id,
                current.id,
                values,
                version=current.version,
                carried=carried,
                confirmed_warnings=confirmed,
            )

        key = f"{form_id}-{record.id}" if record is not None else new_draft_key()
        super().__init__(
            backend, spec.definition, env, check=check, store=store, draft_key=key, parent=parent
        )
        self._opened = opened
        self.family_id = family_id
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setContentsMargins(8, 4, 8, 4)
        self.notice.hide()
        self.column.insertWidget(0, self.notice)
        self.read_only_reason = ""
        if record is not None:
            self.view.set_values(record.values)
            self.view.mark_clean()
            self._set_read_only(self._why_read_only(backend, record))
        self.view.focus_first()

    @property
    def record(self) -> RecordView | None:
        """The stored record this page edits (``None`` until a new one is first saved)."""
        return self._opened[0]

    @staticmethod
    def _why_read_only(backend: Backend, record: RecordView) -> str:
        if record.locked:
            return "This record is signed and can no longer change; add an addendum instead."
        author_only = backend.spec(record.form_id).author_amends
        if author_only and backend.actor is not None and record.created_by_id != backend.actor.id:
            return f"Written by {record.created_by or 'someone else'}: only they can correct it."
        return ""

    def _set_read_only(self, reason: str) -> None:
        self.read_only_reason = reason
        self.notice.setText(reason)
        self.notice.setVisible(bool(reason))
        content = self.view.scroll_area.widget()
        if content is not None:
            content.setEnabled(not reason)

    @property
    def read_only(self) -> bool:
        return bool(self.read_only_reason)

    def save(self) -> bool:
        if self.read_only:
            self.message.emit(f"Not saved: {self.read_only_reason}")
            return False
        return super().save()

    def after_store(self, stored: Any) -> None:
        """Saved once, the page now edits that record: a second save corrects it, version and all."""
        self._opened[0] = stored
        self.drafts.key = f"{stored.form_id}-{stored.id}"
