"""Managers' use cases: the decision queue, decisions, sign-off, addenda and closure (G19–G24).

Each method is one use case returning plain data (the dataclasses of ``ehdesk.services.queue``,
``signoff`` and ``closure``, re-exported here). Signing takes the manager's password: it is checked as a
log-in is (counted, locking the account after too many wrong ones) in a unit of work of its own, then
opens their key outside any transaction (the slow key derivation holds no database lock), and only then
does the signing unit of work build, sign, store and lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from ehdesk.desk.base import DeskBase
from ehdesk.desk.records import create_and_show
from ehdesk.domain import Role
from ehdesk.errors import ConflictError, NotFound
from ehdesk.services import casefile, closure, queue, signoff
from ehdesk.services.casefile import RecordView
from ehdesk.services.closure import ClosureLetter
from ehdesk.services.permissions import Permission, require
from ehdesk.services.queue import QueueCursor, QueueEntry
from ehdesk.services.signoff import IdentityInfo, SignedRecord, Verdict

if TYPE_CHECKING:
    # cryptography and pyHanko come with the signing modules, imported by the use cases that open a key,
    # issue a certificate or sign (start-up, issue 18: every start imports this module, few sign)
    from ehdesk.signing import UnlockedSigner

__all__ = [
    "ClosureLetter",
    "IdentityInfo",
    "ManagerDesk",
    "QueueCursor",
    "QueueEntry",
    "SignedRecord",
    "Verdict",
]


@dataclass(frozen=True)
class _Sealed:
    """A PKCS#12 read out of its unit of work, to open without holding a session."""

    pkcs12: bytes


