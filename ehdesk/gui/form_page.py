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
from ehdesk.forms.model import FormDefinition, Problem, ValidationResult
from ehdesk.gui.backend import Backend
from ehdesk.gui.drafts import DraftSaver
from ehdesk.gui.formview import FormEnvironment, FormView

Check = Callable[[dict[str, Any]], ValidationResult]
#: Stores the values (``confirmed``: the user accepted the warnings; keyword arguments are what a form's
#: own steps add, e.g. the family a referral joins); returns what was stored.
Store = Callable[..., Any]
FOCUS_KEY = "_focus"  # in a draft: the field the cursor was in, so a restore puts it back there


def not_saved_text(count: int) -> str:
    return f"Not saved: {count} problem{'s' if count != 1 else ''} to fix (see the list)"


def new_draft_key() -> str:
    return f"new-{uuid4().hex[:12]}"


def title_in_sentence(title: str) -> str:
    """A form's title inside a sentence: its first letter small unless the first word is an
    abbreviation ("Referral" → "referral", "Family declined Early Help" → "family declined Early Help")."""
    first = title.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return title
    return title[:1].lower() + title[1:]


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
        self.column = QVBoxLayout(self)  # a form's own notes go above the view
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.addWidget(self.view)
        self.backend = backend
        self.drafts = DraftSaver(
            backend, form.id, self.draft_snapshot, key=draft_key or new_draft_key(), parent=self
        )
        self.drafts.failed.connect(self.message)
        self.view.changed.connect(self.drafts.schedule)
        self.view.changed.connect(self._edited)
        self.view.revalidated.connect(self._live_status)
        self.pending_dialog: QDialog | None = None
        #: what the last save stored, while the form still shows exactly that (see :meth:`save`)
        self.last_stored: Any = None

    # entry points --------------------------------------------------------------------------------------
    def defaults(self) -> dict[str, Any]:
        """What a new record holds before anything is typed (none unless a form says otherwise)."""
        return {}

    def start_new(self, values: Mapping[str, Any] | None = None) -> None:
        """An empty form (only :meth:`defaults`, or ``values`` over them) with the cursor in its first
        field. The current draft is dropped and the new record gets a draft key of its own, so a draft
        left from a crash and put off with "Decide later" is not overwritten by the next record typed."""
        self.drafts.discard()
        self.drafts.key = new_draft_key()
        self.last_stored = None
        self.view.clear({**self.defaults(), **(values or {})})
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
        self.last_stored = None
        self.view.clear()
        self.view.set_values({name: value for name, value in data.items() if name != FOCUS_KEY})
        self.view.mark_dirty()
        focus = data.get(FOCUS_KEY)
        if isinstance(focus, str) and self.view.row_for(focus) is not None:
            self.view.focus_path(focus, select=False)
        else:
            self.view.focus_first()

    def discard(self) -> None:
        """Throw away what is typed (the caller has asked the user)."""
        self.start_new()
        self.message.emit(f"{self.noun[:1].upper()}{self.noun[1:]} discarded")

    @property
    def noun(self) -> str:
        """What the status bar calls one record of this form, mid-sentence: the title with only its first
        letter made small, so names in it keep their capitals ("family declined Early Help")."""
        return title_in_sentence(self.form.title)

    @property
    def dirty(self) -> bool:
        return self.view.dirty

    def save(self) -> bool:
        """Check and store. True if it was stored straight away (no question to answer)."""
        if self.pending_dialog is not None:
            return False
        if self.last_stored is not None and not self.dirty:
            again = self.already_saved(self.last_stored)
            if again is not None:
                self.message.emit(again)
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
        return f"Saved: {self.form.title}"

    def already_saved(self, stored: Any) -> str | None:
        """What a second save of unchanged, saved typing says instead of storing it again; ``None``
        lets it save again (a form whose second save only amends its own record). The referral page
        refuses: a second store would make a second family, and the duplicate check would flag the
        family it had just made."""
        return None

    def _edited(self) -> None:
        self.last_stored = None  # the typing differs from what was stored: saving it is new work

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
        self.message.emit(not_saved_text(len(result.errors)))

    def _live_status(self) -> None:
        """After a refusal the status line follows the problem list as things are fixed, rather than
        keep a count the list no longer shows."""
        count = len(self.view.errors())
        if count:
            self.message.emit(not_saved_text(count))
        else:
            self.message.emit(f"Nothing left to fix: save the {self.noun} again (Ctrl+S)")

    def confirm_then_store(self, result: ValidationResult, **store_args: Any) -> bool:
        if not result.warnings:
            return self._store(confirmed=False, **store_args)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Check before saving",
            "Please check:\n\n" + "\n".join(f"• {self._labelled(p)}" for p in result.warnings),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            self,
        )
        save = box.button(QMessageBox.StandardButton.Save)
        if save is not None:
            save.setText("&Save anyway")
        # only warnings are left, each already explained: one keystroke (Enter) saves, Escape goes back
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda code: self._after_warnings(code, store_args))
        self.open_dialog(box)
        return False

    def _labelled(self, problem: Problem) -> str:
        """ "Carer 1: Phone: This number …": a warning says which field it is about."""
        label = self.view.label_for(problem.path) if problem.path else ""
        if not label:
            return problem.cited_message
        separator = " " if label.endswith(("?", ":")) else ": "
        return f"{label}{separator}{problem.cited_message}"

    def _after_warnings(self, code: int, store_args: dict[str, Any]) -> None:
        if code == QMessageBox.StandardButton.Save:
            self._store(confirmed=True, **store_args)
        else:
            self.view.focus_first_problem()

    def _store(self, *, confirmed: bool, **store_args: Any) -> bool:
        try:
            stored = self.store(self.view.values(), confirmed, **store_args)
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
        self.view.stop_live_validation()
        self.view.mark_clean()
        self.last_stored = stored
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
