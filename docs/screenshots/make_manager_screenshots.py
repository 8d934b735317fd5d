#!/usr/bin/env python3
"""Make the managers' screenshots in this folder: the decision queue, the sign-off dialog and the closure
letters.

Run under a real X server so fonts and styles are what a user sees:

    xvfb-run -a -s "-screen 0 1400x1000x24" .venv/bin/python docs/screenshots/make_manager_screenshots.py

It builds a throwaway database in a temp folder with a signing CA and a manager's certificate, has two
workers record declines, objections and a share under an exception through the services, then opens
the real main window as the manager and saves ``widget.grab()`` of the queue and of the sign-off dialog
(with the preview of the record to be signed, then the verdict after signing), and of the closure view
the signed decline decision opens (one contact marked told, the other's letter previewed).
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QSplitter, QWidget

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from ehdesk.desk import Desk  # noqa: E402
from ehdesk.domain import Role  # noqa: E402
from ehdesk.gui.app import application  # noqa: E402
from ehdesk.gui.backend import Backend  # noqa: E402
from ehdesk.gui.mainwindow import MainWindow  # noqa: E402
from ehdesk.gui.signoff_dialog import SignoffDialog  # noqa: E402
from ehdesk.policy.pack import load_pack  # noqa: E402
from ehdesk.services import families, referrals, users  # noqa: E402
from ehdesk.services.actor import Actor  # noqa: E402
from ehdesk.signing.authority import create_authority  # noqa: E402
from ehdesk.signing.identities import issue_identity  # noqa: E402
from ehdesk.storage.database import open_database  # noqa: E402

PASSWORD = "correct horse battery"
CA_PASSPHRASE = "authority passphrase"
FAMILIES = (("Ava", "Smith", "LS6 2AB"), ("Noah", "Jones", "LS7 3QP"), ("Maya", "Kowalski", "LS8 1HU"))


def referral(given: str, family: str, postcode: str) -> dict[str, Any]:
    return {
        "received_on": (date.today() - timedelta(days=30)).isoformat(),
        "how_received": "paper",
        "referrer_name": "Ruth Ng",
        "referrer_agency": "School",
        "address_line1": "1 Example Street",
        "town": "Leeds",
        "postcode": postcode,
        "children": [{"given_name": given, "family_name": family, "birth_date": "2016-04-09"}],
        "carers": [{"given_name": "Sam", "family_name": family, "relationship": "mother"}],
        "reasons": "Asked for help with routines and school attendance.",
        "discussed_with_parent": True,
    }


def decline(days_ago: int, reasons: str) -> dict[str, Any]:
    day = (date.today() - timedelta(days=days_ago)).isoformat()
    return {"declined_on": day, "reasons": reasons, "line_manager": "Mo Manager", "discussed_on": day}


def settle(app: QApplication, widget: QWidget) -> None:
    """Let the window lay out and QtPdf render its pages (it draws them off the GUI thread)."""
    for _ in range(5):
        app.processEvents()
    QTest.qWait(1500)
    widget.repaint()
    app.processEvents()


def main() -> int:
    app = application(sys.argv)
    tmp = Path(tempfile.mkdtemp(prefix="ehdesk-shots-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "qsettings"))
    db = open_database(f"sqlite:///{tmp / 'ehdesk.sqlite3'}")
    with db.session() as session:
        admin = Actor.from_user(users.create_first_admin(session, "amira", "Amira Hassan", PASSWORD))
        manager = Actor.from_user(
            users.create_user(session, admin, "mo", "Mo Okafor", Role.MANAGER, PASSWORD)
        )
        workers = [
            Actor.from_user(users.create_user(session, admin, name, full, Role.WORKER, PASSWORD))
            for name, full in (("wendy", "Wendy Jones"), ("tariq", "Tariq Aziz"))
        ]
        create_authority(session, admin, "Example Borough Council", CA_PASSPHRASE)
        issue_identity(session, admin, manager.id or 0, CA_PASSPHRASE, PASSWORD)
    pack = load_pack(None)
    reasons = (
        "Mum feels things are better now that school has put support in place.",
        "The family would rather work with the health visitor they already know.",
        "Dad does not want another service involved at the moment.",
    )
    for number, (row, why) in enumerate(zip(FAMILIES, reasons, strict=True)):
        with db.session() as session:
            family_id = referrals.create_referral(session, admin, referral(*row), policy=pack).family_id
        worker = workers[number % 2]
        with db.session() as session:
            family = families.get_family(session, manager, family_id)
            families.allocate(session, manager, family_id, worker.id, version=family.version)
        Desk(db, pack, actor=worker).create_record(
            "decline", family_id, decline(2 + number * 5, why), confirmed_warnings=True
        )

    backend = Backend(db, pack)
    backend.login("mo", PASSWORD)
    window = MainWindow(backend)
    window.setWindowState(Qt.WindowState.WindowNoState)  # not maximised as on a first start
    window.resize(1280, 760)
    window.show()
    views = window.manager_views
    views.show_queue()
    queue = views.view
    assert queue is not None
    settle(app, window)
    window.grab().save(str(OUT / "decision-queue.png"))

    entry = queue.model.entries[0]
    page = queue.open_entry(entry)
    page.form.view.set_values(
        {
            "subject": "decline",
            "decision": "Close Early Help; school pastoral support continues.",
            "rationale": "The family's needs are met by school and the health visitor; no concerns.",
            "decided_on": date.today().isoformat(),
            "existing_network": "School pastoral team and the health visitor.",
            "closure_contacts": [
                {"who": "Ann Teacher", "agency": "School"},
                {"who": "Kath Brown", "agency": "Health visiting"},
            ],
            "concerns_raised": False,
            "concerns_reasoning": "Attendance is back to normal and the children are settled.",
            "threshold_needed": False,
        }
    )
    page.save()
    settle(app, window)
    window.grab().save(str(OUT / "decision-beside-casefile.png"))
    page.sign()
    dialog = page.pending_dialog
    assert isinstance(dialog, SignoffDialog), "expected the sign-off dialog"
    dialog.resize(820, 900)
    settle(app, dialog)
    dialog.grab().save(str(OUT / "signoff-dialog.png"))
    dialog.password.setText(PASSWORD)
    dialog.sign()
    settle(app, dialog)
    dialog.grab().save(str(OUT / "signoff-verdict.png"))

    dialog.reject()
    closure = page.closure
    assert closure is not None, "expected the closure letters after signing a decline decision"
    closure.table.selectRow(0)
    closure.mark_told()  # the school was told; the health visitor's letter is still to go
    closure.table.selectRow(1)
    window.resize(1600, 1000)  # room for the letter's preview to be read (grab() needs no screen)
    settle(app, window)
    page.splitter.setSizes([660, 940])  # the casefile as narrow as its buttons allow
    letters = closure.findChild(QSplitter)
    assert letters is not None
    letters.setSizes([380, 560])
    settle(app, window)
    window.grab().save(str(OUT / "closure-letters.png"))

    QTimer.singleShot(0, window.close)
    app.processEvents()
    db.dispose()
    print("\n".join(str(p.relative_to(ROOT)) for p in sorted(OUT.glob("*.png"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
