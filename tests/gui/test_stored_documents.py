"""Stored documents leave ehdesk as they were signed: a casefile's "Document" entry and the decision view
after signing preview the stored bytes, show the signature's verdict and save exactly those bytes; a
referral on the casefile opens in its own form, read-only, naming who keyed it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ehdesk.gui.casefile_view import EntryDialog
from ehdesk.gui.document_view import DocumentDialog
from ehdesk.storage.database import Database
from tests.gui.test_manager_addendum_and_closure import signed_page
from tests.gui.test_manager_signoff import Office, office, window_for
from tests.gui.workers import make_team, open_window

__all__ = ["office"]


def test_the_signed_record_opens_from_the_decision_view_and_saves_its_exact_signed_bytes(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = window_for(qtbot, office, office.manager, monkeypatch)
    page = signed_page(qtbot, window)
    signed = page.signed
    assert signed is not None
    assert page.record_button.isVisible()
    page.record_button.click()
    dialog = page.pending_dialog
    assert isinstance(dialog, DocumentDialog)
    qtbot.waitUntil(lambda: dialog.page_count > 0)
    assert dialog.verdict.answers["Intact"].text().startswith("yes")
    assert dialog.verdict.answers["Trusted"].text().startswith("yes")
    target = tmp_path / "record.pdf"
    assert dialog.save_to(target)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == signed.sha256
    dialog.reject()


def test_a_document_entry_on_the_casefile_previews_the_stored_pdf_with_its_verdict(
    qtbot: QtBot, office: Office, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    window = window_for(qtbot, office, office.manager, monkeypatch)
    page = signed_page(qtbot, window)
    signed = page.signed
    assert signed is not None
    casefile = page.casefile
    documents = [e for e in casefile.model.rows if e.kind == "document"]
    assert documents, "the signed record is not on the casefile"
    dialog = casefile.open_entry(documents[0])
    assert isinstance(dialog, DocumentDialog)
    assert dialog.document_id == signed.document_id
    qtbot.waitUntil(lambda: dialog.page_count > 0)
    assert "verified" in dialog.verdict.title.text()
    target = tmp_path / "from-casefile.pdf"
    assert dialog.save_to(target)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == signed.sha256
    dialog.reject()


def test_a_referral_opens_read_only_in_its_form_naming_who_keyed_it(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    team = make_team(sqlite_db)
    family = team.held_family("Ava", "Smith")
    window = open_window(qtbot, team.worker)
    casefile = window.worker_views.casefile
    window.worker_views.open_casefile(family)
    referral = next(e for e in casefile.model.rows if e.kind == "referral")
    assert referral.author  # the admin who keyed it
    dialog = casefile.open_entry(referral)
    assert isinstance(dialog, EntryDialog)
    assert dialog.view is not None
    values = dialog.view.values()
    assert values["referrer_name"] == "Ruth Ng"
    assert "routines" in values["reasons"]
    assert [c["given_name"] for c in values["children"]] == ["Ava"]
    content = dialog.view.scroll_area.widget()
    assert content is not None
    assert not content.isEnabled()  # read-only
    assert f"recorded by {referral.author}" in dialog.heading.text()
    dialog.reject()
