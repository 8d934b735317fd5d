"""What a family's record holds that a share could include (G7, G15), and the share's explanation PDF.

The share form's "information shared" list is not every item a council might hold: it is what this
family's record actually holds, worked out here from the people, the referral and the casefile. The
worker picks from that list, the share record keeps only the picked items, and a picked item the record
does not hold is refused by rule ``G7.held-items`` (the validation context carries the list), so a share
can never claim to pass on something ehdesk does not have. "Other" is always offered, described in the
share's "what is shared" text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ehdesk.errors import NotFound
from ehdesk.forms.choices import DATA_ITEMS, NEEDS
from ehdesk.policy import PolicyPack
from ehdesk.services.actor import Actor
from ehdesk.services.families import get_family, person_label
from ehdesk.services.permissions import Permission, require
from ehdesk.services.timeline import long_day
from ehdesk.storage.models import Family, Person, PrivacyNoticeEvent, Referral, Share, User
from ehdesk.text import postcode_key

if TYPE_CHECKING:
    from ehdesk.documents.explanation import Explanation

_EDUCATION_NEEDS = {"school_attendance", "send"}
_HEALTH_NEEDS = {"health", "emotional_wellbeing", "parent_mental_health", "substance_misuse"}


@dataclass(frozen=True)
class DataItem:
    """One kind of information the family's record holds: its key (a ``data_items`` choice), the
    choice's label and a short summary of what the record holds under it."""

    key: str
    label: str
    value: str


def _name(person: Person) -> str:
    return person_label(
        person.kind, person.given_name, person.family_name, person.birth_date, person.expected_delivery
    )


def _join(parts: Iterable[str], limit: int = 4) -> str:
    items = [p for p in dict.fromkeys(parts) if p]
    more = len(items) - limit
    return ", ".join(items[:limit]) + (f" and {more} more" if more > 0 else "")


def _filled(data: Mapping[str, Any], *names: str) -> list[str]:
    return [str(data[n]).strip() for n in names if isinstance(data.get(n), str) and str(data[n]).strip()]


def _address_with_postcode(address: str | None, postcode: str | None) -> str:
    """The family's address with its postcode once: a referral's address already ends with it (an
    address corrected later may not), so the postcode is added only when the address lacks it."""
    address = (address or "").strip()
    postcode = (postcode or "").strip()
    if not postcode or postcode_key(postcode) in postcode_key(address):
        return address
    return f"{address}, {postcode}" if address else postcode


def held_items(family: Family, people: list[Person], referrals: list[Referral]) -> list[DataItem]:
    """The data items ``family``'s record holds, in the form's order, each with what it holds."""
    found: dict[str, str] = {}
    needs = {n for r in referrals for n in (r.data or {}).get("needs", []) if isinstance(n, str)}
    if people:
        dated = [
            f"{_name(p)} ({long_day(p.birth_date)})" if p.birth_date else _name(p) for p in people if _name(p)
        ]
        if dated:
            found["identity"] = _join(dated)
        children = sum(1 for p in people if p.kind == "child")
        carers = len(people) - children
        found["household"] = (
            f"{children} child{'ren' if children != 1 else ''}, {carers} carer{'s' if carers != 1 else ''}"
        )
    contact = _filled({"address": _address_with_postcode(family.address, family.postcode)}, "address")
    for person in people:
        contact += _filled(person.data or {}, "phone", "email")
    for referral in referrals:
        contact += _filled(referral.data or {}, "home_phone")
    if contact:
        found["contact"] = _join(contact, 3)
    schools = [s for p in people for s in _filled(p.data or {}, "school_or_setting")]
    if schools or needs & _EDUCATION_NEEDS or any((p.data or {}).get("send") for p in people):
        extra = [NEEDS.label_for(n) for n in sorted(needs & _EDUCATION_NEEDS)]
        found["education"] = _join([*schools, *extra])
    health = [s for p in people for s in _filled(p.data or {}, "gp_practice")]
    health += ["NHS number" for p in people if p.nhs_number]
    if health or needs & _HEALTH_NEEDS:
        found["health"] = _join([*health, *(NEEDS.label_for(n) for n in sorted(needs & _HEALTH_NEEDS))])
    reasons = [s for r in referrals for s in _filled(r.data or {}, "reasons")]
    if reasons or needs:
        found["concerns"] = _join(
            [reasons[0][:80]] if reasons else [NEEDS.label_for(n) for n in sorted(needs)]
        )
    # an assessment is offered only when the record holds one: the referral says one was already done.
    # ehdesk keeps no assessment or family plan of its own, so being allocated is no evidence of either
    # (offering them anyway let a share claim to pass on what the record does not have, G7); the worker
    # describes such papers under "Other"
    if any((r.data or {}).get("existing_assessment") is True for r in referrals):
        found["assessment"] = "an assessment was already done when the family was referred"
    found["other"] = ""  # its label already says to describe it in 'what is shared'
    return [
        DataItem(key, DATA_ITEMS.label_for(key), found[key]) for key in DATA_ITEMS.values() if key in found
    ]


def family_data_items(session: Session, family: Family) -> list[DataItem]:
    """:func:`held_items` for a family loaded in ``session`` (the caller checked access)."""
    people = list(session.scalars(select(Person).where(Person.family_id == family.id).order_by(Person.id)))
    referrals = list(
        session.scalars(select(Referral).where(Referral.family_id == family.id).order_by(Referral.id))
    )
    return held_items(family, people, referrals)


def share_context(session: Session, family: Family) -> Mapping[str, Any]:
    """The share form's context beyond the objection register: the data items the family holds."""
    return {"data_items": frozenset(item.key for item in family_data_items(session, family))}


def explanation_of(
    session: Session, actor: Actor, share_id: int, policy: PolicyPack
) -> tuple[dict[str, Any], Explanation]:
    """A share's values and the facts its explanation record prints (permission and allocation checked)."""
    from ehdesk.documents.explanation import Explanation
    from ehdesk.services.packs import chosen_script

    require(actor, Permission.RECORD_SHARING)
    share = session.get(Share, share_id)
    if share is None:
        raise NotFound(f"share {share_id} does not exist; it may have been removed")
    family = get_family(session, actor, share.family_id)
    latest = session.scalar(
        select(PrivacyNoticeEvent.data)
        .where(PrivacyNoticeEvent.family_id == family.id)
        .order_by(PrivacyNoticeEvent.id.desc())
        .limit(1)
    )
    script = (latest or {}).get("family_type") or chosen_script(session, family)
    author = session.get(User, share.created_by) if share.created_by is not None else None
    return dict(share.data or {}), Explanation(
        family_name=family.display_name or family.reference,
        family_reference=family.reference,
        worker_name=author.full_name if author is not None else "",
        script=str(script),
        authority_name=policy.authority_name,
        policy_stamp=share.policy_version or policy.stamp,
        reassurance=policy.reassurance,
        recorded_on=share.created_at.date(),
    )
