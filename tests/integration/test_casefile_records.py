"""The generic record service behind the Desk facade: every casefile form gets validation, permission,
allocation, optimistic locking, the lock guard and audit from one spec entry (issue 15)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from ehdesk.desk import Desk, NotLoggedIn
from ehdesk.errors import ConflictError, NotFound, PermissionDenied, RecordLocked, ValidationFailed
from ehdesk.forms.model import FormDefinition, LongText, Required, Section, Text
from ehdesk.forms.schema import json_schema
from ehdesk.policy import default_pack
from ehdesk.services import families, referrals
from ehdesk.services.actor import Actor
from ehdesk.services.permissions import Permission
from ehdesk.services.specs import SPECS, RecordSpec
from ehdesk.storage.database import Database
from ehdesk.storage.mapping import StorageMap
from ehdesk.storage.models import AuditEvent, CaseNote, Share
from tests import samples
from tests.unit.forms import formcases
from tests.unit.forms.formcases import DECISION_DECLINE, SHARE_WELLBEING

# the form cases name a "carer-1" no family holds; the service checks person fields against the family
DECLINE = {**formcases.DECLINE, "declined_by": None}
OBJECTION = {**formcases.OBJECTION, "raised_by": None}


def _desk(db: Database, actor: Actor, **kwargs: object) -> Desk:
    desk = Desk(db, default_pack(), **kwargs)  # type: ignore[arg-type]
    desk.actor = actor
    return desk


def _allocated_family(db: Database, admin: Actor, manager: Actor, worker: Actor) -> int:
    with db.session() as session:
        family_id = referrals.create_referral(
            session, admin, samples.referral(), policy=default_pack()
        ).family_id
    with db.session() as session:
        family = families.get_family(session, manager, family_id)
        families.allocate(session, manager, family_id, worker.id, version=family.version)
    return family_id


def test_a_worker_records_a_share_on_their_family_and_it_is_listed_stamped_and_audited(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = _allocated_family(db, admin, manager, worker)
    desk = _desk(db, worker)
    view = desk.create_record("share", family_id, SHARE_WELLBEING)
    assert view.values["agency"] == "School"
    assert view.created_by == worker.full_name
    assert view.policy_version == default_pack().stamp
    assert [r.id for r in desk.list_records("share", family_id)] == [view.id]
    with db.read() as session:
        assert session.get(Share, view.id).agency == "School"  # type: ignore[union-attr]
        events = session.scalars(select(AuditEvent).where(AuditEvent.entity == "share")).all()
        assert [(e.action, e.entity_id) for e in events] == [("create", str(view.id))]


def test_a_worker_cannot_write_on_a_family_that_is_not_theirs(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    with db.session() as session:
        family_id = referrals.create_referral(
            session, admin, samples.referral(), policy=default_pack()
        ).family_id
    with pytest.raises(PermissionDenied, match="not allocated"):
        _desk(db, worker).create_record("objection", family_id, OBJECTION)


def test_a_rejected_save_writes_nothing_and_gives_back_what_was_typed(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = _allocated_family(db, admin, manager, worker)
    typed = {**SHARE_WELLBEING, "why_needed": ""}
    with pytest.raises(ValidationFailed) as refused:
        _desk(db, worker).create_record("share", family_id, typed)
    assert refused.value.result.values["what_shared"] == typed["what_shared"]
    assert any(p.obligation == "G12" for p in refused.value.result.errors)
    assert _desk(db, worker).list_records("share", family_id) == []


def test_only_the_author_amends_and_a_stale_version_is_a_conflict(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = _allocated_family(db, admin, manager, worker)
    desk = _desk(db, worker)
    first = desk.create_record("decline", family_id, DECLINE)
    amended = desk.amend_record(
        "decline", first.id, {**DECLINE, "reasons": "Moving away."}, version=first.version
    )
    assert amended.values["reasons"] == "Moving away."
    with pytest.raises(ConflictError, match="reload"):
        desk.amend_record("decline", first.id, DECLINE, version=first.version)
    with pytest.raises(PermissionDenied, match="written by someone else"):
        _desk(db, manager).amend_record("decline", first.id, DECLINE, version=amended.version)


def test_a_locked_record_refuses_amendment_through_the_generic_service(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = _allocated_family(db, admin, manager, worker)
    desk = _desk(db, worker)
    view = desk.create_record("objection", family_id, OBJECTION)
    with db.session() as session:  # what signing does: the record locks
        session.execute(
            update(SPECS["objection"].model.__table__)  # type: ignore[attr-defined]
            .where(SPECS["objection"].model.__table__.c.id == view.id)  # type: ignore[attr-defined]
            .values(locked=True, version=view.version + 1)
        )
    with pytest.raises(RecordLocked, match="addendum"):
        desk.amend_record("objection", view.id, OBJECTION, version=view.version + 1)


def test_a_decision_is_a_managers_and_names_a_subject_of_the_same_family(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = _allocated_family(db, admin, manager, worker)
    other_family = _allocated_family(db, admin, manager, worker)
    decline = _desk(db, worker).create_record("decline", family_id, DECLINE)
    elsewhere = _desk(db, worker).create_record("decline", other_family, DECLINE)
    values = {k: v for k, v in DECISION_DECLINE.items() if k != "subject"}
    with pytest.raises(PermissionDenied, match="only managers"):
        _desk(db, worker).create_record("decision", family_id, values, carried={"subject": "decline"})
    with pytest.raises(NotFound, match="no decline record"):
        _desk(db, manager).create_record(
            "decision", family_id, values, carried={"subject": "decline", "subject_id": elsewhere.id}
        )
    decided = _desk(db, manager).create_record(
        "decision", family_id, values, carried={"subject": "decline", "subject_id": decline.id}
    )
    assert decided.values["subject"] == "decline"


def test_nothing_is_done_before_someone_logs_in(db: Database) -> None:
    with pytest.raises(NotLoggedIn, match="log in"):
        Desk(db, default_pack()).list_records("share", 1)


HOME_VISIT = FormDefinition(
    id="home_visit",
    title="Home visit",
    version=1,
    sections=(
        Section(
            "Visit",
            (
                Text(
                    name="title",
                    label="What the visit was about",
                    required=Required(obligation="DQ", message="Say in a few words what the visit was about"),
                ),
                LongText(name="body", label="What happened"),
            ),
        ),
    ),
)


#: The one registry entry the test form needs (stored in the case-notes table, which has a title and a body).
HOME_VISIT_SPEC = RecordSpec(
    HOME_VISIT,
    StorageMap(table="casenotes", columns=("title", "body")),
    CaseNote,
    Permission.RECORD_SHARING,
    "casenote",
)


def test_a_new_casefile_form_needs_only_a_definition_and_a_spec_entry(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    """The 'add a form' promise of issue 15: a service, validation and a JSON Schema from data alone
    (the generic Qt page is proved in tests/gui/test_record_page.py)."""
    family_id = _allocated_family(db, admin, manager, worker)
    desk = _desk(db, worker, specs={**SPECS, "home_visit": HOME_VISIT_SPEC})
    with pytest.raises(ValidationFailed, match="problem"):
        desk.create_record("home_visit", family_id, {"title": "", "body": "x"})
    view = desk.create_record("home_visit", family_id, {"title": "Morning routine", "body": "Went well."})
    assert [v.values["title"] for v in desk.list_records("home_visit", family_id)] == ["Morning routine"]
    with db.read() as session:
        assert session.get(CaseNote, view.id).title == "Morning routine"  # type: ignore[union-attr]
    schema = json_schema(HOME_VISIT)
    assert schema["properties"]["title"]["type"] in ("string", ["string", "null"])
