"""Privacy-notice packs: building one for a family, recording that it was shared, and the batch (G3–G6).

A pack is built from plain data gathered in one read (:func:`pack_content`) and laid out with no session
open (:func:`ehdesk.documents.pack.build_pack_pdf`), so a batch can build packs in other processes.

Recording a pack as shared (:func:`record_pack_shared`) writes, in the caller's one transaction: the
privacy-notice event (through the generic record service: validated, stamped, audited), the PDF as a
:class:`~ehdesk.storage.models.Document` with its SHA-256, the link between the two, and — unless one
already exists for the family that day — the casenote titled exactly "privacy notice shared" with the
date, method, worker and policy stamp that G4 asks for. A unique index on (family, evidence day) makes
"once a day" hold even when two people print at the same moment.

:func:`generate_packs` runs the batch on a process pool: each family's pack, event, document and
casenote commit together or not at all, and the file is removed again if the commit fails, so a cancel
or a failure never leaves half a record.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ehdesk.domain import Role
from ehdesk.errors import ConflictError, EhdeskError
from ehdesk.forms.choices import PN_METHOD
from ehdesk.policy import PolicyPack
from ehdesk.services import audit, casefile
from ehdesk.services.actor import Actor
from ehdesk.services.evidence import EVIDENCE_TITLE, families_with_evidence
from ehdesk.services.families import get_family
from ehdesk.services.permissions import Permission, require
from ehdesk.services.specs import RecordSpec
from ehdesk.services.timeline import long_day
from ehdesk.storage.models import (
    AgencyInvolved,
    CaseNote,
    Decline,
    Document,
    Family,
    Objection,
    PackPreference,
    PrivacyNoticeEvent,
    PrivacyNoticePack,
    Share,
    User,
)

if TYPE_CHECKING:
    from ehdesk.documents.pack import PackContent

METHODS = ("printed", "saved", "link")
SCRIPTS = ("new", "existing")  # the conversation for a family new to Early Help (G5) or known (G6)
DOCUMENT_KIND = "privacy_notice_pack"


class PackRefused(EhdeskError):
    """A pack cannot be recorded as given (another family's pack, an old policy, an unknown method)."""


@dataclass(frozen=True)
class Pack:
    """A built privacy-notice pack, ready to print, save or send."""

    family_id: int
    pdf: bytes
    script: str  # "new" | "existing"
    large_print: bool
    filename: str
    policy_stamp: str
    made_on: date

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


@dataclass(frozen=True)
class PackShared:
    """What recording a pack wrote: the event, the stored document and the evidence casenote."""

    event_id: int
    document_id: int
    casenote_id: int
    casenote_written: bool  # False when the day's casenote already existed (a reprint)
    sha256: str


# -- building --------------------------------------------------------------------------------------


def chosen_script(session: Session, family: Family) -> str:
    """ "existing" when the family has been worked with already — an earlier privacy notice, share,
    objection, decline or casenote on file (G6) — else "new", a family just allocated (G5)."""
    for model in (PrivacyNoticeEvent, Share, Objection, Decline, CaseNote):
        if session.scalar(select(exists().where(model.family_id == family.id))):
            return "existing"
    return "new"


def remembered_large_print(session: Session, family_id: int) -> bool:
    return bool(
        session.scalar(select(PackPreference.large_print).where(PackPreference.family_id == family_id))
    )


def remember_large_print(session: Session, actor: Actor, family_id: int, large_print: bool) -> None:
    """Keep the family's choice of print size for its next pack (audited when it changes)."""
    require(actor, Permission.SHARE_PRIVACY_NOTICE)
    get_family(session, actor, family_id)
    pref = session.get(PackPreference, family_id)
    if pref is not None and pref.large_print == large_print:
        return
    before = audit.snapshot(pref) if pref is not None else None
    if pref is None:
        pref = PackPreference(family_id=family_id)
        session.add(pref)
    pref.large_print = large_print
    pref.updated_by = actor.id
    session.flush()
    audit.record(
        session, actor, "update", "pack_preference", family_id, before=before, after=audit.snapshot(pref)
    )


def agencies_involved(session: Session, family_id: int) -> tuple[str, ...]:
    rows = session.scalars(
        select(AgencyInvolved.agency).where(AgencyInvolved.family_id == family_id).order_by(AgencyInvolved.id)
    )
    return tuple(dict.fromkeys(a.strip() for a in rows if a and a.strip()))


def pack_content(
    session: Session,
    actor: Actor,
    family_id: int,
    policy: PolicyPack,
    *,
    on: date,
    script: str | None = None,
    large_print: bool | None = None,
) -> PackContent:
    """Everything the family's pack prints, read in one go (permission and allocation checked)."""
    from ehdesk.documents.pack import PackContent

    require(actor, Permission.SHARE_PRIVACY_NOTICE)
    family = get_family(session, actor, family_id)
    if script is not None and script not in SCRIPTS:
        raise PackRefused(f"the script is 'new' or 'existing', not {script!r}")
    chosen = script or chosen_script(session, family)
    worker = session.get(User, family.worker_id) if family.worker_id is not None else None
    return PackContent(
        authority_name=policy.authority_name,
        family_name=family.display_name or family.reference,
        family_reference=family.reference,
        worker_name=worker.full_name if worker is not None else actor.full_name,
        script=chosen,
        script_text=policy.script_new_family if chosen == "new" else policy.script_existing_family,
        notice_text=policy.privacy_notice,
        agencies=agencies_involved(session, family.id),
        policy_stamp=policy.stamp,
        on=on,
        large_print=remembered_large_print(session, family.id) if large_print is None else large_print,
    )


def build_pack(family_id: int, content: PackContent) -> Pack:
    from ehdesk.documents.pack import build_pack_pdf, pack_filename

    return Pack(
        family_id=family_id,
        pdf=build_pack_pdf(content),
        script=content.script,
        large_print=content.large_print,
        filename=pack_filename(content.family_reference, content.on, large_print=content.large_print),
        policy_stamp=content.policy_stamp,
        made_on=content.on,
    )


# -- recording -------------------------------------------------------------------------------------


def _casenote_body(on: date, method: str, worker: str, script: str, stamp: str) -> str:
    return (
        f"Date: {long_day(on)}\nMethod: {PN_METHOD.label_for(method)}\nWorker: {worker}\n"
        f"Script: {script} family\nPolicy pack: {stamp}"
    )


def record_pack_shared(
    session: Session,
    actor: Actor,
    spec: RecordSpec,
    family_id: int,
    method: str,
    pack: Pack,
    *,
    policy: PolicyPack,
    on: date,
    sent_to: str | None = None,
) -> PackShared:
    """Record that ``pack`` was printed, saved or sent as a link (G3, G4), in the caller's transaction."""
    require(actor, Permission.SHARE_PRIVACY_NOTICE)
    if method not in METHODS:
        raise PackRefused(f"a pack is shared as {', '.join(METHODS)}; {method!r} is none of those")
    if pack.family_id != family_id:
        raise PackRefused("this pack was made for another family; make the pack for this family again")
    if pack.policy_stamp != policy.stamp:
        raise PackRefused(
            f"this pack was made under policy pack {pack.policy_stamp}, not the one in force "
            f"({policy.stamp}); make the pack again so the family gets the current notice"
        )
    values: dict[str, Any] = {
        "family_type": pack.script,
        "method": method,
        "given_on": on.isoformat(),
        "worker": actor.full_name,
    }
    if sent_to:
        values["sent_to"] = sent_to
    # the event, the stored PDF and the casenote are audited in one record_many at the end: one read of
    # the trail's head and one flush for the three events instead of one each (the batch's hot path)
    events: list[audit.Entry] = []
    event = casefile.create(session, actor, spec, family_id, values, policy=policy, audit_into=events)
    document = Document(
        family_id=family_id,
        kind=DOCUMENT_KIND,
        filename=pack.filename,
        content=pack.pdf,
        sha256=pack.sha256,
        policy_version=pack.policy_stamp,
        created_by=actor.id,
    )
    session.add(document)
    note = session.scalar(select(CaseNote).where(CaseNote.family_id == family_id, CaseNote.evidence_on == on))
    written = note is None
    if note is None:
        note = CaseNote(
            family_id=family_id,
            title=EVIDENCE_TITLE,
            body=_casenote_body(on, method, actor.full_name, pack.script, policy.stamp),
            evidence_on=on,
            data={"date": on.isoformat(), "method": method, "worker": actor.full_name, "event_id": event.id},
            policy_version=policy.stamp,
            created_by=actor.id,
        )
        session.add(note)
    try:
        session.flush()  # the document and the casenote together
    except IntegrityError as exc:
        raise ConflictError(
            "someone else recorded this family's privacy notice at the same moment; try again "
            "(no second casenote is written)"
        ) from exc
    events.append(("create", "document", document.id, None, audit.snapshot(document)))
    if written:
        events.append(("create", "casenote", note.id, None, audit.snapshot(note)))
    session.add(
        PrivacyNoticePack(
            event_id=event.id, document_id=document.id, script=pack.script, large_print=pack.large_print
        )
    )
    audit.record_many(session, actor, events)  # flushes the link with the events
    return PackShared(event.id, document.id, note.id, written, pack.sha256)


def families_missing_evidence(session: Session, actor: Actor) -> list[int]:
    """Allocated families with no "privacy notice shared" casenote (G3): a worker's own, or every
    allocated family for a manager; oldest family first."""
    require(actor, Permission.SHARE_PRIVACY_NOTICE)
    stmt = select(Family.id).where(Family.worker_id.is_not(None)).order_by(Family.id)
    if actor.role is Role.WORKER:
        stmt = stmt.where(Family.worker_id == actor.id)
    allocated = list(session.scalars(stmt))
    have = families_with_evidence(session, allocated)
    return [family_id for family_id in allocated if family_id not in have]