class ManagerDesk(DeskBase):
    """What a manager does beyond a worker's work."""

    # -- the queue and decisions ------------------------------------------------------------------------

    def decision_queue(
        self,
        *,
        kind: str | None = None,
        worker_id: int | None = None,
        limit: int = 200,
        after: QueueCursor | None = None,
    ) -> list[QueueEntry]:
        """Declines, objections and G10-exception shares awaiting a decision, oldest first."""
        with self._read() as (session, actor):
            return queue.decision_queue(
                session, actor, today=self.today(), kind=kind, worker_id=worker_id, limit=limit, after=after
            )

    def decide(
        self,
        family_id: int,
        values: Mapping[str, Any],
        *,
        subject: str,
        subject_id: int | None,
        confirmed_warnings: bool = False,
    ) -> RecordView:
        """Record a decision about ``subject`` (and that record, if named); it leaves the queue."""
        spec = self.spec("decision")
        with self._write() as (session, actor):
            require(actor, Permission.DECIDE)
            if subject_id is not None:
                earlier = queue.deciding_decision(session, subject, subject_id)
                if earlier is not None:
                    raise ConflictError(
                        f"{subject} {subject_id} already has decision {earlier}; correct that one, or "
                        "add an addendum to it once signed"
                    )
            return create_and_show(
                session,
                actor,
                spec,
                family_id,
                values,
                policy=self.policy,
                carried={"subject": subject, "subject_id": subject_id},
                confirmed_warnings=confirmed_warnings,
            )

    # -- signing identities -----------------------------------------------------------------------------

    def my_signing_identity(self) -> IdentityInfo | None:
        from ehdesk.signing.identities import active_identity

        with self._read() as (session, actor):
            if actor.id is None:
                return None
            identity = active_identity(session, actor.id)
            return signoff.identity_info(identity) if identity is not None else None

    def save_drawn_signature(self, png: bytes) -> None:
        """Keep the signature drawn on the pad with the user's identity (shown in every box they sign)."""
        with self._write() as (session, actor):
            signoff.save_drawing(session, actor, png)

    def issue_identity(self, user_id: int, ca_passphrase: str, password: str) -> IdentityInfo:
        """(Admins) issue ``user_id`` a certificate from the local CA, its key sealed by ``password`` —
        the password that person logs in with, which they type in themselves; any other password is
        refused (:class:`~ehdesk.signing.errors.WrongPassword`, saying what to do) and nothing is made."""
        from ehdesk.signing import identities as signing_identities

        with self._write() as (session, actor):
            identity = signing_identities.issue_identity(session, actor, user_id, ca_passphrase, password)
            return signoff.identity_info(identity)

    def import_identity(self, user_id: int, p12: bytes, password: str) -> IdentityInfo:
        """(Admins) keep a PKCS#12 from the council's PKI for ``user_id``, still sealed by ``password``."""
        from ehdesk.signing import identities as signing_identities

        with self._write() as (session, actor):
            identity = signing_identities.import_pkcs12(session, actor, user_id, p12, password)
            return signoff.identity_info(identity)

    # -- sign-off ---------------------------------------------------------------------------------------

    def decision_preview(self, decision_id: int) -> bytes:
        """The decision record as it will be signed (without the signature), for the sign-off dialog."""
        with self._read() as (session, actor):
            require(actor, Permission.SIGN_DECISION)
            decision = signoff.load_decision(session, actor, decision_id)
            return signoff.build_record(session, actor, decision, Role(actor.role).title, "")

    def _open_key(self, password: str) -> UnlockedSigner:
        """Check the password as a log-in does (its own unit of work, committed), then open the key."""
        from ehdesk.signing import unlock
        from ehdesk.signing.errors import WrongPassword
        from ehdesk.signing.identities import require_identity

        with self._read() as (session, actor):
            require(actor, Permission.SIGN_DECISION)  # refused before any password is counted
            pkcs12 = require_identity(session, signoff.person_id(actor)).pkcs12
        with self.db.session() as session:
            signoff.check_password(session, actor, password)
        try:
            return unlock(_Sealed(pkcs12), password)
        except WrongPassword:
            raise WrongPassword(
                "your password is right but does not open your signing key (it was sealed with another "
                "password); ask an admin to issue you a new certificate"
            ) from None

    def sign_decision(self, decision_id: int, password: str) -> SignedRecord:
        """Sign a decision the user made: a PAdES-signed record stored, the decision and subject locked."""
        signer = self._open_key(password)
        with self._write() as (session, actor):
            return signoff.sign_decision(session, actor, decision_id, signer)

    def add_addendum(
        self, decision_id: int, values: Mapping[str, Any], password: str, *, confirmed_warnings: bool = False
    ) -> SignedRecord:
        """A change after signing: a new decision linked to ``decision_id``, signed at once."""
        with self._read() as (session, actor):
            signoff.addendum_base(session, actor, decision_id)
        signer = self._open_key(password)
        spec = self.spec("decision")
        with self._write() as (session, actor):
            first = signoff.addendum_base(session, actor, decision_id)
            record = casefile.create(
                session,
                actor,
                signoff.addendum_spec(spec, first),
                first.family_id,
                values,
                policy=self.policy,
                carried={"subject": first.subject, "subject_id": first.subject_id},
                confirmed_warnings=confirmed_warnings,
            )
            return signoff.sign_decision(session, actor, record.id, signer)

    # -- signed records ---------------------------------------------------------------------------------

    def signed_records(self, family_id: int) -> list[SignedRecord]:
        """A family's signed decision records, oldest first; an addendum names the one it amends."""
        with self._read() as (session, actor):
            return signoff.signed_records(session, actor, family_id)

    def decision_signature(self, decision_id: int) -> SignedRecord | None:
        with self._read() as (session, actor):
            return signoff.signed_record(session, signoff.load_decision(session, actor, decision_id))

    def document_pdf(self, document_id: int) -> bytes:
        with self._read() as (session, actor):
            return bytes(signoff.load_document(session, actor, document_id).content)

    def verify_document(self, document_id: int) -> Verdict:
        """The same verdict as ``ehdesk verify`` for a stored record."""
        with self._read() as (session, actor):
            document = signoff.load_document(session, actor, document_id)
            if not document.signed_at:
                raise NotFound(f"document {document_id} is not a signed record; there is nothing to verify")
            return signoff.verdict(session, bytes(document.content))

    # -- closure ----------------------------------------------------------------------------------------

    def closure_letters(self, decision_id: int) -> list[ClosureLetter]:
        with self._read() as (session, actor):
            return closure.closure_letters(session, actor, decision_id, today=self.today())

    def mark_told(self, decision_id: int, contact_index: int, told_on: date) -> None:
        """Record that a contact was told of the closure; the family closes once all of them were."""
        with self._write() as (session, actor):
            closure.mark_told(session, actor, decision_id, contact_index, told_on, today=self.today())
