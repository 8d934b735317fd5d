"""A read-only summary of one family: who is in it and the referrals on its casefile."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from ehdesk.domain import FamilyStatus
from ehdesk.gui.backend import FamilySummary

MIN_WIDTH = 480


def _date(value: object) -> str:
    return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else ""


def summary_html(family: FamilySummary) -> str:
    people = []
    for person in family.people:
        if person.birth_date is not None:
            when = f"born {_date(person.birth_date)}"
        elif person.expected_delivery is not None:
            when = f"due {_date(person.expected_delivery)}"
        else:
            when = ""
        people.append(f"<li>{html.escape(person.name)} — {person.kind} {when}</li>")
    referrals = [
        f"<li>received {_date(received) or 'date not given'} by {html.escape(how or 'unknown')}</li>"
        for received, how in family.referrals
    ]
    status = FamilyStatus.label_for(family.status)
    return (
        f"<h3>{html.escape(family.reference)} · {html.escape(family.display_name)}</h3>"
        f"<p>{html.escape(family.address)}<br>Status: {html.escape(status)}"
        f"{f' · allocated to {html.escape(family.worker_name)}' if family.worker_name else ''}</p>"
        f"<p><b>People</b></p><ul>{''.join(people) or '<li>none recorded</li>'}</ul>"
        f"<p><b>Referrals</b></p><ul>{''.join(referrals) or '<li>none</li>'}</ul>"
    )


class FamilyDialog(QDialog):
    def __init__(self, family: FamilySummary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.family = family
        self.setWindowTitle(f"Family {family.reference}")
        layout = QVBoxLayout(self)
        self.body = QLabel(summary_html(family))
        self.body.setWordWrap(True)
        # the text starts at the top: a label given the spare height centres its text in it, which
        # left a wide blank band above a short family's summary
        self.body.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.body.setMinimumWidth(MIN_WIDTH)
        self.body.setAccessibleName(f"Family {family.reference}")
        layout.addWidget(self.body)
        layout.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.adjustSize()  # as tall as the summary needs, no taller
