"""The GUI's one door to the core: the :class:`~ehdesk.desk.Desk`, plus what only a screen needs.

Every use case (log-in, users, family search and summaries, referrals, drafts, casefile records …) is a
Desk method: one unit of work, the acting user re-read inside it, plain data out. Slots call these
methods and never see a session, so no widget holds a database object past the transaction that loaded
it, and every permission check and audit event stays in the services. What is left here is the screens'
own convenience: the pick list and prompt texts a form view shows.
"""

from __future__ import annotations

from ehdesk.desk import Desk, FamilyPerson, FamilySummary, SavedReferral
from ehdesk.errors import ConfigError
from ehdesk.services.drafts import DraftRow
from ehdesk.services.duplicates import DuplicateCandidate
from ehdesk.services.families import FamilyRow
from ehdesk.services.users import UserRow

__all__ = [
    "Backend",
    "DraftRow",
    "DuplicateCandidate",
    "FamilyPerson",
    "FamilyRow",
    "FamilySummary",
    "SavedReferral",
    "UserRow",
]


class Backend(Desk):
    """The Desk as the GUI uses it: every use case, plus the texts and lists a form view shows."""

    @property
    def agencies(self) -> tuple[str, ...]:
        return self.policy.agencies

    def policy_text(self, key: str) -> str:
        """The policy pack's text for a prompt; blank (not an error) if the pack lacks it."""
        try:
            return self.policy.text(key)
        except ConfigError:
            return ""
