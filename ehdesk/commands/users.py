"""``ehdesk users list`` and ``ehdesk users add``: manage the team from a terminal or a script.

A command line has no logged-in user, so each run logs in as the admin named by ``--as`` (password from
``EHDESK_AS_PASSWORD`` or a hidden prompt) through the same :func:`ehdesk.services.users.login` the GUI
uses: permissions, lock-out and the audit trail apply exactly as they do in the app. The new user's
password comes from ``EHDESK_USER_PASSWORD`` or a prompt asked twice; with neither (a script without
the variable) the run stops with one line rather than hanging on a prompt nobody sees.
"""

from __future__ import annotations

import argparse

from ehdesk.commands.common import ENV_AS_PASSWORD, add_as_option, desk_as, secret
from ehdesk.domain import Role
from ehdesk.services.users import UserRow

__all__ = ["ENV_AS_PASSWORD", "ENV_USER_PASSWORD", "register", "secret"]

ENV_USER_PASSWORD = "EHDESK_USER_PASSWORD"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("users", help="list and add users (as an admin)")
    actions = parser.add_subparsers(dest="users_action", required=True, metavar="ACTION")
    as_admin = argparse.ArgumentParser(add_help=False)
    add_as_option(as_admin, "the admin doing this", metavar="ADMIN_USER")

    listing = actions.add_parser("list", parents=[as_admin], help="show every user, role and status")
    listing.set_defaults(func=run_list)

    add = actions.add_parser(
        "add",
        parents=[as_admin],
        help=f"add a user; their password from {ENV_USER_PASSWORD} or a prompt asked twice",
    )
    add.add_argument("username", metavar="USER", help="the new user's log-in name")
    add.add_argument("--role", required=True, choices=[role.value for role in Role], help="what they may do")
    add.add_argument("--name", metavar="FULL NAME", default="", help="their full name (default: USER)")
    add.set_defaults(func=run_add)


def _table(rows: list[UserRow]) -> str:
    header = ("User", "Full name", "Role", "Status")
    lines = [
        (
            row.username,
            row.full_name,
            row.role.value,
            ("active" if row.active else "deactivated") + (", locked" if row.locked else ""),
        )
        for row in rows
    ]
    widths = [max(len(cells[i]) for cells in [header, *lines]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
        for cells in [header, *lines]
    )


def run_list(args: argparse.Namespace) -> int:
    print(_table(desk_as(args, args.as_user).list_users()))
    return 0


def run_add(args: argparse.Namespace) -> int:
    desk = desk_as(args, args.as_user)  # the log-in stands on its own, even if the add is refused
    new_password = secret(
        ENV_USER_PASSWORD, f"Password for {args.username}: ", twice=True, action=args.username
    )
    role = Role(args.role)
    desk.add_user(args.username, args.name or args.username, role, new_password)
    acting = desk.actor.username if desk.actor is not None else args.as_user
    print(f"user {args.username!r} ({role.title}) added by {acting}")
    return 0
