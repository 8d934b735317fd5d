"""``ehdesk audit verify``: prove the audit trail has not been edited or cut behind ehdesk's back."""

from __future__ import annotations

import argparse

from ehdesk.commands.common import database_from
from ehdesk.services import audit


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("audit", help="work with the audit trail")
    actions = parser.add_subparsers(dest="audit_action", required=True, metavar="ACTION")
    verify = actions.add_parser(
        "verify", help="check every event's hash and link; exit 1 on the first bad one"
    )
    verify.set_defaults(func=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    db = database_from(args)
    with db.read() as session:
        report = audit.verify(session)
    print(report.line())
    return 0 if report.ok else 1
