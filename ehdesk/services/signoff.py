"""Sign-off: a manager's decision becomes a signed PDF record, and the decision and its subject lock (G19).

The steps, in the caller's unit of work:

1. only a manager may sign (``SIGN_DECISION``), only a decision they made, and only once;
2. the audit trail's newest hash is taken (:func:`ehdesk.services.audit.newest_hash`);
3. the decision record PDF is built (:mod:`ehdesk.documents.decision_record`): the record the decision is
   about as explained to the family, the decision, the policy stamp and that hash;
4. it is signed as PAdES with the manager's key (opened beforehand with their password, see
   :func:`check_password` and :func:`ehdesk.signing.unlock`), the visible box showing their name, role,
   the date and their drawn signature if they saved one;
5. the signed bytes and their SHA-256 are stored in a :class:`~ehdesk.storage.models.Document`, the decision
   points at it and locks, and so does its subject (a decline also becomes ``decided``);
6. every change is audited, the events holding the locked rows as they now are (the audit replay compares
   each decision with its newest event), the document's event holding the hash the PDF carries.

A change after signing is an addendum (:func:`addendum_spec`): a new decision linked to the one it amends,
signed in its turn. :func:`verdict` checks a signed PDF exactly as ``ehdesk verify`` does.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from ehdesk.clock import utcnow
from ehdesk.domain import Role
from ehdesk.errors import EhdeskError, LoginFailed, NotFound, PermissionDenied, RecordLocked
from ehdesk.services import audit, users
from ehdesk.services.actor import Actor
from ehdesk.services.casefile import people_keys
from ehdesk.services.families import get_family
from ehdesk.services.permissions import Permission, require
from ehdesk.services.queue import aware
from ehdesk.services.specs import SUBJECT_RECORDS, RecordSpec
from ehdesk.storage.models import (
    Base,
    Decision,
    Decline,
    Document,
    Family,
    FamilyRecord,
    SigningIdentity,
    User,
)

if TYPE_CHECKING:
    # reportlab (the record), cryptography and pyHanko (keys, signatures) are imported by the functions
    # that build, sign or verify, not with this module: the Desk imports it on every start, and nothing
    # before a manager's first sign-off needs them (start-up, issue 18)
    from ehdesk.documents.decision_record import Amends, Subject
    from ehdesk.documents.meta import DocumentMeta
    from ehdesk.signing import UnlockedSigner

DOCUMENT_KIND = "decision_record"
SIGN_REASON = "Management decision (G19)"
MAX_DRAWING_BYTES = 512 * 1024
WRONG_PASSWORD = (
    "wrong password; type the password you log in with (after {n} wrong passwords in a row your "
    "account is locked for a while)"
)


@dataclass(frozen=True)
class SignedRecord:
    """A signed decision record as stored: which decision, which document, its digest and trail hash."""

    decision_id: int
    document_id: int
    sha256: str
    audit_hash: str
    signed_at: datetime
    signed_by: str
    amends_id: int | None = None


@dataclass(frozen=True)
class IdentityInfo:
    """A person's signing identity as plain data (never the key)."""

    id: int
    user_id: int
    source: str  # issued | imported
    subject: str
    fingerprint: str
    created_at: datetime
    has_drawing: bool


@dataclass(frozen=True)
class Verdict:
    """The verdict on a signed PDF, the same as ``ehdesk verify`` prints.

    ``audit_hash_held`` is ``None`` when the PDF carries no audit hash, else whether the trail still
    holds it (a rewritten trail no longer does).
    """

    signer: str
    role: str
    signed_at: datetime | None
    intact: bool
    trusted: bool
    audit_hash: str
    audit_hash_held: bool | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.intact and self.trusted and not self.problems


class DrawingRefused(EhdeskError):
    """The drawn signature is not a PNG image ehdesk can show."""


# -- the password, the key and the drawing ----------------------------------------------------------------


def check_password(session: Session, actor: Actor, password: str) -> None:
    """Check the signer's password as a log-in does: counted, audited, locking the account after too
    many wrong ones. Commits (the count must stand even though the sign-off is refused)."""
    try:
        users.login(session, actor.username, password)
    except LoginFailed:
        raise LoginFailed(WRONG_PASSWORD.format(n=users.MAX_FAILED_LOGINS)) from None


