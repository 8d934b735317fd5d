"""A long session of keying does not crash the app, and what was typed last is what the form holds.

Issue 13: on PySide6 6.12.0 each keystroke in the referral form leaked a reference to ``None`` (combo
data read while deciding relevance) and a few hundred keystrokes later Python aborted. This test keys
5,000 key events into the referral form, through every kind of input, pausing often but always for less
than the draft delay (the timer is still pending when the event loop gets control), and now and then
long enough for a draft to be written, as a person pausing to read the paper would.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from ehdesk.gui.backend import Backend
from ehdesk.gui.formview.repeat import RepeatInput
from ehdesk.gui.mainwindow import MainWindow
from tests.gui.keyboard import focused, press, type_text

KEYSTROKES = 5_000
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NAMES = ("Siân Ó Briain", "Nguyễn Văn An", "محمد السيد", "Zoë O'Neill")


class Keyer:
    """Counts every key event sent, and lets the event loop run between bursts without sleeping."""

    def __init__(self, qtbot: QtBot, window: MainWindow) -> None:
        self.qtbot = qtbot
        self.window = window
        self.count = 0

    def type(self, text: str) -> None:
        type_text(text)
        self.count += len(text)

    def press(self, key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
        press(self.qtbot, key, modifiers)
        self.count += 1

    def pause(self) -> None:
        """A pause shorter than the draft delay: the event loop runs, the draft timer keeps waiting."""
        QApplication.processEvents()
        assert self.window.referral.drafts.pending, "the pause outlasted the draft delay"


def test_five_thousand_keystrokes_through_every_input_kind_keep_the_app_alive_and_the_values(
    window: MainWindow, backend: Backend, qtbot: QtBot
) -> None:
    window.new_referral()
    view = window.referral.view
    rows = view.rows
    children = rows["children"].input
    assert isinstance(children, RepeatInput)
    keyer = Keyer(qtbot, window)
    none_refs_before = sys.getrefcount(None)

    def into(name: str) -> None:
        rows[name].input.focus_widgets()[0].setFocus()

    rounds = 0
    expected: dict[str, object] = {}
    while keyer.count < KEYSTROKES:
        name = NAMES[rounds % len(NAMES)]
        # text: replace the whole field (Ctrl+A) and type a name in another script or with accents
        into("referrer_name")
        keyer.press(Qt.Key.Key_A, CTRL)
        keyer.type(f"{name} {rounds}")
        keyer.pause()
        # long text: several lines
        into("reasons")
        keyer.press(Qt.Key.Key_A, CTRL)
        keyer.type(f"Round {rounds}: {name} needs help with mornings")
        keyer.press(Qt.Key.Key_Return)
        keyer.type("Second line, typed after Enter")
        keyer.pause()
        # yes/no: toggles a follow-up question in and out of the form
        into("discussed_with_parent")
        answer_no = rounds % 2 == 0
        keyer.type("N" if answer_no else "Y")
        if answer_no:
            assert rows["not_discussed_reason"].isVisible()
            keyer.press(Qt.Key.Key_Tab)
            assert focused() is rows["not_discussed_reason"].input.focus_widgets()[0]
            keyer.press(Qt.Key.Key_A, CTRL)
            keyer.type(f"Dad away, round {rounds}")
        keyer.pause()
        # choice: down the list and back up
        into("how_received")
        for _ in range(3):
            keyer.press(Qt.Key.Key_Down)
        keyer.press(Qt.Key.Key_Up)
        # date: typed as on paper, tidied when the field is left
        into("received_on")
        keyer.press(Qt.Key.Key_A, CTRL)
        keyer.type(f"{rounds % 28 + 1}/7/2025")
        keyer.press(Qt.Key.Key_Tab)
        keyer.pause()
        # repeat group: add a child by shortcut, type its name, remove it again by shortcut
        first = children.items[0].rows["given_name"].input.focus_widgets()[0]
        first.setFocus()
        keyer.press(Qt.Key.Key_A, CTRL)
        keyer.type(name.split()[0])
        keyer.press(Qt.Key.Key_A, CTRL | SHIFT)
        assert len(children.items) == 2
        keyer.type(f"Extra {rounds}")
        keyer.press(Qt.Key.Key_Delete, CTRL | SHIFT)
        assert len(children.items) == 1
        keyer.pause()
        expected = {
            "referrer_name": f"{name} {rounds}",
            "reasons": f"Round {rounds}: {name} needs help with mornings\nSecond line, typed after Enter",
            "discussed_with_parent": not answer_no,
            "how_received": "portal",  # down three from the blank entry, up one
            "received_on": f"2025-07-{rounds % 28 + 1:02d}",
            "child": name.split()[0],
        }
        rounds += 1
        if rounds % 25 == 0:  # now and then the admin stops long enough for the draft to be written
            qtbot.waitUntil(lambda: not window.referral.drafts.pending, timeout=5000)

    assert keyer.count >= KEYSTROKES
    values = view.raw_values()
    got = {name: values[name] for name in expected if name != "child"}
    got["child"] = values["children"][0]["given_name"]
    assert got == expected
    assert len(values["children"]) == 1
    assert isinstance(focused(), QLineEdit | QPlainTextEdit)
    # the binding did not give back references to None it never took (6.12.0 lost one per combo read,
    # thousands here, and crashed). 6.11 keeps one per widget it wraps and deletes, a harmless gain.
    assert sys.getrefcount(None) >= none_refs_before - 200
    # the last words typed reach the draft: nothing is lost if the app is killed now
    window.referral.drafts.flush()
    assert [d.data["referrer_name"] for d in backend.list_drafts()] == [expected["referrer_name"]]
