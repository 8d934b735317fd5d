"""The whole Desk: every area's use cases on one object (see :mod:`ehdesk.desk`)."""

from __future__ import annotations

from ehdesk.desk.families import FamiliesDesk
from ehdesk.desk.manager import ManagerDesk
from ehdesk.desk.people import PeopleDesk
from ehdesk.desk.records import RecordsDesk
from ehdesk.desk.referrals import ReferralsDesk
from ehdesk.desk.worker import WorkerDesk


class Desk(PeopleDesk, FamiliesDesk, ReferralsDesk, RecordsDesk, WorkerDesk, ManagerDesk):
    """Every use case, for the GUI and the CLI alike."""