def identity_info(identity: SigningIdentity) -> IdentityInfo:
    return IdentityInfo(
        id=identity.id,
        user_id=identity.user_id,
        source=identity.source,
        subject=identity.subject,
        fingerprint=identity.fingerprint,
        created_at=identity.created_at,
        has_drawing=bool(identity.drawing),
    )


def save_drawing(session: Session, actor: Actor, png: bytes) -> SigningIdentity:
    """Keep the signature the person drew on the pad with their identity, for the visible box."""
    from ehdesk.signing.identities import require_identity

    identity = require_identity(session, person_id(actor))
    if not png.startswith(b"\x89PNG\r\n\x1a\n") or len(png) > MAX_DRAWING_BYTES:
        raise DrawingRefused("the drawn signature must be a PNG image under 512 KB; draw it again")
    try:
        from PIL import Image

        with Image.open(io.BytesIO(png)) as image:
            image.verify()
    except Exception:
        raise DrawingRefused("the drawn signature is not a readable PNG image; draw it again") from None
    identity.drawing = png
    session.flush()
    audit.record(
        session,
        actor,
        "update",
        "signing_identity",
        identity.id,
        after={"drawing_sha256": hashlib.sha256(png).hexdigest()},
    )
    return identity


def person_id(actor: Actor) -> int:
    if actor.id is None:
        raise PermissionDenied("only a person with an account can sign; log in as yourself")
    return actor.id


# -- signing ----------------------------------------------------------------------------------------------


def _user_name(session: Session, user_id: int | None) -> str:
    if user_id is None:
        return ""
    return session.scalar(select(User.full_name).where(User.id == user_id)) or ""


def _as_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def subject_record(session: Session, decision: Decision) -> FamilyRecord | None:
    model = SUBJECT_RECORDS.get(decision.subject)
    if model is None or decision.subject_id is None:
        return None
    return session.get(model, decision.subject_id)


def _subject(session: Session, decision: Decision, record: FamilyRecord | None) -> Subject | None:
    if record is None:
        return None
    from ehdesk.documents.decision_record import Subject

    return Subject(
        form_id=decision.subject,
        record_id=record.id,
        values=dict(record.data or {}),
        recorded_by=_user_name(session, record.created_by),
        recorded_on=record.created_at.date(),
    )


def _amends(session: Session, decision: Decision) -> Amends | None:
    if decision.amends_id is None:
        return None
    first = session.get(Decision, decision.amends_id)
    if first is None:
        return None
    document = session.get(Document, first.document_id) if first.document_id else None
    signed_on = document.signed_at.date() if document is not None and document.signed_at else None
    signer = _user_name(session, document.signed_by) if document is not None else ""
    from ehdesk.documents.decision_record import Amends

    return Amends(first.id, signer, signed_on)


def _intro(decision: Decision) -> str:
    if decision.subject == "decline":
        text = (
            "This record sets out the manager's decision after the family said they did not want Early "
            "Help, how their needs can be met, who will be told that the service has closed, and whether "
            "the decline raises concerns for the children."
        )
    else:
        text = "This record sets out a manager's decision on the family's casefile and the reasons for it."
    return text if decision.amends_id is None else text + " It is an addendum: a change made after signing."


def record_meta(
    session: Session, actor: Actor, decision: Decision, family: Family, signer_role: str, audit_hash: str
) -> DocumentMeta:
    """What the decision record states about itself."""
    from ehdesk.documents.meta import DocumentMeta
    from ehdesk.signing.authority import current_authority

    authority = current_authority(session)
    title = "Management decision" if decision.amends_id is None else "Management decision: addendum"
    return DocumentMeta(
        title=title,
        family_name=family.display_name,
        family_reference=family.reference,
        author=actor.full_name,
        author_role=signer_role,
        authority_name=authority.name if authority is not None else "",
        subject=f"Decision {decision.id} on the casefile of {family.reference}",
        policy_stamp=decision.policy_version,
        form_version=decision.form_version,
        audit_hash=audit_hash,
        record_date=_as_date((decision.data or {}).get("decided_on")),
        intro=_intro(decision),
        people=people_keys(family),
    )


