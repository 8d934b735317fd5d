"""Keying in a referral: the form, the save flow (check, duplicates, warnings, store) and its draft.

Saving is a short conversation, and each step keeps what was typed: problems are shown beside their
fields; a likely duplicate asks before a second record is made; warnings ask to be confirmed. Dialogs
are opened window-modal with ``open()`` and continue in their ``finished`` handler, so the event loop
keeps running (and tests can answer them) rather than blocking in ``exec()``.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QVBoxLayout, QWidget

from ehdesk.errors import EhdeskError, NeedsConfirmation, ValidationFailed
from ehdesk.forms.model import FormDefinition, ValidationResult
from ehdesk.gui.backend import Backend
from ehdesk.gui.drafts import DraftSaver
from ehdesk.gui.duplicates import DuplicateChoice, DuplicateDialog
from ehdesk.gui.formview import FormEnvironment, FormView

FORM_ID = "referral"
FOCUS_KEY = "_focus"  # in a draft: the field the cursor was in, so a restore puts it back there


def new_referral_defaults(today: date | None = None) -> dict[str, Any]:
    """What a new referral holds before anything is typed (documented in the user guide): the date
    received is today, as most paper is keyed the day it arrives. Nothing else is filled in."""
    return {"received_on": (today or date.today()).isoformat()}


def new_draft_key() -> str:
    return f"new-{uuid4().hex[:12]}"


class ReferralPage(QWidget):
    """One referral being keyed in.

    ``saved`` fires with the :class:`SavedReferral`; ``message`` feeds the status bar.
    """

    saved = Signal(object)
    message = Signal(str)
    open_family_requested = Signal(int)

    def __init__(self, backend: Backend, form: FormDefinition, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        env = FormEnvironment(agencies=backend.agencies, policy_text=backend.policy_text)
        self.view = FormView(form, env, validator=backend.check_referral)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.drafts = DraftSaver(backend, form.id, self.draft_snapshot, key=new_draft_key(), parent=self)
        self.drafts.failed.connect(self.message)
        self.view.changed.connect(self.drafts.schedule)
        self.pending_dialog: QDialog | None = None
        self._start_next = False

    # entry points --------------------------------------------------------------------------------------
    def start_new(self) -> None:
        """An empty form with the cursor in its first field (the current draft, if any, is dropped).

        Empty means empty: every field, every child and carer is new, holding only the defaults of
        :func:`new_referral_defaults`, whatever was saved, discarded or restored before. Each new
        referral gets its own draft key, so a draft left from a crash and put off with "Decide
        later" is not overwritten by the next referral typed.
        """
        self.drafts.discard()
        self.drafts.key = new_draft_key()
        self.view.clear(new_referral_defaults())
        self.view.focus_first()

    def draft_snapshot(self) -> dict[str, Any]:
        """Everything typed, and where the cursor is."""
        snapshot = self.view.raw_values()
        focus = self.view.focused_path()
        if focus is not None:
            snapshot[FOCUS_KEY] = focus
        return snapshot

    def restore(self, data: dict[str, Any], *, key: str) -> None:
        """Put a recovered draft back, cursor where it was; it stays unsaved work (dirty) until saved
        or discarded. The form is cleared first, so only the draft's values are on screen."""
        self.drafts.discard()
        self.drafts.key = key
        values = {name: value for name, value in data.items() if name != FOCUS_KEY}
        self.view.clear()
        self.view.set_values(values)
        self.view.mark_dirty()
        focus = data.get(FOCUS_KEY)
        if isinstance(focus, str) and self.view.row_for(focus) is not None:
            self.view.focus_path(focus, select=False)
        else:
            self.view.focus_first()

    @property
    def dirty(self) -> bool:
        return self.view.dirty

    def save(self, *, start_next: bool = False) -> bool:
        """Check and store the referral. True if it was stored straight away (no question to answer)."""
        if self.pending_dialog is not None:
            return False
        self._start_next = start_next
        values = self.view.values()
        result = self.view.validate()
        if result is None:
            result = self.backend.check_referral(values)
        if not result.ok:
            self._refused(result)
            return False
        try:
            candidates = self.backend.find_duplicates(values)
        except EhdeskError as error:
            self._error(error)
            return False
        if candidates:
            dialog = DuplicateDialog(candidates, self)
            dialog.finished.connect(lambda code: self._after_duplicates(dialog, code, result))
            self._open(dialog)
            return False
        return self._confirm_then_store(result)

    def discard(self) -> None:
        """Throw away what is typed (the caller has asked the user)."""
        self.start_new()
        self.message.emit("Referral discarded")

    # the steps of a save -------------------------------------------------------------------------------
    def _open(self, dialog: QDialog) -> None:
        self.pending_dialog = dialog
        dialog.finished.connect(self._dialog_closed)
        dialog.open()

    def _dialog_closed(self) -> None:
        self.pending_dialog = None

    def _refused(self, result: ValidationResult) -> None:
        self.view.show_problems(result.problems)
        self.view.start_live_validation()
        self.view.focus_first_problem()
        count = len(result.errors)
        self.message.emit(f"Not saved: {count} problem{'s' if count != 1 else ''} to fix (see the list)")

    def _after_duplicates(self, dialog: DuplicateDialog, code: int, result: ValidationResult) -> None:
        chosen = dialog.selected()
        if code == DuplicateChoice.CONTINUE:
            self._confirm_then_store(result)
        elif code == DuplicateChoice.ADD_TO_EXISTING and chosen is not None:
            self._confirm_then_store(result, family_id=chosen.family_id)
        elif code == DuplicateChoice.OPEN_EXISTING and chosen is not None:
            self.message.emit(f"Referral kept as a draft; showing family {chosen.family_reference}")
            self.open_family_requested.emit(chosen.family_id)
        else:
            self.view.focus_first()

    def _confirm_then_store(self, result: ValidationResult, family_id: int | None = None) -> bool:
        if not result.warnings:
            return self._store(confirmed=False, family_id=family_id)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Check before saving",
            "Please check:\n\n" + "\n".join(f"• {p.cited_message}" for p in result.warnings),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            self,
        )
        save = box.button(QMessageBox.StandardButton.Save)
        if save is not None:
            save.setText("&Save anyway")
        # only warnings are left, each already explained: one keystroke (Enter) saves, Escape goes back
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda code: self._after_warnings(code, family_id))
        self._open(box)
        return False

    def _after_warnings(self, code: int, family_id: int | None) -> None:
        if code == QMessageBox.StandardButton.Save:
            self._store(confirmed=True, family_id=family_id)
        else:
            self.view.focus_first_problem()

    def _store(self, *, confirmed: bool, family_id: int | None) -> bool:
        try:
            stored = self.backend.create_referral(
                self.view.values(), confirmed_warnings=confirmed, family_id=family_id
            )
        except ValidationFailed as refused:
            self._refused(refused.result)
            return False
        except NeedsConfirmation as asked:
            self._confirm_then_store(asked.result, family_id)
            return False
        except EhdeskError as error:
            self._error(error)
            return False
        self.drafts.discard()
        self.view.show_problems([])
        self.view.mark_clean()
        self.message.emit(f"Saved: referral for family {stored.family_reference}")
        self.saved.emit(stored)
        if self._start_next:
            self.start_new()
        return True

    def _error(self, error: EhdeskError) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Critical, "Not saved", str(error), QMessageBox.StandardButton.Ok, self
        )
        self._open(box)
