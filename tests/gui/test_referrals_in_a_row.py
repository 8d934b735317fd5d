"""Keying referral after referral in one window: nothing of one referral is carried into the next.

Issue 13: after "Save and start next", after Discard and after a restored draft, Ctrl+N opened a "new"
referral that still held Child 1 of the one before (name, NHS number, ethnicity, school, GP), and
whatever the admin did not overwrite was saved onto the next family. These tests key referrals one
after another by keyboard, in a single window, and read back from the database what each family holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from ehdesk.forms.registry import get_form
from ehdesk.gui.backend import Backend
from ehdesk.gui.drafts import RestoreDraftDialog
from ehdesk.gui.mainwindow import MainWindow
from ehdesk.gui.referral_page import FOCUS_KEY, new_referral_defaults
from ehdesk.storage.models import Family, Person, Referral
from tests.gui.keyboard import focused, press, type_text
from tests.gui.test_referral_entry import complete_referral, key_in, plan_keying

CTRL = Qt.KeyboardModifier.ControlModifier
CHILD_KEYS = (
    "given_name",
    "family_name",
    "also_known_as",
    "nhs_number",
    "ethnicity",
    "first_language",
    "school_or_setting",
    "gp_practice",
)


def typed(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Every answer that is not blank, repeat items flattened to ``children[0].given_name``."""
    found: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            for index, item in enumerate(value):
                found.update(typed(item, f"{prefix}{name}[{index}]."))
        elif value not in (None, "", []):
            found[f"{prefix}{name}"] = value
    return found


def assert_new_and_empty(window: MainWindow) -> None:
    view = window.referral.view
    assert typed(view.raw_values()) == new_referral_defaults()
    assert not window.referral.dirty
    assert view.problems == []


def save_confirming(qtbot: QtBot, window: MainWindow, *, next_after: bool) -> None:
    """Ctrl+S (or Ctrl+Enter for save-and-next); if only warnings are left, Enter confirms them."""
    count = _referrals(window.backend)
    press(qtbot, Qt.Key.Key_Return if next_after else Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(
        lambda: _referrals(window.backend) > count or isinstance(window.referral.pending_dialog, QMessageBox)
    )  # a refusal or duplicate prompt would time out here: the values are chosen to raise neither
    if isinstance(window.referral.pending_dialog, QMessageBox):
        box = window.referral.pending_dialog
        qtbot.waitUntil(box.isVisible)
        qtbot.keyClick(box, Qt.Key.Key_Return)  # one keystroke: Enter on "Save anyway"
    qtbot.waitUntil(lambda: _referrals(window.backend) > count)


def _referrals(backend: Backend) -> int:
    with backend.db.session() as session:
        return len(session.scalars(select(Referral)).all())


def children_on_record(backend: Backend, child_given_name: str) -> list[dict[str, Any]]:
    """The children of the family that holds ``child_given_name``, as the CHILD_KEYS of their rows."""
    with backend.db.session() as session:
        person = session.scalars(select(Person).where(Person.given_name == child_given_name)).one()
        family = session.get(Family, person.family_id)
        assert family is not None
        kids = [p for p in sorted(family.people, key=lambda p: p.id) if p.kind == "child"]
        rows = []
        for kid in kids:
            row = {key: kid.data.get(key) or None for key in CHILD_KEYS}
            row["given_name"], row["family_name"] = kid.given_name, kid.family_name
            row["nhs_number"] = kid.nhs_number or None
            rows.append(row)
        return rows


def expected_children(*children: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            key: ("".join(str(c[key]).split()) if key == "nhs_number" else c[key]) if c.get(key) else None
            for key in CHILD_KEYS
        }
        for c in children
    ]


def key_referral(window: MainWindow, qtbot: QtBot, answers: Mapping[str, Any]) -> None:
    plan = plan_keying(get_form("referral"), answers)
    assert plan.misplaced == []
    key_in(window, plan.keys, qtbot)


def a_referral(child: Mapping[str, Any], *, referrer: str, postcode: str, born: date) -> dict[str, Any]:
    """A referral that answers only what it must, with one child (unlike any other, so no duplicate)."""
    return {
        "received_on": date.today(),
        "how_received": "paper",
        "referrer_name": referrer,
        "postcode": postcode,
        "children": [{"unborn": False, "birth_date": born, **child}],
        "reasons": f"Help asked for {child['given_name']}",
        "discussed_with_parent": True,
    }


