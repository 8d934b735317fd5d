"""Text typed after Tab lands in the field the user sees focused, never in a problem message.

Two new-user trials lost typing on the decline decision: "Tab, Tab, a contact's name" saved the contact
as "ini" (the "Why is this needed?" message took a Tab stop, swallowed letters and vanished under the
cursor), and "n, Tab, the reasoning" on a Yes/No answer lost the reasoning (the message handed the
letters back to the list, and a space opened it). Messages are no longer Tab stops.
"""

from __future__ import annotations

from enum import Enum

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ehdesk.gui.decision_page import DecisionPage
from ehdesk.gui.formview import FormView
from ehdesk.gui.formview.repeat import RepeatInput
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
def test_a_contact_typed_after_tab_from_the_network_answer_is_the_contact(
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
    press(qtbot, Qt.Key.Key_Tab)  # to the contacts' "Add" button: the next thing on the page
    if pace is not Pace.FAST:
        settle(qtbot, view)
    assert focused() is contacts(view).add_button
    type_text(CONTACT)  # typing on "Add" makes the contact and goes into it
    settle(qtbot, view)

    assert view.raw_values()["existing_network"] == NETWORK
    assert [item.value()["who"] for item in contacts(view).items] == [CONTACT]
    assert focused() is contacts(view).items[0].rows["who"].input.focus_widgets()[0]


def test_no_after_a_yes_no_answer_with_a_problem_then_tab_then_the_reasoning_keeps_the_reasoning(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_for(qtbot, office, office.manager, monkeypatch)
    view = open_decline(qtbot, window).form.view
    press(qtbot, Qt.Key.Key_S, CTRL)
    answer = view.rows["concerns_raised"]
    assert answer.message.isVisible()
    answer.input.focus_widgets()[0].setFocus()
    type_text("n")
    press(qtbot, Qt.Key.Key_Tab)  # before the live re-check clears the answer's message
    reasoning = view.rows["concerns_reasoning"]
    assert focused() is reasoning.input.focus_widgets()[0]
    type_text("No worries were raised at the review.")
    settle(qtbot, view)
    assert view.raw_values()["concerns_raised"] is False
    assert view.raw_values()["concerns_reasoning"] == "No worries were raised at the review."


def test_tab_through_a_refused_decision_stops_only_on_fields_on_screen(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_for(qtbot, office, office.manager, monkeypatch)
    view = open_decline(qtbot, window).form.view
    press(qtbot, Qt.Key.Key_S, CTRL)
    messages = {id(row.message) for row in view.rows.values()}
    seen: list[QWidget] = []
    for _ in range(len(view.rows) + 5):
        press(qtbot, Qt.Key.Key_Tab)
        widget = focused()
        assert id(widget) not in messages, "a problem message took the focus"
        assert widget.isVisible(), "the focus is on something not on screen"
        seen.append(widget)
    assert len({id(w) for w in seen}) > 3
