"""``ehdesk audit views --family REF``: the access log of one family, for managers.

Like ``ehdesk users``, the run logs in as the manager named by ``--as`` (password from
``EHDESK_AS_PASSWORD`` or a hidden prompt) through the same log-in service as the app, so lock-out and
the audit trail apply, and the permission check is the service's (workers and admins are refused).
"""

from __future__ import annotations

import argparse

from ehdesk.commands.common import add_as_option, desk_as


def register_views(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    views = actions.add_parser("views", help="who opened a family's record, and when (managers only)")
    views.add_argument(
        "--family", required=True, metavar="REF", help="the family's reference, e.g. EH-000042"
    )
    add_as_option(views, "the manager asking", metavar="MANAGER")
    views.set_defaults(func=run_views)


def run_views(args: argparse.Namespace) -> int:
    rows = desk_as(args, args.as_user).family_views(args.family)
    if not rows:
        print(f"nobody has opened family {args.family} in ehdesk")
        return 0
    print(f"family {rows[0].family_reference} was opened {len(rows)} time{'s' if len(rows) != 1 else ''}:")
    for row in rows:
        print(f"{row.viewed_at.astimezone():%Y-%m-%d %H:%M:%S}  {row.username}  ({row.full_name})")
    return 0
