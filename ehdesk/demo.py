"""Demo families for trying ehdesk out and for benchmarks: realistic, valid referrals (Faker, en_GB).

Every family goes through the referral service like a keyed-in one (validated, audited), so a demo
database behaves exactly like a real one. Nothing here is random at import time: the same seed gives
the same families.
"""

from __future__ import annotations

import gc
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from faker import Faker
from sqlalchemy import select
from sqlalchemy.orm import Session

from ehdesk.domain import Role
from ehdesk.policy import PolicyPack, default_pack
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
#: Agencies named as the policy pack's list names them (``default_pack().agencies``): an objection to
#: "School nurse" would never match a share with "School nursing", so the G8 question would not be asked.
_AGENCIES = ("School", "GP", "Health visiting", "School nursing", "Housing")


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
    """A database with staff (or referrals made by a user) is in use: demo data stays out of it.

    The first admin that ``ehdesk init`` creates does not count: someone trying ehdesk out runs init
    first and then the demo, and that admin is who logs in to manage the demo team. A second user,
    any user who is not an admin, or any referral a user keyed makes it real work. Demo referrals are
    made by no user (the demo actor has no id); the demo's own staff (:data:`DEMO_STAFF`) do not count.
    """
    demo_staff = [username for username, _name, _role in DEMO_STAFF]
    others = session.execute(select(User.role).where(User.username.not_in(demo_staff)).limit(2)).all()
    if len(others) > 1 or (others and others[0].role != Role.ADMIN.value):
        return True
    return session.scalar(select(Referral.id).where(Referral.created_by.is_not(None)).limit(1)) is not None


def add_demo_families(
    session_factory: Callable[[], Any],
    count: int,
    *,
    seed: int = 2026,
    progress: Callable[[int, int], None] | None = None,
    policy: PolicyPack | None = None,
) -> int:
    """Store ``count`` demo families, 100 per transaction; returns how many were stored.

    They are stamped with ``policy`` (``ehdesk demo`` passes the pack in force); made-up families
    stored without one are stamped with the built-in pack, said here rather than guessed in the service.
    """
    pack = policy if policy is not None else default_pack()
    stored = 0
    batch: list[dict[str, Any]] = []

    def flush_batch() -> None:
        nonlocal stored
        with _cyclic_gc_paused(), session_factory() as session:
            _store(session, batch, pack)
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


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a batch is stored; it resumes (and catches up) afterwards.

    A batch makes thousands of short-lived objects (ORM states, snapshots, audit rows), and each time
    their count crosses the collector's threshold it walks them all again, together with every
    long-lived object of the libraries loaded; about a twentieth of storing a demo family (issue 18).
    Reference counting still frees everything as usual, and a batch is bounded (100 families), so
    pausing the collector for it costs no memory to speak of.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _store(session: Session, batch: list[dict[str, Any]], policy: PolicyPack) -> None:
    # the batch goes through the referral service together: same checks and audit, fewer flushes
    referrals.create_referrals(session, DEMO_ACTOR, batch, confirmed_warnings=True, policy=policy)


# -- demo casework (issue 16): staff, allocations, shares, objections and privacy notices ------------

DEMO_STAFF: tuple[tuple[str, str, Role], ...] = (
    ("demo-manager", "Morgan Demo", Role.MANAGER),  # the role is shown beside the name
    ("demo-worker1", "Sam Demo", Role.WORKER),
    ("demo-worker2", "Alex Demo", Role.WORKER),
    ("demo-worker3", "Jo Demo", Role.WORKER),
)
"""The demo's own team; their password is the one the demo command is given (EHDESK_DEMO_PASSWORD)."""

_DEMO_OBJECTED = ("Police", "Housing", "School nursing")


def _demo_staff(session_factory: Callable[[], Any], password: str) -> dict[str, Actor]:
    from ehdesk.services import users

    staff: dict[str, Actor] = {}
    with session_factory() as session:
        for username, full_name, role in DEMO_STAFF:
            user = session.scalar(select(User).where(User.username == username))
            if user is None:
                user = users.create_user(session, DEMO_ACTOR, username, full_name, role, password)
            staff[username] = Actor.from_user(user)
    return staff


