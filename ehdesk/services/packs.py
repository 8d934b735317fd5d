"""Privacy-notice packs: building one for a family, recording that it was shared, and the batch (G3–G6).

A pack is built from plain data gathered in one read (:func:`pack_content`, or :func:`pack_contents` for
many families in one session with the same checks) and laid out with no session open
(:func:`ehdesk.documents.pack.build_pack_pdf`), so a batch can build packs in other processes that never
open the database.

Recording a pack as shared (:func:`record_pack_shared`) writes, in the caller's one transaction: the
privacy-notice event (through the generic record service: validated, stamped, audited), the PDF as a
:class:`~ehdesk.storage.models.Document` with its SHA-256, the link between the two, and — unless one
already exists for the family that day — the casenote titled exactly "privacy notice shared" with the
date, method, worker and policy stamp that G4 asks for. A unique index on (family, evidence day) makes
"once a day" hold even when two people print at the same moment.

:func:`record_packs_shared` records a batch's chunk of families in the caller's one transaction — one
commit and one audit append for the chunk instead of one per family, which is what made the batch wait on
SQLite's single writer — while keeping each family whole: every family is checked up front (refused ones
write nothing), the rest are inserted together, and if that insert fails (someone else's casenote for the
same day on the unique index) each family is written again in a savepoint of its own, so one family's
failure costs no other family its record. :mod:`ehdesk.desk.batch` runs the batch.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from ehdesk.domain import Role
from ehdesk.errors import ConflictError, EhdeskError, NeedsConfirmation, ValidationFailed
from ehdesk.forms.choices import PN_METHOD
from ehdesk.policy import PolicyPack
from ehdesk.services import audit, casefile
from ehdesk.services.actor import Actor
from ehdesk.services.evidence import EVIDENCE_TITLE, families_with_evidence, needs_notice
from ehdesk.services.families import get_family
from ehdesk.services.permissions import Permission, require
from ehdesk.services.specs import RecordSpec
from ehdesk.services.timeline import long_day
from ehdesk.storage.mapping import promoted
from ehdesk.storage.models import (
    AgencyInvolved,
    Base,
    CaseNote,
    Decline,
    Document,
    Family,
    FamilyRecord,
    Objection,
    PackPreference,
    Person,
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

    @functools.cached_property
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
    """The conversation script for the family's pack: see :func:`_scripts_of` (the worker may still
    choose the other one)."""
    return _scripts_of(session, [family.id])[family.id]


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


def _first_scripts(session: Session, family_ids: Collection[int]) -> dict[int, str]:
    """The script each family's FIRST privacy-notice event used, for those that have one (two queries
    for many families: the first event's id per family, then those events' recorded script)."""
    if not family_ids:
        return {}
    first = (
        select(func.min(PrivacyNoticeEvent.id))
        .where(PrivacyNoticeEvent.family_id.in_(list(family_ids)))
        .group_by(PrivacyNoticeEvent.family_id)
    )
    rows = session.execute(
        select(PrivacyNoticeEvent.family_id, PrivacyNoticeEvent.data).where(PrivacyNoticeEvent.id.in_(first))
    )
    scripts: dict[int, str] = {}
    for family_id, data in rows:
        recorded = (data or {}).get("family_type")
        scripts[family_id] = recorded if recorded in SCRIPTS else "existing"
    return scripts


def _scripts_of(session: Session, family_ids: Collection[int]) -> dict[int, str]:
    """The script each family's pack uses unless the worker chooses (G5, G6).

    A family keeps the script its first privacy notice was given under: the G6 script explains a change
    to families worked with *before* it, so a family that came in under the new way ("new" on its first
    pack) must never be told "we no longer ask for your consent" just because a pack — and its casenote —
    is now on file; likewise a family first told G6 stays "existing". A family without a privacy notice
    yet is "existing" when it has other history (a share, objection, decline or casenote: worked with
    already) and "new" otherwise (just allocated)."""
    ids = list(dict.fromkeys(family_ids))
    scripts = _first_scripts(session, ids)
    found: set[int] = set()
    for model in (Share, Objection, Decline, CaseNote):
        left = [family_id for family_id in ids if family_id not in scripts and family_id not in found]
        if not left:
            break
        found.update(session.scalars(select(model.family_id).where(model.family_id.in_(left)).distinct()))
    for family_id in ids:
        scripts.setdefault(family_id, "existing" if family_id in found else "new")
    return scripts


def _agencies_of(session: Session, family_ids: Collection[int]) -> dict[int, tuple[str, ...]]:
    """The agencies currently involved with each family (named once each, in the order recorded), for
    many families in one query."""
    names: dict[int, list[str]] = {}
    rows = session.execute(
        select(AgencyInvolved.family_id, AgencyInvolved.agency)
        .where(AgencyInvolved.family_id.in_(list(family_ids)))
        .order_by(AgencyInvolved.id)
    )
    for family_id, agency in rows:
        if agency and agency.strip():
            names.setdefault(family_id, []).append(agency.strip())
    return {family_id: tuple(dict.fromkeys(agencies)) for family_id, agencies in names.items()}


def _load_families(session: Session, family_ids: Collection[int], *, people: bool = False) -> list[Family]:
    """Bring the families into the session in one query, so the per-family :func:`get_family` that
    follows (the one door: role and allocation) finds each in the identity map instead of asking again;
    with ``people``, their people too (one more query), which validating a record reads.
    The identity map holds objects weakly: the caller keeps the list until it is done with them."""
    if not family_ids:
        return []
    stmt = select(Family).where(Family.id.in_(list(family_ids)))
    if people:  # the columns a record's validation context reads (the people a form may name)
        stmt = stmt.options(
            selectinload(Family.people).load_only(
                Person.family_id,
                Person.kind,
                Person.given_name,
                Person.family_name,
                Person.birth_date,
                Person.expected_delivery,
                Person.version,
            )
        )
    return list(session.scalars(stmt))


def pack_contents(
    session: Session,
    actor: Actor,
    family_ids: Sequence[int],
    policy: PolicyPack,
    *,
    on: date,
    script: str | None = None,
    large_print: bool | None = None,
) -> tuple[dict[int, PackContent], dict[int, EhdeskError]]:
    """What each family's pack prints, read for many families in one session with a handful of queries,
    and why any family cannot have one (unknown, or not allocated to a worker acting on it).

    The checks are :func:`pack_content`'s, family by family (that function is this one for one family);
    only the reads are shared. A refusal of the whole request (the actor's role, an unknown script) is
    raised; a family's own refusal is returned beside the others' contents so it costs them nothing."""
    from ehdesk.documents.pack import PackContent

    require(actor, Permission.SHARE_PRIVACY_NOTICE)
    if script is not None and script not in SCRIPTS:
        raise PackRefused(f"the script is 'new' or 'existing', not {script!r}")
    ids = list(dict.fromkeys(family_ids))
    _held = _load_families(session, ids)
    families: dict[int, Family] = {}
    refused: dict[int, EhdeskError] = {}
    for family_id in ids:
        try:
            families[family_id] = get_family(session, actor, family_id)
        except EhdeskError as exc:
            refused[family_id] = exc
    if not families:
        return {}, refused
    known = list(families)
    scripts = _scripts_of(session, known) if script is None else {}
    agencies = _agencies_of(session, known)
    remembered: dict[int, bool] = {}
    if large_print is None:
        prefs = session.execute(
            select(PackPreference.family_id, PackPreference.large_print).where(
                PackPreference.family_id.in_(known)
            )
        )
        remembered = {family_id: bool(chosen) for family_id, chosen in prefs}
    worker_ids = {f.worker_id for f in families.values() if f.worker_id is not None}
    workers: dict[int, str] = {}
    if worker_ids:
        names = session.execute(select(User.id, User.full_name).where(User.id.in_(worker_ids)))
        workers = {user_id: full_name for user_id, full_name in names}
    contents: dict[int, PackContent] = {}
    for family_id, family in families.items():
        chosen = script or scripts[family_id]
        worker = workers.get(family.worker_id) if family.worker_id is not None else None
        contents[family_id] = PackContent(
            authority_name=policy.authority_name,
            family_name=family.display_name or family.reference,
            family_reference=family.reference,
            worker_name=worker if worker is not None else actor.full_name,
            script=chosen,
            script_text=policy.script_new_family if chosen == "new" else policy.script_existing_family,
            notice_text=policy.privacy_notice,
            agencies=agencies.get(family_id, ()),
            policy_stamp=policy.stamp,
            on=on,
            large_print=remembered.get(family_id, False) if large_print is None else large_print,
        )
    return contents, refused


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
    contents, refused = pack_contents(
        session, actor, [family_id], policy, on=on, script=script, large_print=large_print
    )
    if family_id in refused:
        raise refused[family_id]
    return contents[family_id]


def pack_of(family_id: int, content: PackContent, pdf: bytes) -> Pack:
    """The :class:`Pack` of ``content`` laid out as ``pdf`` (built here or in a batch's pool process)."""
    from ehdesk.documents.pack import pack_filename

    return Pack(
        family_id=family_id,
        pdf=pdf,
        script=content.script,
        large_print=content.large_print,
        filename=pack_filename(content.family_reference, content.on, large_print=content.large_print),
        policy_stamp=content.policy_stamp,
        made_on=content.on,
    )


def build_pack(family_id: int, content: PackContent) -> Pack:
    from ehdesk.documents.pack import build_pack_pdf

    return pack_of(family_id, content, build_pack_pdf(content))


# -- recording -------------------------------------------------------------------------------------


def _casenote_body(on: date, method: str, worker: str, script: str, stamp: str) -> str:
    return (
        f"Date: {long_day(on)}\nMethod: {PN_METHOD.label_for(method)}\nWorker: {worker}\n"
        f"Script: {script} family\nPolicy pack: {stamp}"
    )


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise PackRefused(f"a pack is shared as {', '.join(METHODS)}; {method!r} is none of those")


def _check_pack(family_id: int, pack: Pack, policy: PolicyPack) -> None:
    """A pack is recorded only for the family it was made for, under the policy pack in force (G25)."""
    if pack.family_id != family_id:
        raise PackRefused("this pack was made for another family; make the pack for this family again")
    if pack.policy_stamp != policy.stamp:
        raise PackRefused(
            f"this pack was made under policy pack {pack.policy_stamp}, not the one in force "
            f"({policy.stamp}); make the pack again so the family gets the current notice"
        )


def _event_values(actor: Actor, method: str, pack: Pack, on: date, sent_to: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {
        "family_type": pack.script,
        "method": method,
        "given_on": on.isoformat(),
        "worker": actor.full_name,
    }
    if sent_to:
        values["sent_to"] = sent_to
    return values


def _document(actor: Actor, family_id: int, pack: Pack) -> Document:
    return Document(
        family_id=family_id,
        kind=DOCUMENT_KIND,
        filename=pack.filename,
        content=pack.pdf,
        sha256=pack.sha256,
        policy_version=pack.policy_stamp,
        created_by=actor.id,
    )


def _casenote(
    actor: Actor, family_id: int, method: str, pack: Pack, event_id: int, policy: PolicyPack, on: date
) -> CaseNote:
    return CaseNote(
        family_id=family_id,
        title=EVIDENCE_TITLE,
        body=_casenote_body(on, method, actor.full_name, pack.script, policy.stamp),
        evidence_on=on,
        data={"date": on.isoformat(), "method": method, "worker": actor.full_name, "event_id": event_id},
        policy_version=policy.stamp,
        created_by=actor.id,
    )


def _link(event: FamilyRecord, document: Document, pack: Pack) -> PrivacyNoticePack:
    """The privacy-notice event's link to the PDF it stored, with the script and print size used."""
    return PrivacyNoticePack(
        event_id=event.id, document_id=document.id, script=pack.script, large_print=pack.large_print
    )


def _flush_or_conflict(session: Session) -> None:
    try:
        session.flush()
    except IntegrityError as exc:
        raise ConflictError(
            "someone else recorded this family's privacy notice at the same moment; try again "
            "(no second casenote is written)"
        ) from exc


@dataclass(frozen=True)
class PacksRecorded:
    """What recording packs wrote: each family's records, or why it has none."""

    shared: dict[int, PackShared]
    refused: dict[int, EhdeskError]


def _write_each(
    session: Session,
    actor: Actor,
    spec: RecordSpec,
    packs: Sequence[tuple[int, Pack]],
    method: str,
    *,
    policy: PolicyPack,
    on: date,
    sent_to: str | None = None,
) -> PacksRecorded:
    """Each family's shared pack written on its own, in a savepoint of its own — the event (through the
    generic record service), the stored PDF, the day's casenote unless it exists, the link — so a family
    refused (its pack made for another family or under another policy pack, a rule of the event, the
    day's casenote written by someone else at the same moment) writes nothing and costs the others
    nothing. The families' audit events are appended by one :func:`audit.append_many` at the end: one
    read of the trail's head and one insert for all of them."""
    shared: dict[int, PackShared] = {}
    refused: dict[int, EhdeskError] = {}
    events: list[audit.Entry] = []
    for family_id, pack in packs:
        mine: list[audit.Entry] = []
        try:
            _check_pack(family_id, pack, policy)
            values = _event_values(actor, method, pack, on, sent_to)
            with session.begin_nested():
                event = casefile.create(
                    session, actor, spec, family_id, values, policy=policy, audit_into=mine
                )
                document = _document(actor, family_id, pack)
                session.add(document)
                note = session.scalar(
                    select(CaseNote).where(CaseNote.family_id == family_id, CaseNote.evidence_on == on)
                )
                written = note is None
                if note is None:
                    note = _casenote(actor, family_id, method, pack, event.id, policy, on)
                    session.add(note)
                _flush_or_conflict(session)  # the document and the casenote together
                session.add(_link(event, document, pack))
                session.flush()
        except EhdeskError as exc:
            refused[family_id] = exc
            continue
        mine.append(("create", "document", document.id, None, audit.snapshot(document)))
        if written:
            mine.append(("create", "casenote", note.id, None, audit.snapshot(note)))
        events += mine
        shared[family_id] = PackShared(event.id, document.id, note.id, written, pack.sha256)
    audit.append_many(session, actor, events)
    return PacksRecorded(shared, refused)


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
    _check_method(method)
    recorded = _write_each(
        session, actor, spec, [(family_id, pack)], method, policy=policy, on=on, sent_to=sent_to
    )
    if family_id in recorded.refused:
        raise recorded.refused[family_id]
    return recorded.shared[family_id]


def _new_event(
    session: Session,
    actor: Actor,
    spec: RecordSpec,
    family_id: int,
    values: dict[str, Any],
    *,
    policy: PolicyPack,
) -> FamilyRecord:
    """The event :func:`casefile.create` would store — the same checks (:func:`casefile.check`:
    permission, the family's door, the form's rules in the family's context; warnings refuse as they
    do there) and the same columns — but not yet added, so a chunk's events are inserted together.
    For a form without hooks only (the privacy-notice event has none: see :func:`_bulk_ready`)."""
    result = casefile.check(session, actor, spec, family_id, values, policy=policy)
    if not result.ok:
        raise ValidationFailed(result)
    if result.warnings:
        raise NeedsConfirmation(result)
    clean = dict(result.values)
    record = spec.model()
    columns = {
        "family_id": family_id,
        "form_version": spec.definition.version,
        "policy_version": policy.stamp,
        "created_by": actor.id,
        **promoted(spec.storage.table, spec.storage.columns, clean),
        "data": clean,
    }
    for name, value in columns.items():
        setattr(record, name, value)
    return record


def _bulk_ready(spec: RecordSpec) -> bool:
    """Whether the event form stores as :func:`_new_event` assumes (no hooks around the store)."""
    return spec.before_store is None and spec.check_carried is None and not spec.carried


def _write_chunk(
    session: Session,
    actor: Actor,
    spec: RecordSpec,
    checked: Sequence[tuple[int, Pack, FamilyRecord]],
    method: str,
    *,
    policy: PolicyPack,
    on: date,
    audit_into: list[audit.Entry],
) -> dict[int, PackShared]:
    """The chunk's rows in two flushes — events and documents, then the day's casenotes (for families
    without one yet) and the links — and their audit entries, in family order."""
    if not checked:
        return {}
    ids = [family_id for family_id, _pack, _event in checked]
    day_notes: dict[int, CaseNote] = {
        note.family_id: note
        for note in session.scalars(
            select(CaseNote).where(CaseNote.family_id.in_(ids), CaseNote.evidence_on == on)
        )
    }
    documents: list[Document] = []
    for family_id, pack, event in checked:
        session.add(event)
        documents.append(_document(actor, family_id, pack))
    session.add_all(documents)
    session.flush()  # the events' and documents' ids, for the casenotes and links
    new_notes: dict[int, CaseNote] = {}
    for (family_id, pack, event), document in zip(checked, documents, strict=True):
        if family_id not in day_notes:
            day_notes[family_id] = new_notes[family_id] = _casenote(
                actor, family_id, method, pack, event.id, policy, on
            )
        session.add(_link(event, document, pack))
    session.add_all(new_notes.values())
    _flush_or_conflict(session)  # where someone else's casenote for the same day would collide
    shared: dict[int, PackShared] = {}
    for (family_id, pack, event), document in zip(checked, documents, strict=True):
        note = day_notes[family_id]
        audit_into.append(("create", spec.entity, event.id, None, audit.snapshot(cast(Base, event))))
        audit_into.append(("create", "document", document.id, None, audit.snapshot(document)))
        written = new_notes.pop(family_id, None) is not None
        if written:
            audit_into.append(("create", "casenote", note.id, None, audit.snapshot(note)))
        shared[family_id] = PackShared(event.id, document.id, note.id, written, pack.sha256)
    return shared


def record_packs_shared(
    session: Session,
    actor: Actor,
    spec: RecordSpec,
    packs: Sequence[tuple[int, Pack]],
    method: str,
    *,
    policy: PolicyPack,
    on: date,
) -> PacksRecorded:
    """Record many families' packs as shared, in the caller's one transaction, each family whole.

    Every family goes through :func:`record_pack_shared`'s checks (permission, allocation, method, the
    pack's family and policy stamp, the event's validation) before anything is written; a family refused
    there writes nothing and is returned with the reason. The others are inserted together (the fast
    path: a handful of statements for the chunk). Should that fail — someone else's casenote for the
    same day reaching the unique index first — it is rolled back and each family is written again in a
    savepoint of its own by :func:`_write_each`, the path :func:`record_pack_shared` takes, so the
    family that collides is the only one refused. Either way the audit events are appended by one
    :func:`audit.append_many` at the end, in family order, so the chunk reads and moves the trail's head
    once."""
    require(actor, Permission.SHARE_PRIVACY_NOTICE)
    _check_method(method)
    _held = _load_families(session, [family_id for family_id, _pack in packs], people=True)
    refused: dict[int, EhdeskError] = {}
    checked: list[tuple[int, Pack, FamilyRecord]] = []
    if _bulk_ready(spec):
        for family_id, pack in packs:
            try:
                _check_pack(family_id, pack, policy)
                values = _event_values(actor, method, pack, on, None)
                checked.append(
                    (family_id, pack, _new_event(session, actor, spec, family_id, values, policy=policy))
                )
            except EhdeskError as exc:
                refused[family_id] = exc
        events: list[audit.Entry] = []
        try:
            with session.begin_nested():
                shared = _write_chunk(
                    session, actor, spec, checked, method, policy=policy, on=on, audit_into=events
                )
        except ConflictError:
            pass  # family by family below
        else:
            audit.append_many(session, actor, events)
            return PacksRecorded(shared, refused)
    one_by_one = _write_each(
        session,
        actor,
        spec,
        [(family_id, pack) for family_id, pack in packs if family_id not in refused],
        method,
        policy=policy,
        on=on,
    )
    return PacksRecorded(one_by_one.shared, {**refused, **one_by_one.refused})


def families_missing_evidence(session: Session, actor: Actor) -> list[int]:
    """Allocated families with no "privacy notice shared" casenote (G3): a worker's own, or every
    allocated family for a manager; oldest family first. A closed family needs no pack (the service
    has ended), so it is never listed — nor made a pack by the batch that works from this list."""
    require(actor, Permission.SHARE_PRIVACY_NOTICE)
    stmt = select(Family.id).where(Family.worker_id.is_not(None), needs_notice()).order_by(Family.id)
    if actor.role is Role.WORKER:
        stmt = stmt.where(Family.worker_id == actor.id)
    allocated = list(session.scalars(stmt))
    have = families_with_evidence(session, allocated)
    return [family_id for family_id in allocated if family_id not in have]