def build_record(session: Session, actor: Actor, decision: Decision, role: str, audit_hash: str) -> bytes:
    """The unsigned decision record PDF for ``decision`` (the preview the sign-off dialog shows)."""
    from ehdesk.documents.decision_record import build_decision_record

    family = get_family(session, actor, decision.family_id)
    meta = record_meta(session, actor, decision, family, role, audit_hash)
    return build_decision_record(
        dict(decision.data or {}),
        meta,
        subject=_subject(session, decision, subject_record(session, decision)),
        amends=_amends(session, decision),
    )


def load_decision(session: Session, actor: Actor, decision_id: int) -> Decision:
    decision = session.get(Decision, decision_id)
    if decision is None:
        raise NotFound(f"decision {decision_id} does not exist; pick one from the casefile")
    get_family(session, actor, decision.family_id)
    return decision


def _check_signable(actor: Actor, decision: Decision) -> None:
    if decision.locked:
        raise RecordLocked(
            f"decision {decision.id} is already signed and locked; record an addendum to change it"
        )
    if decision.decided_by != actor.id:
        raise PermissionDenied(
            f"decision {decision.id} was made by another manager; the manager who made it signs it"
        )


def signer_role(actor: Actor, signer: UnlockedSigner) -> str:
    return signer.role or Role(actor.role).title


def sign_decision(session: Session, actor: Actor, decision_id: int, signer: UnlockedSigner) -> SignedRecord:
    """Build, sign, store and lock (see the module's steps). ``signer`` is the actor's own key, opened."""
    from ehdesk.signing import SignatureAppearance
    from ehdesk.signing.errors import SigningError
    from ehdesk.signing.identities import require_identity

    require(actor, Permission.SIGN_DECISION)
    decision = load_decision(session, actor, decision_id)
    _check_signable(actor, decision)
    identity = require_identity(session, person_id(actor))
    if identity.fingerprint != signer.fingerprint:
        raise SigningError("that signing key is not your current certificate; sign with your own key")
    role = signer_role(actor, signer)
    audit_hash = audit.newest_hash(session)
    pdf = build_record(session, actor, decision, role, audit_hash)
    signed_at = utcnow()
    look = SignatureAppearance(signer.name or actor.full_name, role, drawing=identity.drawing)
    signed = signer.sign(pdf, reason=SIGN_REASON, appearance=look, audit_hash=audit_hash, signed_at=signed_at)
    digest = hashlib.sha256(signed).hexdigest()
    family = get_family(session, actor, decision.family_id)
    document = Document(
        family_id=family.id,
        kind=DOCUMENT_KIND,
        filename=f"{family.reference}-decision-{decision.id}.pdf",
        content=signed,
        sha256=digest,
        policy_version=decision.policy_version,
        created_by=actor.id,
        signed_by=actor.id,
        signed_at=signed_at,
        audit_hash=audit_hash,
    )
    session.add(document)
    session.flush()
    entries: list[audit.Entry] = [
        (
            "create",
            "document",
            document.id,
            None,
            {
                "kind": DOCUMENT_KIND,
                "family_id": family.id,
                "decision_id": decision.id,
                "filename": document.filename,
                "sha256": digest,
                "audit_hash": audit_hash,
                "signed_by": actor.id,
                "signed_at": signed_at,
                "signer_certificate": identity.fingerprint,
            },
        )
    ]
    before = _snapshot(decision)
    decision.document_id = document.id
    decision.locked = True
    subject = subject_record(session, decision)
    subject_before = _snapshot(subject) if subject is not None and not subject.locked else None
    if subject is not None and subject_before is not None:
        if isinstance(subject, Decline):
            subject.status = "decided"
        subject.locked = True
    session.flush()
    entries.append(("sign", "decision", decision.id, before, _snapshot(decision)))
    if subject is not None and subject_before is not None:
        entries.append(("lock", decision.subject, subject.id, subject_before, _snapshot(subject)))
    from ehdesk.services import closure

    entries += closure.open_contacts(session, decision)
    audit.record_many(session, actor, entries)
    closure.settle_family(session, actor, decision)
    return SignedRecord(
        decision_id=decision.id,
        document_id=document.id,
        sha256=digest,
        audit_hash=audit_hash,
        signed_at=signed_at,
        signed_by=look.name,
        amends_id=decision.amends_id,
    )


