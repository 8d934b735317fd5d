"""The generic form page: any form's view, its draft, and the save flow — check, confirm warnings, store.

Every form a user fills in saves the same way, and each step keeps what was typed: problems are shown
beside their fields; warnings ask to be confirmed once (Enter confirms); a refusal from the service
(someone else saved first, the record was signed) is shown and the typing stays. What a form adds — the
referral's duplicate check — is a hook (:meth:`FormPage.before_store`), not a second copy of the flow.

Dialogs are opened window-modal with ``open()`` and continue in their ``finished`` handler, so the event
loop keeps running (and tests can answer them) rather than blocking in ``exec()``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from uuid import uuid4

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QVBoxLayout, QWidget

from ehdesk.errors import EhdeskError, NeedsConfirmation, ValidationFailed
from ehdesk.forms.model import FormDefinition, ValidationResult
from ehdesk.gui.backend import Backend
from ehdesk.gui.drafts import DraftSaver
from ehdesk.gui.formview import FormEnvironment, FormView

Check = Callable[[dict[str, Any]], ValidationResult]
#: Stores the values (``confirmed`` says the user accepted the warnings); returns what was stored.
Store = Callable[[dict[str, Any], bool], Any]


def new_draft_key() -> str:
    return f"new-{uuid4().hex[:12]}"


class FormPage(QWidget):
    """One record being filled in. ``saved`` fires with what ``store`` returned; ``message`` feeds the
    status bar."""

    saved = Signal(object)
    message = Signal(str)

    def __init__(
        self,
        backend: Backend,
        form: FormDefinition,
        env: FormEnvironment,
        *,
        check: Check,
        store: Store,
        draft_key: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = form
        self.check = check
        self.store = store
        self.view = FormView(form, env, validator=check)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.backend = backend
        self.drafts = DraftSaver(
            backend, form.id, self.view.raw_values, key=draft_key or new_draft_key(), parent=self
        )
        self.drafts.failed.connect(self.message)
        self.view.changed.connect(self.drafts.schedule)
        self.pending_dialog: QDialog | None = None

    # entry points --------------------------------------------------------------------------------------
    def start_new(self, values: Mapping[str, Any] | None = None) -> None:
        """An empty form (or one holding ``values``) with the cursor in its first field; the current
        draft is dropped and the new record gets a draft key of its own."""
        self.drafts.discard()
        self.drafts.key = new_draft_key()
        self.view.clear()
        if values:
            self.view.set_values(values)
            self.view.mark_clean()
        self.view.focus_first()

    def restore(self, data: dict[str, Any], *, key: str) -> None:
        """Put a recovered draft back; it stays unsaved work (dirty) until saved or discarded."""
        self.drafts.discard()
        self.drafts.key = key
        self.view.clear()
        self.view.set_values(data)
        self.view.mark_dirty()
        self.view.focus_first()

    @property
    def dirty(self) -> bool:
        return self.view.dirty

    def save(self) -> bool:
        """Check and store. True if it was stored straight away (no question to answer)."""
        if self.pending_dialog is not None:
            return False
        values = self.view.values()
        result = self.view.validate() or self.check(values)
        if not result.ok:
            self.refused(result)
            return False
        if self.before_store(values, result):
            return False
        return self.confirm_then_store(result)

    # hooks ---------------------------------------------------------------------------------------------
    def before_store(self, values: dict[str, Any], result: ValidationResult) -> bool:
        """A form's own step between a clean check and the store (the referral's duplicate check).
        Return True when the step took over (it calls :meth:`confirm_then_store` itself later)."""
        return False

    def describe(self, stored: Any) -> str:
        """The status-bar line after a save."""
        return f"Saved: {self.form.title.lower()}"

    # the steps of a save -------------------------------------------------------------------------------
    def open_dialog(self, dialog: QDialog) -> None:
        self.pending_dialog = dialog
        dialog.finished.connect(self._dialog_closed)
        dialog.open()

    def _dialog_closed(self) -> None:
        self.pending_dialog = None

    def refused(self, result: ValidationResult) -> None:
        self.view.show_problems(result.problems)
        self.view.start_live_validation()
        self.view.focus_first_problem()
        count = len(result.errors)
        self.message.emit(f"Not saved: {count} problem{'s' if count != 1 else ''} to fix (see the list)")

    def confirm_then_store(self, result: ValidationResult, **store_args: Any) -> bool:
        if not result.warnings:
            return self._store(confirmed=False, **store_args)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Check before saving",
            "Please check:\n\n" + "\n".join(f"• {p.cited_message}" for p in result.warnings),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            self,
        )
        save = box.button(QMessageBox.StandardButton.Save)
        if save is not None:
            save.setText("Save anyway")
        box.setDefaultButton(QMessageBox.StandardButton.Save)  # one confirming keystroke: Enter saves
        box.finished.connect(lambda code: self._after_warnings(code, store_args))
        self.open_dialog(box)
        return False

    def _after_warnings(self, code: int, store_args: dict[str, Any]) -> None:
        if code == QMessageBox.StandardButton.Save:
            self._store(confirmed=True, **store_args)
        else:
            self.view.focus_first_problem()

    def store_values(self, values: dict[str, Any], confirmed: bool, **store_args: Any) -> Any:
        """Call the store; a subclass passes its extra arguments (the family a referral joins)."""
        return self.store(values, confirmed)

    def _store(self, *, confirmed: bool, **store_args: Any) -> bool:
        try:
            stored = self.store_values(self.view.values(), confirmed, **store_args)
        except ValidationFailed as refused:
            self.refused(refused.result)
            return False
        except NeedsConfirmation as asked:
            self.confirm_then_store(asked.result, **store_args)
            return False
        except EhdeskError as error:
            self.show_error(error)
            return False
        self.drafts.discard()
        self.view.show_problems([])
        self.view.mark_clean()
        self.message.emit(self.describe(stored))
        self.saved.emit(stored)
        self.after_store(stored)
        return True

    def after_store(self, stored: Any) -> None:
        """What follows a save (the referral page starts the next one when asked)."""

    def show_error(self, error: EhdeskError) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Critical, "Not saved", str(error), QMessageBox.StandardButton.Ok, self
        )
        self.open_dialog(box)
