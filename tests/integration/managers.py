"""A small office for the managers' tests: an authority with its signing CA, an admin, a worker holding
one family, a manager with a signing identity, and the desks each of them works at."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ehdesk.desk import Desk
from ehdesk.domain import Role
from ehdesk.policy import default_pack
from ehdesk.services import families, referrals
from ehdesk.services.actor import Actor
from ehdesk.services.casefile import RecordView
from ehdesk.signing.authority import create_authority
from ehdesk.signing.identities import issue_identity
from ehdesk.storage.database import Database
from tests import samples
from tests.conftest import PASSWORD, make_user
from tests.unit.forms.formcases import DECISION_DECLINE, DECLINE

CA_PASSPHRASE = "authority passphrase"
#: Each person's key is sealed by the password they log in with; sign-off checks it as a log-in does.
SIGNING_PASSWORD = PASSWORD

DECISION: dict[str, Any] = {
    **DECISION_DECLINE,
    "closure_contacts": [
        {"who": "Ann Teacher", "agency": "School", "told_on": "2025-05-23"},
        {"who": "Dr Ng", "agency": "GP"},  # still to be told: pending, no date
    ],
}


def desk(db: Database, actor: Actor) -> Desk:
    front = Desk(db, default_pack())
    front.actor = actor
    return front


@dataclass
class Office:
    db: Database
    admin: Actor
    worker: Actor
    manager: Actor
    family_id: int

    @property
    def managers_desk(self) -> Desk:
        return desk(self.db, self.manager)

    @property
    def workers_desk(self) -> Desk:
        return desk(self.db, self.worker)

    @property
    def admins_desk(self) -> Desk:
        return desk(self.db, self.admin)

    def issue(self, person: Actor) -> None:
        with self.db.session() as session:
            issue_identity(session, self.admin, person.id or 0, CA_PASSPHRASE, SIGNING_PASSWORD)

    def new_family(self) -> int:
        with self.db.session() as session:
            family_id = referrals.create_referral(
                session, self.admin, samples.referral(), policy=default_pack()
            ).family_id
        with self.db.session() as session:
            family = families.get_family(session, self.manager, family_id)
            families.allocate(session, self.manager, family_id, self.worker.id, version=family.version)
        return family_id

    def decline(self, family_id: int | None = None) -> RecordView:
        values = {**DECLINE, "declined_by": None}
        return self.workers_desk.create_record("decline", family_id or self.family_id, values)

    def decide(self, decline: RecordView, **changes: Any) -> RecordView:
        return self.managers_desk.decide(
            decline.family_id,
            {**DECISION, **changes},
            subject="decline",
            subject_id=decline.id,
            confirmed_warnings=True,
        )


def open_office(db: Database) -> Office:
    admin = make_user(db, "setup-admin", Role.ADMIN)
    worker = make_user(db, "wendy", Role.WORKER)
    manager = make_user(db, "mo", Role.MANAGER)
    with db.session() as session:
        create_authority(session, admin, "Example Borough Council", CA_PASSPHRASE)
    office = Office(db, admin, worker, manager, 0)
    office.issue(manager)
    office.family_id = office.new_family()
    return office
