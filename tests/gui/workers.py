"""Set-up for the family workers' screens: families referred by the admin team, allocated by a manager
through the desk, and a window logged in as the worker (or the manager) who holds them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from ehdesk.domain import Role
from ehdesk.gui.backend import Backend
from ehdesk.gui.mainwindow import MainWindow
from ehdesk.policy.pack import load_pack
from ehdesk.services.actor import Actor
from ehdesk.storage.database import Database
from tests.conftest import make_user
from tests.gui.screens import shown


def referral(given: str, family: str, postcode: str = "LS6 2AB", **extra: Any) -> dict[str, Any]:
    born = date.today() - timedelta(days=365 * 7)
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
        **extra,
    }


#: A complete, valid information share (G7–G18) a worker records about a school.
SHARE: dict[str, Any] = {
    "agency": "School",
    "recipient_role": "Designated safeguarding lead",
    "shared_on": date.today().isoformat(),
    "data_items": ["identity"],
    "what_shared": "Names and dates of birth",
    "why_needed": "To plan support at school",
    "how_used": "Attendance plan",
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


@dataclass
class Team:
    """A database with an admin, a manager and two workers, and a Backend per person."""

    db: Database
    admin: Backend
    manager: Backend
    worker: Backend
    other_worker: Backend

    def refer(self, given: str, family: str, **extra: Any) -> int:
        return self.admin.create_referral(referral(given, family, **extra), confirmed_warnings=True).family_id

    def allocate(self, family_id: int, to: Backend) -> None:
        """The manager allocates through the desk, as the allocation screen does."""
        assert to.actor is not None
        with self.db.read() as session:
            from ehdesk.storage.models import Family

            family = session.get(Family, family_id)
            assert family is not None
            version = family.version
        self.manager.allocate(family_id, to.actor.id, version=version)

    def held_family(self, given: str, family: str, **extra: Any) -> int:
        """A family referred by the admin team and allocated to the worker: the usual starting point."""
        family_id = self.refer(given, family, **extra)
        self.allocate(family_id, self.worker)
        return family_id


def _backend(db: Database, actor: Actor) -> Backend:
    return Backend(db, load_pack(None), actor=actor)


def make_team(sqlite_db: Database) -> Team:
    admin = make_user(sqlite_db, "setup-admin", Role.ADMIN)
    manager = make_user(sqlite_db, "mo", Role.MANAGER)
    worker = make_user(sqlite_db, "wendy", Role.WORKER)
    other = make_user(sqlite_db, "omar", Role.WORKER)
    return Team(
        sqlite_db,
        _backend(sqlite_db, admin),
        _backend(sqlite_db, manager),
        _backend(sqlite_db, worker),
        _backend(sqlite_db, other),
    )


def open_window(qtbot: QtBot, backend: Backend) -> MainWindow:
    """A shown, active main window for ``backend``'s user; closing it discards unsaved typing."""
    window = MainWindow(backend)
    window.ask_unsaved = lambda: QMessageBox.StandardButton.Discard  # type: ignore[method-assign]
    return shown(qtbot, window)


def worker_casefile(
    sqlite_db: Database, qtbot: QtBot, given: str, family_name: str
) -> tuple[Team, MainWindow, int]:
    """A team whose worker holds the family ``given family_name``, with the worker's window open on its
    casefile: where most casefile tests start."""
    team = make_team(sqlite_db)
    family = team.held_family(given, family_name)
    window = open_window(qtbot, team.worker)
    window.worker_views.open_casefile(family)
    return team, window, family
