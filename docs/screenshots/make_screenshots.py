#!/usr/bin/env python3
"""Make the screenshots in this folder: the main window, a refused referral, the duplicate prompt, and a
family worker's casefile, sharing form and (for a manager) the compliance view.

Run under a real X server so fonts and styles are what a user sees:

    xvfb-run -a -s "-screen 0 1400x1000x24" .venv/bin/python docs/screenshots/make_screenshots.py

It builds a throwaway database in a temp folder, keys a few referrals through the services, then opens
the real windows and saves ``widget.grab()`` of each.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from ehdesk.domain import Role  # noqa: E402
from ehdesk.gui.app import application  # noqa: E402
from ehdesk.gui.backend import Backend  # noqa: E402
from ehdesk.gui.duplicates import DuplicateDialog  # noqa: E402
from ehdesk.gui.mainwindow import MainWindow  # noqa: E402
from ehdesk.policy.pack import load_pack  # noqa: E402
from ehdesk.services import users  # noqa: E402
from ehdesk.storage.database import open_database  # noqa: E402
from ehdesk.storage.models import Family  # noqa: E402

FAMILIES = (
    ("Ava", "Smith", "LS6 2AB", 6),
    ("Noah", "Jones", "LS7 3QP", 9),
    ("Maya", "Kowalski", "LS8 1HU", 3),
    ("Oliver", "Ahmed", "LS11 5DX", 12),
    ("Isla", "O'Brien", "LS9 7EJ", 14),
    ("Leo", "Nwosu", "LS12 4RT", 1),
    ("Amelia", "Patel", "LS10 2LB", 7),
    ("Harry", "Wilson", "LS13 1JS", 16),
    ("Zoë", "Ó Briain", "LS14 6PN", 5),
    ("Siân", "Ó Briain", "LS14 6PN", 10),
)


def referral(given: str, family: str, postcode: str, age: int) -> dict[str, Any]:
    born = date.today() - timedelta(days=365 * age + 40)
    return {
        "received_on": date.today().isoformat(),
        "how_received": "paper",
        "referrer_name": "Ruth Ng",
        "referrer_agency": "School",
        "address_line1": "1 Example Street",
        "town": "Leeds",
        "postcode": postcode,
        "children": [{"given_name": given, "family_name": family, "birth_date": born.isoformat()}],
        "carers": [{"given_name": "Sam", "family_name": family, "relationship": "mother"}],
        "reasons": "Asked for help with routines and school attendance.",
        "discussed_with_parent": True,
    }


def settle(app: QApplication, widget: QWidget) -> None:
    for _ in range(5):
        app.processEvents()
    widget.repaint()
    app.processEvents()


SHARE = {
    "agency": "School",
    "recipient_role": "Designated safeguarding lead",
    "recipient_name": "Mrs J. Ellis",
    "method": "phone",
    "data_items": ["identity", "contact"],
    "what_shared": "The children's names and dates of birth and the family's address, and that they asked "
    "for help with mornings and attendance.",
    "why_needed": "So the school can plan a morning check-in with the family.",
    "how_used": "An attendance support plan agreed with the family.",
    "purpose": "child_wellbeing",
    "affirm_proportional": True,
    "affirm_relevant": True,
    "affirm_wellbeing": True,
    "affirm_need_to_know": True,
    "informed_in_advance": True,
    "informed_on": date.today().isoformat(),
    "informed_how": "phone",
    "reassurance_given": True,
}


def worker_screens(app: QApplication, backend: Backend) -> None:
    """A worker's casefile with shares, an objection and a privacy notice on it; the sharing form; and
    the compliance view as their manager sees it."""
    db = backend.db
    with db.session() as session:
        admin = backend.actor
        assert admin is not None
        for username, name, role in (
            ("mo", "Mo Okafor", Role.MANAGER),
            ("wendy", "Wendy Clarke", Role.WORKER),
        ):
            users.create_user(session, admin, username, name, role, "correct horse battery")
    manager = Backend(db, load_pack(None))
    manager.login("mo", "correct horse battery")
    worker = Backend(db, load_pack(None))
    worker.login("wendy", "correct horse battery")
    assert worker.actor is not None
    assert manager.actor is not None
    rows = backend.search_families("", limit=50, before_id=None)
    for row in rows[:6]:
        with db.read() as session:
            family_row = session.get(Family, row.id)
            assert family_row is not None
            version = family_row.version
        manager.allocate(row.id, worker.actor.id, version=version)
    family = rows[0].id
    today = date.today().isoformat()
    worker.create_record("share", family, {**SHARE, "shared_on": today}, confirmed_warnings=True)
    worker.create_record(
        "objection",
        family,
        {
            "agency": "GP practice",
            "recorded_on": today,
            "family_reasons": "Worried the surgery will tell the children's father where they live.",
            "barriers_explored": "Talked through who at the practice would see it and what would be shared.",
            "reassurance_given": True,
        },
        confirmed_warnings=True,
    )
    worker.record_pack_shared(family, "printed", worker.privacy_notice_pack(family))
    worker.record_pack_shared(
        rows[1].id, "link", worker.privacy_notice_pack(rows[1].id), sent_to="sam@example.org"
    )

    window = MainWindow(worker)
    window.resize(1200, 760)
    window.show()
    views = window.worker_views
    views.open_casefile(family)
    settle(app, window)
    window.grab().save(str(OUT / "casefile.png"))

    dialog = views.casefile.new_share()
    assert dialog is not None
    dialog.resize(820, 900)
    dialog.page.view.set_values({**SHARE, "shared_on": today})
    dialog.page.view.focus_path("data_items")
    settle(app, dialog)
    dialog.grab().save(str(OUT / "share-form.png"))
    dialog.page.view.mark_clean()
    dialog.page.drafts.discard()
    dialog.reject()
    window.close()

    boss = MainWindow(manager)
    boss.resize(1200, 760)
    boss.show()
    boss.worker_views.show_compliance()
    settle(app, boss)
    boss.grab().save(str(OUT / "compliance.png"))
    boss.close()


def main() -> int:
    app = application(sys.argv)
    tmp = Path(tempfile.mkdtemp(prefix="ehdesk-shots-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "qsettings"))
    db = open_database(f"sqlite:///{tmp / 'ehdesk.sqlite3'}")
    with db.session() as session:
        users.create_first_admin(session, "amira", "Amira Hassan", "correct horse battery")
    backend = Backend(db, load_pack(None))
    backend.login("amira", "correct horse battery")
    for row in FAMILIES:
        backend.create_referral(referral(*row), confirmed_warnings=True)

    window = MainWindow(backend)
    window.resize(1200, 760)
    window.show()
    window.show_families()
    window.families.run_search()
    settle(app, window)
    window.grab().save(str(OUT / "main-window.png"))

    # a refused save: discussed = no, no reason given (G2)
    window.new_referral()
    values = referral("Ava", "Smith", "LS6 2AB", 6)
    values.update(discussed_with_parent=False, immediate_safety_concern=False, referrer_phone="0161 49")
    window.referral.view.set_values(values)
    window.referral.save()
    settle(app, window)
    view = window.referral.view
    view.focus_path("not_discussed_reason")
    settle(app, window)
    window.grab().save(str(OUT / "referral-validation.png"))

    # the duplicate prompt: Siân Ó Briain keyed from paper as "Sian O Briain", accents left off; the
    # reasons say "similar" names (equal only without accents), shown whole at the dialog's own size
    values = referral("Sian", "O Briain", "LS14 6PN", 10)
    values.update(referrer_phone="0161 496 0000")
    view.set_values(values)
    view.show_problems([])
    window.referral.save()
    dialog = window.referral.pending_dialog
    assert isinstance(dialog, DuplicateDialog), "expected the duplicate prompt"
    settle(app, dialog)
    settle(app, window)
    dialog.grab().save(str(OUT / "duplicate-prompt.png"))

    dialog.reject()
    window.referral.view.mark_clean()
    QTimer.singleShot(0, window.close)
    app.processEvents()
    worker_screens(app, backend)
    db.dispose()
    print("\n".join(str(p.relative_to(ROOT)) for p in sorted(OUT.glob("*.png"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
