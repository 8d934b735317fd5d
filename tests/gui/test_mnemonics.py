"""No two buttons, ticks or labelled inputs of one window share an Alt+letter: the tester's Alt+L in the
privacy-notice pack ticked "Large print" when "Mark link sent" was meant (41.png)."""

from __future__ import annotations

import io

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from reportlab.pdfgen.canvas import Canvas

from ehdesk.gui.allocation_dialog import AllocationDialog
from ehdesk.gui.mainwindow import MainWindow
from ehdesk.gui.pack_dialog import PackDialog
from ehdesk.gui.pdf_preview import PdfPreviewDialog
from ehdesk.gui.signoff_dialog import SignoffDialog
from ehdesk.storage.database import Database
from tests.gui.mnemonics import clashes, menu_clashes, menu_letters, mnemonic
from tests.gui.test_manager_addendum_and_closure import signed_page
from tests.gui.test_manager_signoff import Office, office, window_for
from tests.gui.workers import make_team, open_window

__all__ = ["office"]


def test_mnemonic_reads_the_letter_after_a_single_ampersand() -> None:
    assert mnemonic("Mark &link sent") == "l"
    assert mnemonic("Fish && &chips") == "c"
    assert mnemonic("Close") is None


def test_the_pack_dialog_gives_each_button_and_tick_its_own_letter(sqlite_db: Database, qtbot: QtBot) -> None:
    team = make_team(sqlite_db)
    family = team.held_family("Ava", "Smith")
    dialog = PackDialog(team.worker, family, "EH")
    qtbot.addWidget(dialog)
    assert clashes(dialog) == {}
    assert mnemonic(dialog.link_button.text()) != mnemonic(dialog.large_print.text())


def test_the_preview_allocation_and_casefile_give_each_button_its_own_letter(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    out = io.BytesIO()
    Canvas(out).save()
    preview = PdfPreviewDialog("Explanation record", "x.pdf", out.getvalue())
    qtbot.addWidget(preview)
    assert clashes(preview) == {}
    team = make_team(sqlite_db)
    family = team.refer("Ava", "Smith")
    allocation = AllocationDialog(team.manager, family, "EH", version=1)
    qtbot.addWidget(allocation)
    assert clashes(allocation) == {}
    window = open_window(qtbot, team.manager)
    window.worker_views.open_casefile(family)
    assert clashes(window.worker_views.casefile) == {}


def test_the_decision_view_and_sign_off_give_each_button_its_own_letter(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = window_for(qtbot, office, office.manager, monkeypatch)
    page = signed_page(qtbot, window)
    buttons = [page.back_button, page.save_button, page.sign_button, page.addendum_button, page.record_button]
    letters = [mnemonic(b.text()) for b in buttons]
    assert len(set(letters)) == len(letters), letters
    assert page.closure is not None
    assert clashes(page.closure) == {}
    record = page.signed
    assert record is not None
    dialog = SignoffDialog(window.backend, record.decision_id, parent=window)
    qtbot.addWidget(dialog)
    assert clashes(dialog) == {}


def test_no_decision_view_button_shares_an_alt_letter_with_a_menu_title(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Alt+R opened the Referral menu, not "Signed record…" (77c.png, 78.png)."""
    window = window_for(qtbot, office, office.manager, monkeypatch)
    assert set(menu_letters(window)) >= {"f", "e", "v", "r", "c", "h"}
    page = signed_page(qtbot, window)
    assert page.record_button.isVisibleTo(page)
    assert mnemonic(page.record_button.text()) not in menu_letters(window)
    assert menu_clashes(window, page) == {}


@pytest.mark.parametrize("prompt", ["discard_prompt", "unsaved_prompt"])
def test_the_referral_questions_give_discard_alt_d_and_no_letter_twice(
    window: MainWindow, qtbot: QtBot, prompt: str
) -> None:
    """File ▸ Discard referral's question had a Discard button without an Alt-letter, where the unsaved
    prompt's Discard answers Alt+D: the same word now answers the same key in both."""
    box: QMessageBox = getattr(window, prompt)()
    qtbot.addWidget(box)
    discard = box.button(QMessageBox.StandardButton.Discard)
    assert discard is not None
    assert mnemonic(discard.text()) == "d"
    assert clashes(box) == {}
