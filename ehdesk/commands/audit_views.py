"""``ehdesk audit views --family REF``: the access log of one family, for managers.

Like ``ehdesk users``, the run logs in as the manager named by ``--as`` (password from
``EHDESK_AS_PASSWORD`` or a hidden prompt) through the same log-in service as the app, so lock-out and
the audit trail apply, and the permission check is the service's (workers and admins are refused).
"""

from __future__ import annotations

import argparse

from ehdesk.commands.common import database_from
from ehdesk.commands.users import ENV_AS_PASSWORD, secret
from ehdesk.services import access_log, users


def register_views(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    views = actions.add_parser("views", help="who opened a family's record, and when (managers only)")
    views.add_argument(
        "--family", required=True, metavar="REF", help="the family's reference, e.g. EH-000042"
    )
    views.add_argument(
        "--as",
        dest="as_user",
        metavar="MANAGER",
        required=True,
        help=f"the manager asking; password from {ENV_AS_PASSWORD} or a prompt",
    )
    views.set_defaults(func=run_views)


def run_views(args: argparse.Namespace) -> int:
    db = database_from(args)
    password = secret(ENV_AS_PASSWORD, f"Password for {args.as_user}: ", twice=False, action=args.as_user)
    with db.session() as session:
        actor = users.login(session, args.as_user, password)
    with db.read() as session:
        rows = access_log.views_of_family(session, actor, args.family)
    if not rows:
        print(f"nobody has opened family {args.family} in ehdesk")
        return 0
    print(f"family {rows[0].family_reference} was opened {len(rows)} time{'s' if len(rows) != 1 else ''}:")
    for row in rows:
        print(f"{row.viewed_at.astimezone():%Y-%m-%d %H:%M:%S}  {row.username}  ({row.full_name})")
    return 0
