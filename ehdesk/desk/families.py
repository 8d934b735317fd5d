"""Families: the family list's search, the family panel's summary, the people of a family for a form's
person picker, the access log of who opened a family (G15), and the drafts of unsaved typing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ehdesk.desk.base import DeskBase
from ehdesk.services import access_log, casefile, drafts, families
from ehdesk.services.access_log import ViewRow
from ehdesk.services.casefile import person_name
from ehdesk.services.drafts import DraftRow
from ehdesk.services.families import FamilyRow


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
    #: the family's row version when loaded: an allocation made from this summary is refused, not
    #: silently applied, if someone changed the family since (optimistic locking)
    version: int = 0
    worker_id: int | None = None  # who holds the family now (None: not allocated)
    worker_name: str = ""


class FamiliesDesk(DeskBase):
    """Finding and opening families, and keeping unsaved typing as drafts."""

    def search_families(self, text: str, *, limit: int, before_id: int | None = None) -> list[FamilyRow]:
        with self._read() as (session, actor):
            return families.search_families(session, actor, text, limit=limit, before_id=before_id)

    def count_families(self, text: str) -> int:
        with self._read() as (session, actor):
            return families.count_families(session, actor, text)

    def family_search_prompt(self, text: str) -> str | None:
        """What the list shows instead of searching for ``text`` (one or two letters), else ``None``."""
        return families.search_prompt(text)

    def family_summary(self, family_id: int) -> FamilySummary:
        """The family panel's content. A write: opening a family is logged (G15, ``access_log``)."""
        with self._write() as (session, actor):
            family = access_log.open_family(session, actor, family_id)
            return FamilySummary(
                id=family.id,
                reference=family.reference,
                display_name=family.display_name,
                address=family.address,
                postcode=family.postcode,
                status=family.status,
                people=tuple(
                    FamilyPerson(p.kind, person_name(p), p.birth_date, p.expected_delivery)
                    for p in family.people
                ),
                referrals=tuple((r.received_on, r.how_received) for r in family.referrals),
                version=family.version,
                worker_id=family.worker_id,
                worker_name=family.worker.full_name if family.worker is not None else "",
            )

    def family_people(self, family_id: int) -> dict[str, str]:
        """The family's people by key, for a form's person picker (the keys its rules check against)."""
        with self._read() as (session, actor):
            return casefile.people_keys(families.get_family(session, actor, family_id))

    def family_adults(self, family_id: int) -> frozenset[str]:
        """The keys of the family's parents and carers, for an adults-only person picker (who declined)."""
        with self._read() as (session, actor):
            return casefile.adult_keys(families.get_family(session, actor, family_id))

    def family_views(self, reference: str) -> list[ViewRow]:
        """Who opened the family with ``reference``, newest first (managers only)."""
        with self._read() as (session, actor):
            return access_log.views_of_family(session, actor, reference)

    # drafts ----------------------------------------------------------------------------------------
    def save_draft(self, form: str, key: str, data: dict[str, Any]) -> None:
        with self._write() as (session, actor):
            drafts.save_draft(session, actor, form, key, data)

    def list_drafts(self) -> list[DraftRow]:
        with self._read() as (session, actor):
            return drafts.list_drafts(session, actor)

    def discard_draft(self, form: str, key: str) -> None:
        with self._write() as (session, actor):
            drafts.discard_draft(session, actor, form, key)
