"""Demo sign-offs (issue 17): the demo managers get signing certificates and sign some real decisions.

Runs after the demo casework (``ehdesk.demo.add_demo_casework``), through the Desk like a user: a few
allocated families decline Early Help (recorded by their worker), the demo manager decides and signs
most of them — so a demo database holds genuine PAdES-signed decision records to open and verify — and
leaves the rest waiting in the decision queue. On one signed closure every contact is marked told, so
that family shows as closed.

The signing CA's passphrase and each demo manager's key are sealed with the demo staff's password (a
demo database holds no real person's data; the command prints that password once).
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from ehdesk.domain import Role
from ehdesk.policy import PolicyPack
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from ehdesk.storage.models import Decline, Family, User

SIGNED = 3
LEFT_WAITING = 2

_REASONS = (
    "Mum says things have settled since the new school term and she would rather manage on her own.",
    "Dad feels the family already has enough appointments and does not want another service involved.",
    "The family would like to try the school's parenting group first and will ask again if needed.",
    "They have moved closer to grandparents, who now help every day.",
    "The young person's attendance is back to normal and the family see no need for support.",
)


def _decline(rng: random.Random, today: date, manager: str) -> dict[str, Any]:
    declined = today - timedelta(days=rng.randrange(3, 12))
    return {
        "declined_on": declined.isoformat(),
        "reasons": rng.choice(_REASONS),
        "line_manager": manager,
        "discussed_on": (declined + timedelta(days=1)).isoformat(),
    }


def _decision(today: date, agency: str) -> dict[str, Any]:
    return {
        "decision": "Close Early Help: the family has said no, and we respect that it is their choice.",
        "rationale": "Nothing we know suggests the children are at risk; the support around the family "
        "can meet the needs that led to the referral.",
        "decided_on": today.isoformat(),
        "existing_network": f"{agency} stays involved and knows how to refer again if things change.",
        "closure_contacts": [
            {"who": "Designated safeguarding lead", "agency": agency, "told_on": today.isoformat()},
            {"who": "Practice nurse", "agency": "GP"},
        ],
        "concerns_raised": False,
        "concerns_reasoning": "No worries for the children were raised by school, health or the family.",
        "threshold_needed": False,
    }


def _managers(db: Database) -> list[Actor]:
    with db.read() as session:
        users = session.scalars(select(User).where(User.role == Role.MANAGER.value, User.active.is_(True)))
        return [Actor.from_user(user) for user in users if user.username.startswith("demo-")]


def ca_unlocks(db: Database, passphrase: str) -> bool:
    """Whether ``passphrase`` opens the database's signing CA (true when there is none yet: the demo
    makes its own). After ``ehdesk init`` the CA is locked with the admin's passphrase, not the demo's."""
    from ehdesk.signing.authority import current_authority
    from ehdesk.signing.errors import WrongPassword
    from ehdesk.signing.keys import decrypt_key

    with db.read() as session:
        authority = current_authority(session)
        if authority is None:
            return True
        try:
            decrypt_key(authority.encrypted_key, passphrase)
        except WrongPassword:
            return False
        return True


def _ensure_identities(
    db: Database, managers: list[Actor], password: str, authority: str, ca_passphrase: str
) -> None:
    """The signing CA (named for the policy pack's authority, as the app and notices are) and each
    demo manager's identity."""
    from ehdesk.demo import DEMO_ACTOR
    from ehdesk.signing.authority import create_authority, current_authority
    from ehdesk.signing.identities import active_identity, issue_identity

    with db.session() as session:
        if current_authority(session) is None:
            create_authority(session, DEMO_ACTOR, authority, ca_passphrase)
        for manager in managers:
            if manager.id is not None and active_identity(session, manager.id) is None:
                issue_identity(session, DEMO_ACTOR, manager.id, ca_passphrase, password)


def _families_to_decline(db: Database, wanted: int) -> list[tuple[int, Actor]]:
    """Allocated families with no decline yet, each with the worker who holds it."""
    with db.read() as session:
        rows = session.execute(
            select(Family.id, User)
            .join(User, User.id == Family.worker_id)
            .where(~select(Decline.id).where(Decline.family_id == Family.id).exists())
            .order_by(Family.id)
            .limit(wanted)
        ).all()
        return [(family_id, Actor.from_user(user)) for family_id, user in rows]


def sign_demo_decisions(
    db: Database,
    policy: PolicyPack,
    *,
    password: str,
    seed: int = 2026,
    today: date | None = None,
    ca_passphrase: str | None = None,
) -> dict[str, int]:
    """Declines, signed decisions and closures on the demo families; how many of each were made.

    The signing CA is unlocked with ``ca_passphrase`` (the one ``ehdesk init`` set), else with the demo
    password; when neither opens it nothing is declined or signed (the caller says so)."""
    from ehdesk.desk import Desk

    day = today or date.today()
    rng = random.Random(seed + 17)
    managers = _managers(db)
    done = {"declines": 0, "signed_decisions": 0, "closed_families": 0}
    ca = ca_passphrase or password
    if not managers or not ca_unlocks(db, ca):
        return done
    _ensure_identities(db, managers, password, policy.authority_name, ca)
    for number, (family_id, worker) in enumerate(_families_to_decline(db, SIGNED + LEFT_WAITING)):
        manager = managers[number % len(managers)]
        worker_desk = Desk(db, policy, actor=worker, today=lambda: day)
        decline = worker_desk.create_record(
            "decline", family_id, _decline(rng, day, manager.full_name), confirmed_warnings=True
        )
        done["declines"] += 1
        if number >= SIGNED:
            continue  # left in the decision queue
        desk = Desk(db, policy, actor=manager, today=lambda: day)
        agency = rng.choice(policy.agencies[:6] or ("School",))
        decision = desk.decide(
            family_id,
            _decision(day, agency),
            subject="decline",
            subject_id=decline.id,
            confirmed_warnings=True,
        )
        desk.sign_decision(decision.id, password)
        done["signed_decisions"] += 1
        if number == 0:
            desk.mark_told(decision.id, 1, day)
            done["closed_families"] += 1
    return done
