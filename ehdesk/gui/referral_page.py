"""Keying in a referral: the generic form page with the referral's own steps as hooks.

The save flow (check, confirm warnings, store, draft) is :class:`~ehdesk.gui.form_page.FormPage`'s.
What a referral adds: the date received starts as today; before the store, a likely duplicate asks
whether this is a family already known (G7, G15), and the answer may send the referral to that
family's casefile or open the family instead; "save and start next" empties the form after the store.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from ehdesk.errors import EhdeskError
from ehdesk.forms.model import FormDefinition, ValidationResult
from ehdesk.gui.backend import Backend, SavedReferral
from ehdesk.gui.duplicates import DuplicateChoice, DuplicateDialog
from ehdesk.gui.form_page import FOCUS_KEY, FormPage, new_draft_key
from ehdesk.gui.formview import FormEnvironment

__all__ = ["FOCUS_KEY", "FORM_ID", "ReferralPage", "new_draft_key", "new_referral_defaults"]

FORM_ID = "referral"


def new_referral_defaults(today: date | None = None) -> dict[str, Any]:
    """What a new referral holds before anything is typed (documented in the user guide): the date
    received is today, as most paper is keyed the day it arrives. Nothing else is filled in."""
    return {"received_on": (today or date.today()).isoformat()}


class ReferralPage(FormPage):
    """One referral being keyed in. ``saved`` fires with the :class:`SavedReferral`."""

    open_family_requested = Signal(int)

    def __init__(self, backend: Backend, form: FormDefinition, parent: QWidget | None = None) -> None:
        env = FormEnvironment(agencies=backend.agencies, policy_text=backend.policy_text)

        def store(values: dict[str, Any], confirmed: bool, family_id: int | None = None) -> SavedReferral:
            return backend.create_referral(values, confirmed_warnings=confirmed, family_id=family_id)

        super().__init__(backend, form, env, check=backend.check_referral, store=store, parent=parent)
        self._start_next = False

    @property
    def noun(self) -> str:
        return "referral"

    def defaults(self) -> dict[str, Any]:
        return new_referral_defaults()

    def save(self, *, start_next: bool = False) -> bool:
        """Check and store the referral (then start the next when asked). True if it was stored
        straight away, with no question to answer."""
        if self.pending_dialog is None:
            self._start_next = start_next
        if start_next and self.last_stored is not None and not self.dirty:
            self.start_new()  # saved already: "save and next" has only the "next" left to do
            return False
        return super().save()

    def already_saved(self, stored: Any) -> str | None:
        reference = getattr(stored, "family_reference", "")
        return f"Already saved as {reference} — Ctrl+N starts the next referral"

    # hooks ---------------------------------------------------------------------------------------------
    def before_store(self, values: dict[str, Any], result: ValidationResult) -> bool:
        """Ask about likely duplicates before a second record of a known family is made."""
        try:
            candidates = self.backend.find_duplicates(values)
        except EhdeskError as error:
            self.show_error(error)
            return True
        if not candidates:
            return False
        dialog = DuplicateDialog(candidates, self)
        dialog.finished.connect(lambda code: self._after_duplicates(dialog, code, result))
        self.open_dialog(dialog)
        return True

    def _after_duplicates(self, dialog: DuplicateDialog, code: int, result: ValidationResult) -> None:
        chosen = dialog.selected()
        if code == DuplicateChoice.CONTINUE:
            self.confirm_then_store(result)
        elif code == DuplicateChoice.ADD_TO_EXISTING and chosen is not None:
            # checked again for that family: its own children's NHS numbers are no news
            joined = self.backend.check_referral(self.view.values(), family_id=chosen.family_id)
            self.confirm_then_store(joined, family_id=chosen.family_id)
        elif code == DuplicateChoice.OPEN_EXISTING and chosen is not None:
            self.message.emit(f"Referral kept as a draft; showing family {chosen.family_reference}")
            self.open_family_requested.emit(chosen.family_id)
        else:
            self.view.focus_first()

    def describe(self, stored: Any) -> str:
        return f"Saved: referral for family {stored.family_reference}"

    def after_store(self, stored: Any) -> None:
        if self._start_next:
            self.start_new()
