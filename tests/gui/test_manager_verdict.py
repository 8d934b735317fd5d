"""The verdict widget says each answer in words, so no one has to read a colour to know a record is bad."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from ehdesk.desk.manager import Verdict
from ehdesk.gui.verdict_widget import VerdictWidget, headline, verdict_lines

GOOD = Verdict(
    signer="Mo Manager",
    role="Manager",
    signed_at=datetime(2026, 3, 2, 10, 15, tzinfo=UTC),
    intact=True,
    trusted=True,
    audit_hash="ab" * 32,
    audit_hash_held=True,
    problems=(),
)


def test_a_good_record_reads_signed_intact_trusted_and_held() -> None:
    lines = {question: (answer, good) for question, answer, good in verdict_lines(GOOD)}
    assert lines["Signed by"] == ("Mo Manager (Manager)", True)
    assert lines["Intact"][0].startswith("yes")
    assert lines["Trusted"][0].startswith("yes")
    assert lines["Audit trail"] == ("holds the hash this record carries", True)
    assert all(good for _answer, good in lines.values())
    assert headline(GOOD) == "Signed record verified"


def test_a_changed_untrusted_record_says_no_and_what_to_do(qtbot: QtBot) -> None:
    bad = Verdict(
        signer="Someone Else",
        role="",
        signed_at=None,
        intact=False,
        trusted=False,
        audit_hash="",
        audit_hash_held=None,
        problems=("the signature does not cover the whole file",),
    )
    widget = VerdictWidget(bad)
    qtbot.addWidget(widget)
    assert "does not verify" in widget.title.text()
    assert "NO" in widget.answers["Intact"].text()
    assert "NO" in widget.answers["Trusted"].text()
    assert "no audit hash" in widget.answers["Audit trail"].text()
    assert "whole file" in widget.answers["Problem"].text()
    assert widget.answers["Intact"].accessibleName() == "Intact"
    widget.show_verdict(GOOD)  # reused: the old lines are replaced, not added to
    assert "NO" not in widget.answers["Intact"].text()
    assert "Problem" not in widget.answers