def _snapshot(record: Any) -> dict[str, Any]:
    return audit.snapshot(cast(Base, record))


# -- addenda ----------------------------------------------------------------------------------------------


def addendum_base(session: Session, actor: Actor, decision_id: int) -> Decision:
    """The signed decision an addendum amends (only a signed one: an unsigned one is corrected)."""
    require(actor, Permission.SIGN_DECISION)
    first = load_decision(session, actor, decision_id)
    if not first.locked or first.document_id is None:
        raise EhdeskError(
            f"decision {decision_id} is not signed yet; correct it instead of adding an addendum"
        )
    return first


def addendum_spec(spec: RecordSpec, first: Decision) -> RecordSpec:
    """The decision spec whose store hook also links the new record to the one it amends."""
    inner = spec.before_store
    first_id = first.id

    def link(
        session: Session, actor: Actor, family: Family, record: FamilyRecord, values: Mapping[str, Any]
    ) -> None:
        if inner is not None:
            inner(session, actor, family, record, values)
        assert isinstance(record, Decision)
        record.amends_id = first_id

    return replace(spec, before_store=link)


# -- stored records and verdicts --------------------------------------------------------------------------


def signed_record(session: Session, decision: Decision) -> SignedRecord | None:
    if decision.document_id is None:
        return None
    document = session.get(Document, decision.document_id)
    if document is None or document.signed_at is None:
        return None
    return SignedRecord(
        decision_id=decision.id,
        document_id=document.id,
        sha256=document.sha256,
        audit_hash=document.audit_hash,
        signed_at=aware(document.signed_at),
        signed_by=_user_name(session, document.signed_by),
        amends_id=decision.amends_id,
    )


def signed_records(session: Session, actor: Actor, family_id: int) -> list[SignedRecord]:
    """A family's signed decision records, oldest first (an addendum after the record it amends)."""
    family = get_family(session, actor, family_id)
    decisions = session.scalars(
        select(Decision)
        .where(Decision.family_id == family.id, Decision.document_id.is_not(None))
        .order_by(Decision.id)
    )
    return [record for d in decisions if (record := signed_record(session, d)) is not None]


def load_document(session: Session, actor: Actor, document_id: int) -> Document:
    """A stored document, for someone who may see its family."""
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound(f"document {document_id} does not exist; pick one from the casefile")
    if document.family_id is not None:
        get_family(session, actor, document.family_id)
    return document


def verdict(session: Session, data: bytes) -> Verdict:
    """The verdict on a signed PDF against this database's signing CAs and audit trail: the one
    ``ehdesk verify`` prints and the casefile shows. Raises ``NotAPdf`` for a file that is no PDF."""
    from ehdesk.signing.authority import trust_roots
    from ehdesk.signing.identities import identity_by_fingerprint
    from ehdesk.signing.verify import verify_pdf

    roots = trust_roots(session)
    report = verify_pdf(data, roots)
    identity = identity_by_fingerprint(session, report.fingerprint) if report.fingerprint else None
    revoked = identity.revoked_at if identity is not None else None
    held = audit.holds_hash(session, report.audit_hash) if report.audit_hash else None
    problems = list(report.problems)
    trusted = report.trusted
    if not roots:
        problems.append("this database has no signing authority to trust (run `ehdesk init`)")
    if revoked is not None and report.signed_at is not None:
        revoked = revoked if revoked.tzinfo is not None else revoked.replace(tzinfo=UTC)
        if report.signed_at >= revoked:
            trusted = False
            problems.append(f"the certificate was revoked on {revoked:%d %B %Y} before this signature")
    return Verdict(
        signer=report.signer,
        role=report.role,
        signed_at=report.signed_at,
        intact=report.intact,
        trusted=trusted,
        audit_hash=report.audit_hash,
        audit_hash_held=held,
        problems=tuple(problems),
    )
