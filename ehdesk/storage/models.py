"""SQLAlchemy models: one class per table, typed with ``Mapped[]``.

Form values live in a JSON ``data`` column on the record that owns them, exactly as the form definition
declares them (``ehdesk.storage.mapping`` does the mapping); columns that are searched, joined or enforced
(names, birth dates, postcodes, who and when) are promoted to real columns. Every editable record has a
``version`` column that SQLAlchemy checks on UPDATE, so two people saving the same record never silently
overwrite each other (the second gets ``ConflictError``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from ehdesk.storage import lookup_keys

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}  # noqa: RUF012


def _now() -> datetime:
    from ehdesk.clock import utcnow

    return utcnow()


class Versioned:
    """Optimistic locking: SQLAlchemy adds ``AND version = :old`` to every UPDATE and bumps it."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)


class User(Versioned, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # admin | worker | manager (ehdesk.domain.Role)
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)

    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class Family(Versioned, Base):
    __tablename__ = "families"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(Text, default="")  # every child named: unbounded (0006)
    postcode: Mapped[str] = mapped_column(String(12), default="", index=True)
    address: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(24), default="referred")  # ehdesk.domain.FamilyStatus
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  # a worker's list
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)
    # duplicate check (ehdesk.storage.lookup_keys): the postcode without spaces, filled on every save
    postcode_key: Mapped[str] = mapped_column(String(12), default="", index=True)

    people: Mapped[list[Person]] = relationship(back_populates="family", order_by="Person.id")
    referrals: Mapped[list[Referral]] = relationship(back_populates="family", order_by="Referral.id")
    worker: Mapped[User | None] = relationship()

    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class Person(Versioned, Base):
    """A child (born or unborn) or a carer in a family."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # child | carer
    given_name: Mapped[str] = mapped_column(String(200), default="")
    family_name: Mapped[str] = mapped_column(String(200), default="", index=True)
    birth_date: Mapped[date | None] = mapped_column(Date, index=True)
    expected_delivery: Mapped[date | None] = mapped_column(Date, index=True)
    nhs_number: Mapped[str] = mapped_column(String(12), default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # duplicate check (ehdesk.storage.lookup_keys): folded first given + family name, and the same for
    # the "also known as" name; filled on every save so each is one indexed look-up
    name_key: Mapped[str] = mapped_column(String(400), default="", index=True)
    aka_key: Mapped[str] = mapped_column(String(400), default="")

    # most people have no NHS number or other name on record: index only those who do, so the planner
    # never takes the blank value's many rows as a reason to scan (the look-ups repeat the condition)
    __table_args__ = (
        Index(
            "ix_people_nhs_number",
            "nhs_number",
            sqlite_where=text("nhs_number != ''"),
            postgresql_where=text("nhs_number != ''"),
        ),
        Index(
            "ix_people_aka_key",
            "aka_key",
            sqlite_where=text("aka_key != ''"),
            postgresql_where=text("aka_key != ''"),
        ),
    )

    family: Mapped[Family] = relationship(back_populates="people")

    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class Referral(Versioned, Base):
    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    received_on: Mapped[date | None] = mapped_column(Date)
    how_received: Mapped[str] = mapped_column(String(32), default="")
    discussed_with_parent: Mapped[bool | None] = mapped_column(Boolean)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    form_version: Mapped[int] = mapped_column(Integer, default=1)
    policy_version: Mapped[str] = mapped_column(String(64), default="")  # PolicyPack.stamp
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)

    family: Mapped[Family] = relationship(back_populates="referrals")
    agencies: Mapped[list[AgencyInvolved]] = relationship(
        back_populates="referral", order_by="AgencyInvolved.id"
    )

    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class AgencyInvolved(Base):
    """An agency already working with the family when the referral arrived."""

    __tablename__ = "agencies_involved"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    agency: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)

    referral: Mapped[Referral] = relationship(back_populates="agencies")


class _FamilyRecord(Versioned):
    """Columns shared by the records a worker keeps on a family's casefile."""

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    form_version: Mapped[int] = mapped_column(Integer, default=1)
    policy_version: Mapped[str] = mapped_column(String(64), default="")  # PolicyPack.stamp
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    # active_history: the stored value is loaded before a change, so the lock guard always knows it
    locked: Mapped[bool] = mapped_column(Boolean, default=False, active_history=True)


#: The public name of the casefile-record columns, for code that handles any casefile form.
FamilyRecord = _FamilyRecord


