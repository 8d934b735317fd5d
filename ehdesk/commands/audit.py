"""``ehdesk audit verify``: prove the audit trail, and the records it describes, were not changed behind
ehdesk's back.

Verify only reads. It never creates or upgrades a database: a missing, empty or foreign file, or one
whose schema is older than this ehdesk, is refused with exit 2 and what to do. On SQLite it runs
``PRAGMA integrity_check`` first (a damaged file makes every later answer doubtful). What it prints names
events by seq and rows by table and id, never what they hold, so its output can go into a ticket.
Exit codes: 0 intact, 1 tampering or damage found, 2 not a database verify can check.
"""

from __future__ import annotations

import argparse

from ehdesk.commands.audit_views import register_views
from ehdesk.commands.common import settings_from
from ehdesk.services import audit
from ehdesk.storage.inspection import open_existing


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("audit", help="work with the audit trail")
    actions = parser.add_subparsers(dest="audit_action", required=True, metavar="ACTION")
    verify = actions.add_parser(
        "verify",
        help="check the database file, every event's hash and link, the anchor kept outside the "
        "database, and every family, person, referral and decision against the trail; exit 1 on damage",
    )
    verify.set_defaults(func=run_verify)
    register_views(actions)  # ``audit views``: the access log (ehdesk.commands.audit_views)


def run_verify(args: argparse.Namespace) -> int:
    db = open_existing(settings_from(args).database_url)  # integrity_check and schema first
    try:
        with db.read() as session:
            report = audit.verify(session)
    finally:
        db.dispose()
    print("\n".join(report.lines()))
    return 0 if report.ok else 1
