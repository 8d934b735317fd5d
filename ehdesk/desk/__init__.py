"""The one door to the core for every front end (in the spirit of Anki's ``Collection``).

A :class:`Desk` owns the database, the policy pack the user works under, the clock and — after login —
the acting user. Each method is one use case in one unit of work and returns plain data, so neither the
GUI nor the CLI ever holds a session or a database object, and every permission check, validation rule
and audit event stays in the services behind it. The use cases are grouped by area in the modules of
this package, one mixin each, all built on :class:`~ehdesk.desk.base.DeskBase`.
"""

from __future__ import annotations

from ehdesk.desk.base import DeskBase, NotLoggedIn
from ehdesk.desk.families import FamiliesDesk, FamilyPerson, FamilySummary
from ehdesk.desk.manager import ManagerDesk
from ehdesk.desk.people import PeopleDesk
from ehdesk.desk.records import RecordsDesk
from ehdesk.desk.referrals import ReferralsDesk, SavedReferral
from ehdesk.desk.worker import WorkerDesk

__all__ = ["Desk", "DeskBase", "FamilyPerson", "FamilySummary", "NotLoggedIn", "SavedReferral"]


class Desk(PeopleDesk, FamiliesDesk, ReferralsDesk, RecordsDesk, WorkerDesk, ManagerDesk):
    """Every use case, for the GUI and the CLI alike."""
