"""Text typed after Tab past a problem message lands in a field the user sees, never in a vanishing one.

The tester's key sequence on a decline decision (Ctrl+S, type the network answer, Tab, Tab, type a
contact's name) saved the contact as "ini": the "Why is this needed?" message took the Tab stop,
swallowed the letters and then vanished under the cursor when the live re-check cleared it.
"""

from __future__ import annotations

from enum import Enum

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from ehdesk.gui.decision_page import DecisionPage
from ehdesk.gui.formview import FormView
from ehdesk.gui.formview.repeat import RepeatInput
from ehdesk.gui.formview.row import ProblemMessage
from ehdesk.gui.mainwindow import MainWindow
from ehdesk.gui.queue_view import QueueView
from tests.gui.keyboard import focused, press, type_text
from tests.gui.test_manager_signoff import Office, manager_views, office, window_for

__all__ = ["office"]  # the fixture, shared with the sign-off tests

CTRL = Qt.KeyboardModifier.ControlModifier
NETWORK = "How can the existing network… the school’s pastoral team"
CONTACT = "Fatima Al-Hussaini"


class Pace(Enum):
    """When the live re-check runs relative to the keys: the tester's three attempts."""

    FAST = "before any re-check"  # every key before the re-check clears the network's message
    SLOW = "re-check after each step"  # the message is gone before the first Tab
    MIDWAY = "re-check while on the message"  # the message vanishes while it holds the focus


def open_decline(qtbot: QtBot, window: MainWindow) -> DecisionPage:
    views = manager_views(window)
    press(qtbot, Qt.Key.Key_6, CTRL)
    queue = views.view
    assert isinstance(queue, QueueView)
    qtbot.waitUntil(lambda: queue.model.rowCount() == 1)
    press(qtbot, Qt.Key.Key_Return)
    page = queue.decision
    assert isinstance(page, DecisionPage)
    return page


def settle(qtbot: QtBot, view: FormView) -> None:
    """Let the live re-check that the typing started run."""
    qtbot.waitUntil(lambda: not view.recheck_pending)


def contacts(view: FormView) -> RepeatInput:
    group = view.rows["closure_contacts"].input
    assert isinstance(group, RepeatInput)
    return group


@pytest.mark.parametrize("pace", list(Pace), ids=[p.name.lower() for p in Pace])
def test_the_testers_decline_keys_put_every_character_of_the_contact_in_the_contact(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch, pace: Pace
) -> None:
    window = window_for(qtbot, office, office.manager, monkeypatch)
    page = open_decline(qtbot, window)
    view = page.form.view
    view.set_values({**view.raw_values(), "decision": "Close Early Help.", "rationale": "Needs are met."})
    press(qtbot, Qt.Key.Key_S, CTRL)  # refused: the decline's questions are unanswered
    network = view.rows["existing_network"]
    assert network.message.isVisible()
    assert focused() is network.input.focus_widgets()[0]

    type_text(NETWORK)
    if pace is Pace.SLOW:
        settle(qtbot, view)
    press(qtbot, Qt.Key.Key_Tab)
    if pace is not Pace.FAST:
        settle(qtbot, view)
    assert focused().isVisible(), "the focus is on something no longer on screen"
    press(qtbot, Qt.Key.Key_Tab)
    if pace is Pace.SLOW:
        settle(qtbot, view)
    assert focused().isVisible()
    type_text(CONTACT)
    settle(qtbot, view)

    assert view.raw_values()["existing_network"] == NETWORK
    assert [item.value()["who"] for item in contacts(view).items] == [CONTACT]
    assert focused() is contacts(view).items[0].rows["who"].input.focus_widgets()[0]


def test_one_tab_leaves_a_problem_message_and_enter_explains_it(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_for(qtbot, office, office.manager, monkeypatch)
    view = open_decline(qtbot, window).form.view
    press(qtbot, Qt.Key.Key_S, CTRL)
    decision, rationale = view.rows["decision"], view.rows["rationale"]
    assert focused() is decision.input.focus_widgets()[0]
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is decision.message
    explained: list[str] = []
    decision.message.linkActivated.connect(explained.append)
    press(qtbot, Qt.Key.Key_Return)
    assert explained == ["why:0"]
    press(qtbot, Qt.Key.Key_Tab)  # one Tab, not one per link inside the message
    assert focused() is rationale.input.focus_widgets()[0]
    press(qtbot, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert focused() is decision.message


def test_text_typed_on_a_referral_problem_message_goes_into_its_field(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.new_referral()
    view = window.referral.view
    press(qtbot, Qt.Key.Key_S, CTRL)  # refused: required answers missing
    row = next(
        r
        for r in view.rows.values()
        if r.message.isVisible() and isinstance(r.input.focus_widgets()[-1], QLineEdit | QPlainTextEdit)
    )
    assert isinstance(row.message, ProblemMessage)
    row.message.setFocus(Qt.FocusReason.TabFocusReason)
    assert focused() is row.message
    type_text("Zoë")
    assert focused() is row.input.focus_widgets()[-1]
    assert row.input.value() == "Zoë"


def test_a_message_cleared_while_it_has_the_focus_hands_it_to_the_next_field(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.new_referral()
    view = window.referral.view
    press(qtbot, Qt.Key.Key_S, CTRL)
    rows = [r for r in view.rows.values() if r.message.isVisible()]
    row = rows[0]
    row.message.setFocus(Qt.FocusReason.TabFocusReason)
    chain = view.tab_chain()
    after = next(w for w in chain[chain.index(row.message) + 1 :] if w.isVisibleTo(view) and w.isEnabled())
    row.set_problems([])  # what the live re-check does once the field is fixed
    assert focused() is after
