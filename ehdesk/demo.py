"""Demo families for trying ehdesk out and for benchmarks: realistic, valid referrals (Faker, en_GB).

Every family goes through the referral service like a keyed-in one (validated, audited), so a demo
database behaves exactly like a real one. Nothing here is random at import time: the same seed gives
the same families.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

from faker import Faker
from sqlalchemy import select
from sqlalchemy.orm import Session

from ehdesk.domain import Role
from ehdesk.services import referrals
from ehdesk.services.actor import Actor
from ehdesk.storage.models import Referral, User

DEMO_ACTOR = Actor(id=None, username="ehdesk-demo", full_name="ehdesk demo data", role=Role.ADMIN)
"""Demo records are audited as made by this actor, so they are never mistaken for real work."""

_REASONS = (
    "School reports attendance has fallen this term and the family has asked for help with morning routines.",
    "Health visitor is worried about the family's housing and the strain on mum since the baby was born.",
    "The children have been anxious since their parents separated; dad would like advice on supporting them.",
    "Parent asked for help with boundaries and bedtimes; the GP suggested Early Help.",
    "Young person is struggling with friendships and missing lessons; the family agree support may help.",
)
_NEEDS = ("parenting", "school_attendance", "behaviour", "emotional_wellbeing", "housing", "money")
_AGENCIES = ("School", "GP", "Health visitor", "School nurse", "Housing")


def _mobile(rng: random.Random) -> str:
    return f"07400 {rng.randrange(100000, 999999)}"


def _birth_date(rng: random.Random, today: date, youngest: int, oldest: int) -> date:
    # at least 90 days old: referrals are dated up to 60 days back, never before a birth
    return today - timedelta(days=rng.randrange(youngest * 365 + 90, oldest * 365 + 300))


def demo_referral(fake: Faker, rng: random.Random, today: date) -> dict[str, Any]:
    """One valid referral with one to three children (sometimes one unborn) and one or two carers."""
    surname = fake.last_name()
    children: list[dict[str, Any]] = []
    for _ in range(rng.choice((1, 1, 2, 2, 3))):
        child: dict[str, Any] = {"given_name": fake.first_name(), "family_name": surname}
        child["gender"] = rng.choice(("female", "male"))
        child["birth_date"] = _birth_date(rng, today, 0, 16).isoformat()
        children.append(child)
    if rng.random() < 0.1:
        due = (today + timedelta(days=rng.randrange(20, 200))).isoformat()
        children.append(
            {"given_name": "Baby", "family_name": surname, "unborn": True, "expected_delivery": due}
        )
    carers = [
        {
            "given_name": fake.first_name_female(),
            "family_name": surname,
            "relationship": "mother",
            "parental_responsibility": True,
            "phone": _mobile(rng),
            "birth_date": _birth_date(rng, today, 20, 45).isoformat(),
        }
    ]
    if rng.random() < 0.5:
        carers.append(
            {
                "given_name": fake.first_name_male(),
                "family_name": surname,
                "relationship": "father",
                "parental_responsibility": True,
            }
        )
    return {
        "received_on": (today - timedelta(days=rng.randrange(0, 60))).isoformat(),
        "how_received": rng.choice(("paper", "email", "portal", "phone")),
        "referrer_name": fake.name(),
        "referrer_role": rng.choice(("Teacher", "Health visitor", "GP", "Family support worker")),
        "referrer_agency": rng.choice(_AGENCIES),
        "referrer_phone": "0113 496 0" + f"{rng.randrange(0, 999):03d}",
        "address_line1": fake.street_address().replace("\n", ", "),
        "town": fake.city(),
        "postcode": fake.postcode(),
        "children": children,
        "carers": carers,
        "reasons": rng.choice(_REASONS),
        "needs": rng.sample(_NEEDS, rng.randrange(1, 4)),
        "agencies_involved": [{"agency": a} for a in rng.sample(_AGENCIES, rng.randrange(0, 3))],
        "discussed_with_parent": True,
    }


def demo_referrals(count: int, seed: int = 2026, today: date | None = None) -> Iterator[dict[str, Any]]:
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    when = today or date.today()
    for _ in range(count):
        yield demo_referral(fake, rng, when)


def holds_real_work(session: Session) -> bool:
    """A database with users (or referrals made by one) is in use: demo data stays out of it. Demo
    referrals are made by no user (the demo actor has no id)."""
    if session.scalar(select(User.id).limit(1)) is not None:
        return True
    return session.scalar(select(Referral.id).where(Referral.created_by.is_not(None)).limit(1)) is not None


def add_demo_families(
    session_factory: Callable[[], Any],
    count: int,
    *,
    seed: int = 2026,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Store ``count`` demo families, 100 per transaction; returns how many were stored."""
    stored = 0
    batch: list[dict[str, Any]] = []

    def flush_batch() -> None:
        nonlocal stored
        with session_factory() as session:
            _store(session, batch)
        stored += len(batch)
        batch.clear()
        if progress is not None:
            progress(stored, count)

    for values in demo_referrals(count, seed):
        batch.append(values)
        if len(batch) == 100:
            flush_batch()
    if batch:
        flush_batch()
    return stored


def _store(session: Session, batch: list[dict[str, Any]]) -> None:
    for values in batch:
        referrals.create_referral(session, DEMO_ACTOR, values, confirmed_warnings=True)
