"""Referrals: checking what was keyed (the form's rules and an NHS number already held by another
family's child), the likely-duplicate look-up (G7, G15), and storing a referral as a new family or on
an existing family's casefile."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ehdesk.desk.base import DeskBase
from ehdesk.forms.model import ValidationResult
from ehdesk.services import duplicates, referrals
from ehdesk.services.duplicates import DuplicateCandidate


@dataclass(frozen=True)
class SavedReferral:
    referral_id: int
    family_id: int
    family_reference: str


class ReferralsDesk(DeskBase):
    """Keying in referrals."""

    def check_referral(self, values: Mapping[str, Any], *, family_id: int | None = None) -> ValidationResult:
        """The form's rules, plus a warning for each NHS number another family's child already holds
        (``family_id``: the family the referral would join, whose own children are no news).

        Every warning the store would ask about is here, so the page asks once, before the store: a
        user who confirmed the form's warnings is not stopped again for the NHS number."""
        result = referrals.check_referral(values, self.policy)
        if not result.ok:
            return result
        with self._read() as (session, _actor):
            held = duplicates.nhs_numbers_held_elsewhere(session, result.values, family_id)
        return ValidationResult(result.values, [*result.problems, *held]) if held else result

    def referral_values(self, referral_id: int) -> dict[str, Any]:
        """A stored referral's values as keyed (its form's field names), for showing it read-only on
        the casefile; only someone who may see its family gets them."""
        with self._read() as (session, actor):
            return referrals.referral_values(session, actor, referral_id)

    def find_duplicates(self, values: Mapping[str, Any]) -> list[DuplicateCandidate]:
        with self._read() as (session, actor):
            return referrals.find_duplicates(session, actor, values)

    def create_referral(
        self, values: Mapping[str, Any], *, confirmed_warnings: bool, family_id: int | None = None
    ) -> SavedReferral:
        with self._write() as (session, actor):
            referral = referrals.create_referral(
                session,
                actor,
                values,
                confirmed_warnings=confirmed_warnings,
                family_id=family_id,
                policy=self.policy,
            )
            return SavedReferral(referral.id, referral.family_id, referral.family.reference)
