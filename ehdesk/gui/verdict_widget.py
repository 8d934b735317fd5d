"""The verdict on a stored signed record, as ``ehdesk verify`` gives it, for the casefile and the sign-off.

Four questions, each answered in words rather than colour alone (a screen reader and a colour-blind
reader get the same answer): who signed, in what role and when; are the bytes exactly as signed; does
the certificate chain to the authority's signing CA; and does the audit trail still hold the hash the
record carries (G19: the oversight on the casefile can be shown not to have been rewritten since).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QVBoxLayout, QWidget

from ehdesk.desk.manager import Verdict

GOOD = "#1b5e20"
BAD = "#b71c1c"


def _when(moment: datetime | None) -> str:
    return moment.strftime("%d %B %Y, %H:%M") if moment is not None else "unknown"


def verdict_lines(verdict: Verdict) -> list[tuple[str, str, bool]]:
    """(question, answer, good) for each line the widget shows; Qt-free so it is tested on its own."""
    signer = verdict.signer or "unknown"
    return [
        ("Signed by", f"{signer} ({verdict.role})" if verdict.role else signer, bool(verdict.signer)),
        ("Signed at", _when(verdict.signed_at), verdict.signed_at is not None),
        (
            "Intact",
            "yes — every byte is as signed"
            if verdict.intact
            else "NO — the file was changed after signing; do not rely on it",
            verdict.intact,
        ),
        (
            "Trusted",
            "yes — the certificate was issued by this authority's signing CA"
            if verdict.trusted
            else "NO — the certificate does not chain to this authority's CA",
            verdict.trusted,
        ),
        ("Audit trail", *_trail(verdict.audit_hash_held)),
        ("Audit hash", verdict.audit_hash or "none", bool(verdict.audit_hash)),
        *(("Problem", problem, False) for problem in verdict.problems),
    ]


def _trail(held: bool | None) -> tuple[str, bool]:
    if held is None:
        return "the record carries no audit hash to check", False
    if held:
        return "holds the hash this record carries", True
    return "does NOT hold the hash this record carries; run `ehdesk audit verify`", False


def headline(verdict: Verdict) -> str:
    if verdict.ok:
        return "Signed record verified"
    return "This signed record does not verify: see the lines marked NO"


class VerdictWidget(QFrame):
    """Shows one :class:`Verdict`; :meth:`show_verdict` replaces it (the sign-off dialog reuses one)."""

    def __init__(self, verdict: Verdict | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Signature verdict")
        self.title = QLabel()
        self.title.setAccessibleName("Verdict")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.form = QFormLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        self.answers: dict[str, QLabel] = {}
        if verdict is not None:
            self.show_verdict(verdict)
        else:
            self.hide()

    def show_verdict(self, verdict: Verdict) -> None:
        colour = GOOD if verdict.ok else BAD
        self.title.setText(f"<b style='color:{colour}'>{headline(verdict)}</b>")
        while self.form.rowCount():
            self.form.removeRow(0)
        self.answers.clear()
        for question, answer, good in verdict_lines(verdict):
            label = QLabel(answer if good else f"<span style='color:{BAD}'>{answer}</span>")
            label.setWordWrap(True)
            label.setTextInteractionFlags(
                Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
            )
            label.setAccessibleName(question)
            label.setAccessibleDescription(answer)
            self.form.addRow(f"{question}:", label)
            self.answers.setdefault(question, label)
        self.show()
