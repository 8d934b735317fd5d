"""Start-up does no work the first paint does not need (issue 18), pinned by what exists, not by a clock.

The timings are in ``benchmarks/bench_startup.py``; these tests keep the design that makes them: the main
window builds only the page it shows, and the referral form (the costliest page) waits to be opened.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ehdesk.gui.backend import Backend
from ehdesk.gui.mainwindow import MainWindow
from ehdesk.gui.referral_page import ReferralPage


def test_an_admins_main_window_builds_no_hidden_page_until_it_is_opened(
    qtbot: QtBot, backend: Backend
) -> None:
    window = MainWindow(backend)
    qtbot.addWidget(window)
    stack = window.ui.stack
    hidden = [stack.widget(i) for i in range(stack.count()) if stack.widget(i) is not stack.currentWidget()]
    assert hidden, "the window has more than one view"
    assert all(type(page) is QWidget for page in hidden), [type(p).__name__ for p in hidden]
    assert window.findChildren(ReferralPage) == []

    window.show_view("referral")  # opened: now it is built, once
    assert len(window.findChildren(ReferralPage)) == 1
    window.show_view("families")
    window.show_view("referral")
    assert len(window.findChildren(ReferralPage)) == 1