class Share(_FamilyRecord, Base):
    """A record of information shared with an agency (G7, G10–G16)."""

    __tablename__ = "shares"
    agency: Mapped[str] = mapped_column(String(200), default="")
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class Objection(_FamilyRecord, Base):
    """A family's objection to sharing with one agency (G8, G17, G18)."""

    __tablename__ = "objections"
    agency: Mapped[str] = mapped_column(String(200), default="")
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class PrivacyNoticeEvent(_FamilyRecord, Base):
    """The privacy notice was given to a family (G3–G6): how, which script, which pack version."""

    __tablename__ = "privacy_notice_events"
    method: Mapped[str] = mapped_column(String(16), default="")  # printed | saved | link
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class CaseNote(_FamilyRecord, Base):
    __tablename__ = "casenotes"
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    # the day a "privacy notice shared" casenote evidences (G4); unique per family, so a reprint the
    # same day cannot write a second one even when two people print at once (0009); NULL elsewhere
    evidence_on: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (Index("uq_casenotes_family_evidence", "family_id", "evidence_on", unique=True),)
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class Decline(_FamilyRecord, Base):
    """A family declined the voluntary service (G20); awaits a manager's decision."""

    __tablename__ = "declines"
    status: Mapped[str] = mapped_column(String(16), default="pending")
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class Decision(_FamilyRecord, Base):
    """A manager's decision on the casefile (G19, G21–G24); locked once signed."""

    __tablename__ = "decisions"
    subject: Mapped[str] = mapped_column(String(16), default="")  # decline | objection | share
    subject_id: Mapped[int | None] = mapped_column(Integer)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"))
    # an addendum: a change after signing is a new decision pointing at the one it amends (0010)
    amends_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"), index=True)
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class Document(Base):
    """A PDF produced by ehdesk (pack, explanation record, signed decision): bytes and their SHA-256."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int | None] = mapped_column(ForeignKey("families.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    policy_version: Mapped[str] = mapped_column(String(64), default="")  # PolicyPack.stamp
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    # a signed record (0010): who signed, when, and the audit trail's newest hash it carries
    signed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    audit_hash: Mapped[str] = mapped_column(String(64), default="")


class ClosureContact(Versioned, Base):
    """One person or agency to be told that Early Help closed (G22), from a signed decision to close.

    The decision itself is locked once signed, so whether each contact has been told is kept here: a
    contact still to be told has no ``told_on`` (pending, never a made-up date). The family's status
    becomes closed once every contact of its newest signed decision to close has been told (0010).
    """

    __tablename__ = "closure_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)  # the contact's place in the decision's list
    who: Mapped[str] = mapped_column(String(200), default="")
    agency: Mapped[str] = mapped_column(String(200), default="")
    told_on: Mapped[date | None] = mapped_column(Date)
    told_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    __table_args__ = (UniqueConstraint("decision_id", "position"),)
    __mapper_args__ = {"version_id_col": Versioned.version}  # noqa: RUF012


class Draft(Base):
    """What a user has typed but not saved, kept so a crash loses at most a second or two."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("user_id", "form", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    form: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64), default="new")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)


class AuditEvent(Base):
    """Append-only: who did what to which record, before and after, chained by hash.

    ``seq`` is assigned by the application (previous + 1) so a deleted row leaves a gap; ``prev_hash`` is
    unique so two writers can never fork the chain (the loser's transaction fails and is retried).
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16))  # create | update | delete | login | ...
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(32), default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The newest event's seq and hash, updated with every event, so deleting the tail is detected."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class FamilyView(Base):
    """The access log: one row each time someone opens a family's record (G7, G15: need to know).

    Written when a record is opened, never for search rows, so searching stays as fast as before. Rows
    are only ever added; managers read them (``ehdesk audit views``).
    """

    __tablename__ = "family_views"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    viewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


def _fill_person_keys(_mapper: Any, _connection: Any, person: Person) -> None:
    """Keep the duplicate check's name keys in step with the names, whoever saves the person."""
    person.name_key = lookup_keys.name_key(person.given_name or "", person.family_name or "")
    aka = (person.data or {}).get("also_known_as")
    person.aka_key = lookup_keys.aka_key(aka, person.family_name or "") if isinstance(aka, str) else ""


def _fill_family_keys(_mapper: Any, _connection: Any, family: Family) -> None:
    """Keep the duplicate check's postcode key in step with the postcode, whoever saves the family."""
    family.postcode_key = lookup_keys.postcode_key(family.postcode or "")[:12]


for _hook in ("before_insert", "before_update"):
    event.listen(Person, _hook, _fill_person_keys)
    event.listen(Family, _hook, _fill_family_keys)


class SigningAuthority(Base):
    """The authority's local signing CA (``ehdesk init``): its certificate and its private key.

    The key is stored only as encrypted PKCS#8, under the passphrase the admin chose; ehdesk never holds
    it in the clear. A newer row replaces an older one (``retired_at`` set); certificates it issued stay
    verifiable against the older certificate, which is kept.
    """

    __tablename__ = "signing_authorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    certificate_pem: Mapped[str] = mapped_column(Text)
    encrypted_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SigningIdentity(Base):
    """One person's signing certificate and key, the key inside a PKCS#12 locked by their own password.

    ``source`` is ``issued`` (by the local CA) or ``imported`` (from the council's own PKI). A lost
    password cannot be recovered: the identity is revoked and a new one issued.
    """

    __tablename__ = "signing_identities"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    source: Mapped[str] = mapped_column(String(16))
    subject: Mapped[str] = mapped_column(String(300))
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the certificate
    certificate_pem: Mapped[str] = mapped_column(Text)
    pkcs12: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # the signature drawn once on a signature pad (PNG), shown in the visible signature box (0010)
    drawing: Mapped[bytes | None] = mapped_column(LargeBinary)


class Allocation(Base):
    """One allocation of a family to a worker (or its ending), kept so the casefile shows who held the
    family when, and the caseload knows since when a worker has held it (G3: a new allocation is due a
    privacy notice). Rows are only ever added (0009)."""

    __tablename__ = "allocations"

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), index=True)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    previous_worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    allocated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    allocated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class PackPreference(Base):
    """How a family likes its privacy-notice pack printed (large print or not), remembered once chosen."""

    __tablename__ = "pack_preferences"

    family_id: Mapped[int] = mapped_column(ForeignKey("families.id"), primary_key=True)
    large_print: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now, onupdate=_now)


class PrivacyNoticePack(Base):
    """The pack PDF a privacy-notice event handed over: which script it printed and in which size, so
    the casefile can open the very document the family was given (G3–G6)."""

    __tablename__ = "privacy_notice_packs"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("privacy_notice_events.id"), index=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    script: Mapped[str] = mapped_column(String(16))  # new | existing
    large_print: Mapped[bool] = mapped_column(Boolean, default=False)