def _demo_share(rng: random.Random, agency: str, today: date, *, told: bool) -> dict[str, Any]:
    values: dict[str, Any] = {
        "agency": agency,
        "recipient_role": rng.choice(("Designated safeguarding lead", "Health visitor", "Practice nurse")),
        "shared_on": (today - timedelta(days=rng.randrange(0, 20))).isoformat(),
        "method": rng.choice(("phone", "secure_email", "meeting")),
        "data_items": ["identity", "concerns"],  # what a demo family's record holds (G7)
        "what_shared": "The children's names and dates of birth, and the needs the referral raised.",
        "why_needed": "So they can support the goals in the family plan.",
        "how_used": "To plan their part of the support at the next review.",
        "purpose": "child_wellbeing",
        "affirm_proportional": True,
        "affirm_relevant": True,
        "affirm_wellbeing": True,
        "affirm_need_to_know": True,
        "informed_in_advance": told,
        "informed_on": (today - timedelta(days=rng.randrange(21, 30))).isoformat() if told else None,
        "informed_how": rng.choice(("in_person", "phone")) if told else None,
        "reassurance_given": True,
    }
    if not told:
        values["exceptions"] = ["safeguarding_delay"]
        values["exception_reason"] = "The family could not be reached before the review the same day."
    return values


def _demo_objection(agency: str, today: date) -> dict[str, Any]:
    return {
        "agency": agency,
        "recorded_on": (today - timedelta(days=7)).isoformat(),
        "family_reasons": "A bad experience with this service in the past.",
        "barriers_explored": "Talked through what would and would not be shared, and why.",
        "reassurance_given": True,
    }


def add_demo_casework(
    db: Any,
    policy: Any,
    *,
    password: str,
    seed: int = 2026,
    today: date | None = None,
    ca_passphrase: str | None = None,
) -> dict[str, int]:
    """Casework on the demo families, through the Desk like a user's: the demo team, allocations (about
    three in four families), shares (some under a G10 exception), objections and privacy-notice packs
    shared (about half the allocated families), so every worker screen has something to show.
    Families already allocated are left alone, so running it again only works on new families."""
    from ehdesk.desk import Desk
    from ehdesk.storage.models import Family

    rng = random.Random(seed)
    day = today or date.today()
    staff = _demo_staff(db.session, password)
    manager = Desk(db, policy, actor=staff["demo-manager"], today=lambda: day)
    workers = [staff[name] for name, _n, role in DEMO_STAFF if role is Role.WORKER]
    with db.read() as session:
        waiting = list(session.execute(select(Family.id, Family.version).where(Family.worker_id.is_(None))))
    done = {"allocations": 0, "shares": 0, "objections": 0, "privacy_notices": 0}
    for family_id, version in waiting:
        if rng.random() > 0.75:
            continue
        worker = rng.choice(workers)
        manager.allocate(family_id, worker.id, version=version)
        done["allocations"] += 1
        desk = Desk(db, policy, actor=worker, today=lambda: day)
        if rng.random() < 0.5:
            desk.record_pack_shared(
                family_id, rng.choice(("printed", "saved")), desk.privacy_notice_pack(family_id)
            )
            done["privacy_notices"] += 1
        if rng.random() < 0.4:
            agency = rng.choice(policy.agencies[:6] or ("School",))
            desk.create_record("share", family_id, _demo_share(rng, agency, day, told=rng.random() < 0.8))
            done["shares"] += 1
        if rng.random() < 0.15:
            desk.create_record("objection", family_id, _demo_objection(rng.choice(_DEMO_OBJECTED), day))
            done["objections"] += 1
    from ehdesk.demo_signing import sign_demo_decisions  # issue 17: demo managers sign some decisions

    done.update(
        sign_demo_decisions(db, policy, password=password, seed=seed, today=day, ca_passphrase=ca_passphrase)
    )
    return done
