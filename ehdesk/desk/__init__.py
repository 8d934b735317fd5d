"""The one door to the core for every front end (in the spirit of Anki's ``Collection``).

A :class:`Desk` owns the database, the policy pack the user works under, the clock and — after login —
the acting user. Each method is one use case in one unit of work and returns plain data, so neither the
GUI nor the CLI ever holds a session or a database object, and every permission check, validation rule
and audit event stays in the services behind it. The use cases are grouped by area in the modules of
this package, one mixin each, all built on :class:`~ehdesk.desk.base.DeskBase`, and put together in
:mod:`ehdesk.desk.desk`.

The names below are imported when first asked for (PEP 562), not with the package: the GUI logs people
in through :class:`~ehdesk.desk.people.PeopleDesk` alone while the other areas' services are still
being imported behind the login dialog (start-up, issue 18), and importing any module of this package
runs this file first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ehdesk.lazy import lazy_names

if TYPE_CHECKING:
    from ehdesk.desk.base import DeskBase, NotLoggedIn
    from ehdesk.desk.desk import Desk
    from ehdesk.desk.families import FamilyPerson, FamilySummary
    from ehdesk.desk.referrals import SavedReferral

__all__ = ["Desk", "DeskBase", "FamilyPerson", "FamilySummary", "NotLoggedIn", "SavedReferral"]

__getattr__ = lazy_names(
    __name__,
    {
        "Desk": "ehdesk.desk.desk",
        "DeskBase": "ehdesk.desk.base",
        "NotLoggedIn": "ehdesk.desk.base",
        "FamilyPerson": "ehdesk.desk.families",
        "FamilySummary": "ehdesk.desk.families",
        "SavedReferral": "ehdesk.desk.referrals",
    },
)
