"""Proportional sharing (G7, G15) and the explanation record a family can read (G11–G14, G18, G25)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from ehdesk.errors import PermissionDenied, ValidationFailed
from ehdesk.forms.choices import DATA_ITEMS
from ehdesk.services import families
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from tests.integration.worker_helpers import allocated_family, desk, family_version
from tests.unit.forms.formcases import SHARE_WELLBEING

ARABIC = "سارة"


def _text(pdf: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_data_items_offered_are_what_the_familys_record_holds(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = allocated_family(db, admin, manager, worker)
    items = {item.key: item for item in desk(db, worker).family_data_items(family_id)}
    assert "education" not in items  # the sample referral names no school and no education need
    assert "Ava Smith" in items["identity"].value
    assert "LS6 2AB" in items["contact"].value
    assert items["household"].value == "2 children, 1 carer"
    assert items["identity"].label == DATA_ITEMS.label_for("identity")
    assert "other" in items


def test_the_contact_item_names_the_familys_postcode_once(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = allocated_family(db, admin, manager, worker)
    contact = {item.key: item for item in desk(db, worker).family_data_items(family_id)}["contact"].value
    assert contact.count("LS6 2AB") == 1, contact  # the referral's address already ends with it (44.png)
    assert "07400 123456" in contact
    version = family_version(db, family_id)
    with db.session() as session:
        families.update_address(session, admin, family_id, "1 High St", "ls1 1aa", version=version)
    contact = {item.key: item for item in desk(db, worker).family_data_items(family_id)}["contact"].value
    assert contact.startswith("1 High St, LS1 1AA"), contact  # a corrected address without it gains it once
    assert contact.count("LS1 1AA") == 1, contact


def test_a_share_of_an_item_the_family_does_not_hold_is_refused(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = allocated_family(db, admin, manager, worker)
    worker_desk = desk(db, worker)
    with pytest.raises(ValidationFailed) as refused:
        worker_desk.create_record(
            "share", family_id, {**SHARE_WELLBEING, "data_items": ["identity", "education"]}
        )
    assert [p.rule_id for p in refused.value.result.errors] == ["G7.held-items"]
    check = worker_desk.check_record("share", family_id, {**SHARE_WELLBEING, "data_items": ["education"]})
    assert not check.ok
    stored = worker_desk.create_record("share", family_id, {**SHARE_WELLBEING, "data_items": ["identity"]})
    assert stored.values["data_items"] == ["identity"]  # only what was picked is kept


def test_an_allocated_family_is_offered_no_assessment_or_plan_it_does_not_hold(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = allocated_family(db, admin, manager, worker)  # the referral names no earlier assessment
    worker_desk = desk(db, worker)
    offered = {item.key for item in worker_desk.family_data_items(family_id)}
    assert not offered & {"assessment", "plan"}, offered  # 71.png: both offered though neither recorded
    for item in ("assessment", "plan"):
        with pytest.raises(ValidationFailed) as refused:
            worker_desk.create_record(
                "share", family_id, {**SHARE_WELLBEING, "data_items": ["identity", item]}
            )
        (problem,) = refused.value.result.errors
        assert problem.rule_id == "G7.held-items"
        assert "guidance G7" in problem.message
        assert "'Other'" in problem.message  # says what to do instead


def test_an_assessment_recorded_at_referral_is_offered_and_can_be_shared(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    family_id = allocated_family(db, admin, manager, worker, existing_assessment=True)
    worker_desk = desk(db, worker)
    items = {item.key: item for item in worker_desk.family_data_items(family_id)}
    assert "already done" in items["assessment"].value
    assert "plan" not in items
    stored = worker_desk.create_record("share", family_id, {**SHARE_WELLBEING, "data_items": ["assessment"]})
    assert stored.values["data_items"] == ["assessment"]


def test_the_explanation_record_states_what_was_explained_and_no_item_left_unpicked(
    db: Database, admin: Actor, manager: Actor, worker: Actor, tmp_path: Path
) -> None:
    child = {"given_name": ARABIC, "family_name": "Ahmed", "birth_date": "2016-04-09", "gender": "female"}
    family_id = allocated_family(db, admin, manager, worker, children=[child])
    worker_desk = desk(db, worker)
    worker_desk.record_pack_shared(family_id, "printed", worker_desk.privacy_notice_pack(family_id))
    share = worker_desk.create_record("share", family_id, {**SHARE_WELLBEING, "data_items": ["identity"]})
    pdf = worker_desk.share_explanation_pdf(share.id)
    text = _text(pdf)
    for expected in (
        "what we explained to you",
        worker.full_name,
        "a family new to Early Help (G5)",  # which script
        SHARE_WELLBEING["what_shared"],
        SHARE_WELLBEING["why_needed"],
        SHARE_WELLBEING["how_used"],
        "School, Designated safeguarding lead",
        "Our reassurance to you (G18)",
        worker_desk.policy.stamp,
        DATA_ITEMS.label_for("identity"),
    ):
        assert expected in text, expected
    for key in DATA_ITEMS.values():
        if key != "identity":
            assert DATA_ITEMS.label_for(key) not in text, key  # G7: nothing the worker did not pick
    path = tmp_path / "explanation.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded
    assert subprocess.run(["qpdf", "--check", str(path)], capture_output=True).returncode == 0


def test_a_worker_cannot_read_the_explanation_of_another_workers_family(
    db: Database, admin: Actor, manager: Actor, worker: Actor
) -> None:
    from ehdesk.domain import Role
    from tests.conftest import make_user

    other = make_user(db, "otto", Role.WORKER)
    family_id = allocated_family(db, admin, manager, other)
    share = desk(db, other).create_record("share", family_id, {**SHARE_WELLBEING, "data_items": ["identity"]})
    with pytest.raises(PermissionDenied, match="not allocated"):
        desk(db, worker).share_explanation_pdf(share.id)