NGUYEN = {
    "given_name": "Nguyễn Văn",
    "family_name": "An",
    "nhs_number": "401 023 2137",
    "ethnicity": "Vietnamese",
    "school_or_setting": "Beckett Park Primary",
    "gp_practice": "Kirkstall Surgery",
}
SIAN = {"given_name": "Siân", "family_name": "Ó Briain"}
MOHAMED = {
    "given_name": "محمد",
    "family_name": "السيد",
    "nhs_number": "123 456 7881",
    "ethnicity": "Arab",
    "first_language": "Arabic",
    "school_or_setting": "Oakfield Primary",
    "gp_practice": "Hyde Park Surgery",
}
LAST = {"given_name": "Tomasz", "family_name": "Kowalski"}


def test_referrals_keyed_in_a_row_each_hold_only_their_own_values_in_the_database(
    window: MainWindow, backend: Backend, qtbot: QtBot
) -> None:
    # 1. a complete referral (two children, a carer, an agency), then "Save and start next"
    press(qtbot, Qt.Key.Key_N, CTRL)
    first = complete_referral()
    key_referral(window, qtbot, first)
    save_confirming(qtbot, window, next_after=True)
    qtbot.waitUntil(lambda: not window.referral.dirty)
    assert_new_and_empty(window)

    # 2. a referral keyed in full and then thrown away with Discard
    key_referral(
        window, qtbot, a_referral(NGUYEN, referrer="Ruth Ng", postcode="LS5 3AA", born=date(2014, 3, 4))
    )
    window.ui.actionDiscardReferral.trigger()
    box = window.pending_dialog
    assert isinstance(box, QMessageBox)
    discard = box.button(QMessageBox.StandardButton.Discard)
    assert discard is not None
    discard.click()
    qtbot.waitUntil(lambda: window.pending_dialog is None)
    press(qtbot, Qt.Key.Key_N, CTRL)
    assert_new_and_empty(window)

    # 3. a referral that gives only names: nothing of 1 or 2 may fill the rest
    key_referral(
        window, qtbot, a_referral(SIAN, referrer="Joe Bloggs", postcode="LS6 1AA", born=date(2016, 5, 6))
    )
    save_confirming(qtbot, window, next_after=False)
    qtbot.waitUntil(lambda: not window.referral.dirty)

    # 4. a draft left by a session that was killed, restored, finished where the cursor was, saved
    draft = {
        **{
            k: v.isoformat() if isinstance(v, date) else v
            for k, v in a_referral(
                MOHAMED, referrer="Ann Lee", postcode="LS7 2BB", born=date(2015, 1, 2)
            ).items()
        },
        "children": [
            {**MOHAMED, "school_or_setting": "Oakfield", "unborn": False, "birth_date": "2015-01-02"}
        ],
        FOCUS_KEY: "children[0].school_or_setting",
    }
    backend.save_draft("referral", "new-killed", draft)
    assert window.offer_restore()
    dialog = window.pending_dialog
    assert isinstance(dialog, RestoreDraftDialog)
    dialog.ui.restoreButton.click()
    qtbot.waitUntil(lambda: window.current_view == "referral" and window.referral.dirty)
    school = window.referral.view.row_for("children[0].school_or_setting")
    assert school is not None
    assert focused() is school.input.focus_widgets()[0], "the cursor is back where it was"
    type_text(" Primary")
    save_confirming(qtbot, window, next_after=False)
    qtbot.waitUntil(lambda: not window.referral.dirty)
    press(qtbot, Qt.Key.Key_N, CTRL)
    assert_new_and_empty(window)

    # 5. after the restored draft, once more with names only
    key_referral(
        window, qtbot, a_referral(LAST, referrer="Kim Park", postcode="LS8 3DD", born=date(2019, 9, 10))
    )
    save_confirming(qtbot, window, next_after=True)
    qtbot.waitUntil(lambda: not window.referral.dirty)
    assert_new_and_empty(window)

    assert children_on_record(backend, "Ava") == expected_children(*first["children"])
    assert children_on_record(backend, "Siân") == expected_children(SIAN)
    assert children_on_record(backend, "محمد") == expected_children(MOHAMED)
    assert children_on_record(backend, "Tomasz") == expected_children(LAST)
    with backend.db.session() as session:
        assert len(session.scalars(select(Family)).all()) == 4
        assert session.scalars(select(Person).where(Person.given_name == "Nguyễn Văn")).all() == []
        referrals = session.scalars(select(Referral).order_by(Referral.id)).all()
        assert [r.data["referrer_name"] for r in referrals] == [
            "Sam Okafor",
            "Joe Bloggs",
            "Ann Lee",
            "Kim Park",
        ]
        # the carer and agency of the first referral went nowhere else
        for referral in referrals[1:]:
            assert referral.data.get("carers") in (None, [])
            assert referral.data.get("agencies_involved") in (None, [])
    assert backend.list_drafts() == []
