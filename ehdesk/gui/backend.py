"""The GUI's one door to the core: each method opens a unit of work, calls one service, returns plain data.

Methods that only look (search, lists, summaries) use read-only units of work, which never wait for or
hold up another ehdesk that is saving.

Slots call these methods and never see a session, so no widget holds a database object past the
transaction that loaded it, and every permission check and audit event stays in the services.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ehdesk.desk import Desk
from ehdesk.domain import Role
from ehdesk.errors import ConfigError, PermissionDenied
from ehdesk.forms.model import ValidationResult
from ehdesk.services import access_log, drafts, families, referrals, users
from ehdesk.services.actor import Actor
from ehdesk.services.actor import current as current_actor
from ehdesk.services.drafts import DraftRow
from ehdesk.services.families import FamilyRow
from ehdesk.services.referrals import DuplicateCandidate
from ehdesk.services.users import UserRow

__all__ = [
    "Backend",
    "DraftRow",
    "DuplicateCandidate",
    "FamilyPerson",
    "FamilyRow",
    "FamilySummary",
    "UserRow",
]


@dataclass(frozen=True)
class FamilyPerson:
    kind: str
    name: str
    birth_date: date | None
    expected_delivery: date | None


@dataclass(frozen=True)
class FamilySummary:
    """What the family panel shows, copied out of the session that loaded it."""

    id: int
    reference: str
    display_name: str
    address: str
    postcode: str
    status: str
    people: tuple[FamilyPerson, ...]
    referrals: tuple[tuple[date | None, str], ...]


@dataclass(frozen=True)
class SavedReferral:
    referral_id: int
    family_id: int
    family_reference: str


class Backend(Desk):
    """The Desk as the GUI uses it: every use case, plus the GUI's own summaries of families.

    Being a :class:`~ehdesk.desk.Desk`, it holds the database, the policy pack and, after login, the
    acting user; the GUI calls its methods and never sees a session.
    """

    @property
    def agencies(self) -> tuple[str, ...]:
        return self.policy.agencies if self.policy is not None else ()

    def policy_text(self, key: str) -> str:
        """The policy pack's text for a prompt; blank (not an error) if the pack lacks it."""
        if self.policy is None:
            return ""
        try:
            return self.policy.text(key)
        except ConfigError:
            return ""

    def _actor(self) -> Actor:
        """The logged-in user as their row says now (one primary-key read before each unit of work):
        a deactivated user is refused at their next action, a demoted one acts with the new role."""
        if self.actor is None:
            raise PermissionDenied("no one is logged in; log in first")
        with self.db.read() as session:
            self.actor = current_actor(session, self.actor)
        return self.actor

    # users --------------------------------------------------------------------------------------------
    def count_users(self) -> int:
        with self.db.read() as session:
            return users.count_users(session)

    def create_first_admin(self, username: str, full_name: str, password: str) -> Actor:
        with self.db.session() as session:
            user = users.create_first_admin(session, username, full_name, password)
            session.flush()
            return Actor.from_user(user)

    def login(self, username: str, password: str) -> Actor:
        with self.db.session() as session:
            self.actor = users.login(session, username, password)
        return self.actor

    # user management ----------------------------------------------------------------------------------
    def list_users(self) -> list[UserRow]:
        with self.db.read() as session:
            return users.list_users(session, self._actor())

    def add_user(self, username: str, full_name: str, role: Role, password: str) -> int:
        """The new user's id, so the list can select them after reloading."""
        with self.db.session() as session:
            return users.create_user(session, self._actor(), username, full_name, role, password).id

    def reset_password(self, user_id: int, new_password: str, *, version: int) -> None:
        with self.db.session() as session:
            users.reset_password(session, self._actor(), user_id, new_password, version=version)

    def set_active(self, user_id: int, active: bool, *, version: int) -> None:
        with self.db.session() as session:
            users.set_active(session, self._actor(), user_id, active, version=version)

    def change_role(self, user_id: int, role: Role, *, version: int) -> None:
        with self.db.session() as session:
            users.change_role(session, self._actor(), user_id, role, version=version)

    def change_own_password(self, old_password: str, new_password: str) -> None:
        with self.db.session() as session:
            users.change_own_password(session, self._actor(), old_password, new_password)

    # families -----------------------------------------------------------------------------------------
    def search_families(self, text: str, *, limit: int, before_id: int | None) -> list[FamilyRow]:
        with self.db.read() as session:
            return families.search_families(session, self._actor(), text, limit=limit, before_id=before_id)

    def count_families(self, text: str) -> int:
        with self.db.read() as session:
            return families.count_families(session, self._actor(), text)

    def family_search_prompt(self, text: str) -> str | None:
        """What the list shows instead of searching for ``text`` (one or two letters), else ``None``."""
        return families.search_prompt(text)

    def family_summary(self, family_id: int) -> FamilySummary:
        with self.db.session() as session:  # a write: opening a family is logged (access_log)
            family = access_log.open_family(session, self._actor(), family_id)
            return FamilySummary(
                id=family.id,
                reference=family.reference,
                display_name=family.display_name,
                address=family.address,
                postcode=family.postcode,
                status=family.status,
                people=tuple(
                    FamilyPerson(
                        p.kind, f"{p.given_name} {p.family_name}".strip(), p.birth_date, p.expected_delivery
                    )
                    for p in family.people
                ),
                referrals=tuple((r.received_on, r.how_received) for r in family.referrals),
            )

    # referrals ----------------------------------------------------------------------------------------
    def check_referral(self, values: Mapping[str, Any]) -> ValidationResult:
        return referrals.check_referral(values, self.policy)

    def find_duplicates(self, values: Mapping[str, Any]) -> list[DuplicateCandidate]:
        with self.db.read() as session:
            return referrals.find_duplicates(session, self._actor(), values)

    def create_referral(
        self, values: Mapping[str, Any], *, confirmed_warnings: bool, family_id: int | None = None
    ) -> SavedReferral:
        with self.db.session() as session:
            referral = referrals.create_referral(
                session,
                self._actor(),
                values,
                confirmed_warnings=confirmed_warnings,
                family_id=family_id,
                policy=self.policy,
            )
            return SavedReferral(referral.id, referral.family_id, referral.family.reference)

    # drafts -------------------------------------------------------------------------------------------
    def save_draft(self, form: str, key: str, data: dict[str, Any]) -> None:
        with self.db.session() as session:
            drafts.save_draft(session, self._actor(), form, key, data)

    def list_drafts(self) -> list[DraftRow]:
        with self.db.read() as session:
            return drafts.list_drafts(session, self._actor())

    def discard_draft(self, form: str, key: str) -> None:
        with self.db.session() as session:
            drafts.discard_draft(session, self._actor(), form, key)
