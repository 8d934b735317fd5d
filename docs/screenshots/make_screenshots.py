#!/usr/bin/env python3
"""Make the screenshots in this folder: the main window, a refused referral, the duplicate prompt, and a
family worker's "My families", casefile, sharing form and privacy-notice pack, and (for a manager) the
compliance view.

Run under a real X server so fonts and styles are what a user sees:

    xvfb-run -a -s "-screen 0 1400x1000x24" .venv/bin/python docs/screenshots/make_screenshots.py

It builds a throwaway database in a temp folder, keys a few referrals through the services, then opens
the real windows and saves ``widget.grab()`` of each. The referral, the valid share and the manager's
allocation come from the GUI tests' own set-up (``tests/gui/workers.py``), so the screens show what the
tests drive.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
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
from tests.gui import workers  # noqa: E402

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


AGENCIES = [
    {"agency": "School", "contact_name": "Mrs J. Ellis"},
    {"agency": "Health visiting", "contact_name": "Kath Brown"},
]


def referral(given: str, family: str, postcode: str, age: int) -> dict[str, Any]:
    """The GUI tests' referral, with a child of ``age`` and the services that already know the family."""
    born = date.today() - timedelta(days=365 * age + 40)
    child = {"given_name": given, "family_name": family, "birth_date": born.isoformat()}
    return workers.referral(given, family, postcode, children=[child], agencies_involved=AGENCIES)


def settle(app: QApplication, widget: QWidget, *, pdf: bool = False) -> None:
    """Let the window lay out (and, with ``pdf``, QtPdf draw its pages, which it does off the GUI
    thread and signals nothing for: a pause is all a script can do)."""
    for _ in range(5):
        app.processEvents()
    if pdf:
        QTest.qWait(1500)
    widget.repaint()
    app.processEvents()


def main_window(backend: Backend, width: int = 1200, height: int = 760) -> MainWindow:
    """The main window at a fixed size: not maximised as on a first start, which with no window
    manager gives whatever size the X server picks."""
    window = MainWindow(backend)
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(width, height)
    window.show()
    return window


SHARE = {
    **workers.SHARE,
    "recipient_name": "Mrs J. Ellis",
    "method": "phone",
    "data_items": ["identity", "contact"],
    "what_shared": "The children's names and dates of birth and the family's address, and that they asked "
    "for help with mornings and attendance.",
    "why_needed": "So the school can plan a morning check-in with the family.",
    "how_used": "An attendance support plan agreed with the family.",
}


def worker_screens(app: QApplication, backend: Backend) -> None:
    """A worker's families with what each is due, a casefile with shares, an objection and a privacy
    notice on it, the sharing form and a privacy-notice pack; and the compliance view as their manager
    sees it."""
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
    team = workers.Team(db, backend, manager, worker, worker)
    rows = backend.search_families("", limit=50, before_id=None)
    for row in rows[:6]:
        team.allocate(row.id, worker)
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

    window = main_window(worker)
    views = window.worker_views
    views.show_caseload()
    settle(app, window)
    window.grab().save(str(OUT / "my-families.png"))

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

    # a family with no privacy notice yet: the pack as it will print, nothing recorded until it is
    pack = views.open_pack(rows[2].id)
    assert pack is not None, "expected the privacy-notice pack"
    pack.resize(900, 980)
    settle(app, pack, pdf=True)
    pack.grab().save(str(OUT / "privacy-notice-pack.png"))
    pack.reject()
    window.close()

    boss = main_window(manager)
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

    window = main_window(backend)
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
